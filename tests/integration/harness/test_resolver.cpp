#include "harness/test_resolver.h"

#include <memory>

#include "harness/build_paths.h"
#include "harness/log_file.h"
#include "harness/readiness.h"

namespace pangea::integration {
namespace {

constexpr int kStartAttempts = 3;

std::string expand_dir(std::string value, const std::filesystem::path& dir) {
  const std::string token = "{dir}";
  for (auto pos = value.find(token); pos != std::string::npos; pos = value.find(token, pos)) {
    value.replace(pos, token.size(), dir.string());
    pos += dir.string().size();
  }
  return value;
}

}  // namespace

TestResolver::TestResolver(ResolverOptions options) : dir_("it") {
  for (const auto& [name, content] : options.files) {
    dir_.write(name, content);
  }
  if (options.pangea_config) {
    auto file = dir_.write("pangea.yaml", *options.pangea_config);
    options.environment.try_emplace("PANGEA_CONFIG", file.string());
  }
  for (int attempt = 1;; ++attempt) {
    try {
      if (!nsd_) {
        NsdOptions nsd;
        nsd.port = options.nsd_port;
        nsd.zones_dir =
            options.zones_dir.empty() ? std::filesystem::path(kZonesDir) : options.zones_dir;
        nsd.extra_zones = options.extra_zones;
        nsd.startup_timeout = options.startup_timeout;
        nsd_ = std::make_unique<NsdServer>(dir_, nsd);
      }
      UnboundOptions ub;
      ub.port = options.port;
      ub.module_config = options.module_config;
      ub.upstream = nsd_->endpoint();
      ub.stub_zones = nsd_->zones();
      ub.num_threads = options.num_threads;
      ub.verbosity = options.verbosity;
      ub.server_options = options.server_options;
      ub.extra_config = options.extra_config;
      for (const auto& [key, value] : options.environment) {
        ub.environment[key] = expand_dir(value, dir_.path());
      }
      ub.startup_timeout = options.startup_timeout;
      unbound_ = std::make_unique<UnboundServer>(dir_, ub);
      return;
    } catch (const StartupError& e) {
      // Another process grabbed a port we had picked: try fresh ones. Fixed
      // ports are the caller's choice, so their failure is final.
      bool picked = nsd_ ? options.port == 0 : options.nsd_port == 0;
      if (!e.address_in_use() || !picked || attempt == kStartAttempts) {
        throw;
      }
      std::filesystem::remove_all(dir_ / (nsd_ ? "unbound" : "nsd"));
    }
  }
}

Response TestResolver::query(std::string_view name, std::string_view type,
                             const QueryOptions& options) const {
  return unbound_->client().query(name, type, options);
}

std::string TestResolver::log() const {
  return read_file(unbound_->log_path());
}

bool TestResolver::wait_for_log(std::string_view needle, std::chrono::milliseconds timeout,
                                size_t from) const {
  return wait_for_text(unbound_->log_path(), needle, timeout, from);
}

size_t TestResolver::log_size() const {
  return pangea::integration::file_size(unbound_->log_path());
}

std::string TestResolver::log_tail(size_t lines) const {
  return tail(unbound_->log_path(), lines) + tail(unbound_->stderr_path(), lines) +
         tail(nsd_->log_path(), lines);
}

}  // namespace pangea::integration
