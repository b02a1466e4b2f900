#pragma once
// The integration-test fixture: a private directory, an nsd serving the test
// zones (tests/integration/zones plus any the test adds) and an Unbound with
// pangea.so in front of it, on free loopback ports. Construction returns when
// both answer; destruction stops both (also when an assertion throws).
//
//   TestResolver r;                                  // defaults
//   auto a = r.query("www.test", "A");
//   CHECK(a.rcode == "NOERROR");
//   CHECK(a.answer_rdata("A") == std::vector<std::string>{"192.0.2.1"});
//
//   ResolverOptions o;
//   o.environment["PANGEA_CONFIG"] = "/path/pangea.yaml";
//   o.server_options.push_back("ede: yes");
//   o.pangea_config = "version: 1\nlists: [...]";  // -> {dir}/pangea.yaml, PANGEA_CONFIG
//   o.files["a.pbl"] = "...";        // more files, written into the test dir first
//   o.environment["PANGEA_LISTS"] = "{dir}/a.pbl";
//   TestResolver r2(o);               // r2.path("a.pbl") is its path
//
// Not thread-safe; one per TEST_CASE.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/dns_client.h"
#include "harness/nsd_server.h"
#include "harness/temp_dir.h"
#include "harness/unbound_server.h"

namespace pangea::integration {

// A Pangea configuration with no lists: the module loads and passes everything.
inline constexpr std::string_view kPassthroughConfig = "version: 1\nlists: []\n";

struct ResolverOptions {
  // Resolver listen port; 0 picks a free one (and a start that fails because
  // another process took it meanwhile is retried on new ports). A fixed port
  // that is taken is an error (StartupError).
  uint16_t port = 0;
  uint16_t nsd_port = 0;
  std::string module_config = "dynlib validator iterator";
  int num_threads = 1;
  int verbosity = 1;
  std::vector<std::string> server_options;  // extra lines for unbound's server: clause
  std::string extra_config;                 // extra unbound.conf text (further clauses)
  // The module's configuration: written to <test dir>/pangea.yaml and passed
  // as PANGEA_CONFIG. The default enforces nothing (every query passes).
  // nullopt: write nothing and leave PANGEA_CONFIG to `environment`.
  std::optional<std::string> pangea_config = std::string(kPassthroughConfig);
  // Environment of the unbound process (wins over pangea_config's
  // PANGEA_CONFIG); the module reads PANGEA_CONFIG and PANGEA_LISTS. Values may
  // use "{dir}" for the test directory.
  std::map<std::string, std::string> environment;
  // Files written into the test directory before anything starts (name -> content),
  // e.g. a pangea.yaml or list files the environment points at.
  std::map<std::string, std::string> files;
  std::filesystem::path zones_dir;  // empty: tests/integration/zones
  std::vector<ZoneFile> extra_zones;
  std::chrono::milliseconds startup_timeout{10000};
};

class TestResolver {
 public:
  explicit TestResolver(ResolverOptions options = {});

  // Query the resolver (see DnsClient::query); throws DnsError on no answer.
  Response query(std::string_view name, std::string_view type,
                 const QueryOptions& options = {}) const;
  DnsClient client() const { return unbound_->client(); }

  // unbound-control against this resolver, e.g. control({"reload"}).
  ControlResult control(const std::vector<std::string>& args) const {
    return unbound_->control(args);
  }

  // Unbound's log so far.
  std::string log() const;
  // Waits (bounded) until the unbound log contains `needle`, starting at byte
  // `from` (take log_size() before an action to wait for what it causes).
  bool wait_for_log(std::string_view needle,
                    std::chrono::milliseconds timeout = std::chrono::milliseconds(5000),
                    size_t from = 0) const;
  size_t log_size() const;
  // Last lines of the unbound and nsd logs, for INFO()/failure messages.
  std::string log_tail(size_t lines = 20) const;

  // The test directory, and paths inside it.
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path path(std::string_view name) const { return dir_ / name; }

  UnboundServer& unbound() { return *unbound_; }
  const UnboundServer& unbound() const { return *unbound_; }
  NsdServer& nsd() { return *nsd_; }
  const NsdServer& nsd() const { return *nsd_; }

 private:
  // Declared in this order so destruction stops unbound, then nsd, then
  // removes the directory.
  TempDir dir_;
  std::unique_ptr<NsdServer> nsd_;
  std::unique_ptr<UnboundServer> unbound_;
};

}  // namespace pangea::integration
