#include "harness/nsd_server.h"

#include <algorithm>

#include "harness/build_paths.h"
#include "harness/free_port.h"
#include "harness/log_file.h"
#include "harness/readiness.h"

namespace pangea::integration {
namespace {

std::string quoted(const std::filesystem::path& p) {
  return "\"" + p.string() + "\"";
}

// Copies the zone files into `dest` and adds the extra ones; returns the origins.
std::vector<std::string> install_zones(const NsdOptions& options,
                                       const std::filesystem::path& dest) {
  std::filesystem::create_directories(dest);
  std::vector<std::string> origins;
  if (!options.zones_dir.empty()) {
    for (const auto& entry : std::filesystem::directory_iterator(options.zones_dir)) {
      std::string file = entry.path().filename().string();
      if (entry.is_regular_file() && file.size() > 4 && file.ends_with(".zone")) {
        origins.push_back(file.substr(0, file.size() - 4));  // keep the dot
        std::filesystem::copy_file(entry.path(), dest / file);
      }
    }
  }
  for (const auto& zone : options.extra_zones) {
    std::string origin = zone.origin.ends_with('.') ? zone.origin : zone.origin + ".";
    std::string text = "$ORIGIN " + origin + "\n$TTL 3600\n" + zone.content;
    TempDir::write_file(dest / (origin + "zone"), text);
    origins.push_back(origin);
  }
  std::sort(origins.begin(), origins.end());
  return origins;
}

}  // namespace

std::string render_nsd_config(const NsdOptions& options, const std::filesystem::path& dir,
                              const std::vector<std::string>& zones) {
  std::string c;
  c += "# Written by the Pangea integration-test harness.\n";
  c += "server:\n";
  c += "  ip-address: " + options.address + "@" + std::to_string(options.port) + "\n";
  c += "  port: " + std::to_string(options.port) + "\n";
  c += "  do-ip6: no\n";
  c += "  reuseport: no\n";
  c += "  server-count: 1\n";
  c += "  verbosity: 1\n";
  c += "  username: \"\"\n";
  c += "  chroot: \"\"\n";
  c += "  database: \"\"\n";
  c += "  zonesdir: " + quoted(dir / "zones") + "\n";
  c += "  zonelistfile: " + quoted(dir / "zone.list") + "\n";
  c += "  xfrdfile: " + quoted(dir / "xfrd.state") + "\n";
  c += "  xfrdir: " + quoted(dir) + "\n";
  c += "  pidfile: " + quoted(dir / "nsd.pid") + "\n";
  c += "  logfile: " + quoted(dir / "nsd.log") + "\n";
  // Response-rate limiting would drop the rapid repeats tests make. nsd parses
  // (and ignores) this option even when built without RRL.
  c += "  rrl-ratelimit: 0\n";
  c += "remote-control:\n";
  c += "  control-enable: no\n";
  for (const auto& zone : zones) {
    c += "zone:\n";
    c += "  name: \"" + zone + "\"\n";
    c += "  zonefile: \"" + zone + "zone\"\n";
  }
  return c;
}

NsdServer::NsdServer(const TempDir& dir, NsdOptions options)
    : options_(std::move(options)),
      zones_(install_zones(options_, dir / "nsd/zones")),
      log_(dir / "nsd/nsd.log"),
      config_(dir / "nsd/nsd.conf"),
      process_([&] {
        if (options_.port == 0) {
          options_.port = pick_free_port(options_.address);
        }
        TempDir::write_file(config_, render_nsd_config(options_, dir / "nsd", zones_));
        return ProcessSpec{kNsdBinary,  {"-d", "-c", config_.string()},
                           {},          dir / "nsd/stderr.log",
                           dir / "nsd", {}};
      }()) {
  ReadinessProbe probe{"nsd",
                       zones_.empty() ? "." : zones_.front(),
                       "SOA",
                       options_.startup_timeout,
                       {log_, dir / "nsd/stderr.log"}};
  wait_until_answering(process_, client(), probe);
}

}  // namespace pangea::integration
