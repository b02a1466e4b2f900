#pragma once
// nsd as the authoritative server behind the resolver under test: runs in the
// foreground (-d) from its own config in a test directory, on a loopback port,
// serving every *.zone file of a zones directory plus zones the test adds.
//
// Stopped by the destructor (see Process). Not thread-safe.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "harness/dns_client.h"
#include "harness/process.h"
#include "harness/temp_dir.h"

namespace pangea::integration {

struct ZoneFile {
  std::string origin;   // "extra.test."
  std::string content;  // zone file text ($ORIGIN optional; names relative to origin)
};

struct NsdOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0: pick a free one
  // Serves each <origin>zone file in here ("test.zone" is "test.").
  std::filesystem::path zones_dir;
  std::vector<ZoneFile> extra_zones;
  std::chrono::milliseconds startup_timeout{10000};
};

// The nsd.conf text for `options` (port already chosen), files under `dir`.
std::string render_nsd_config(const NsdOptions& options, const std::filesystem::path& dir,
                              const std::vector<std::string>& zones);

class NsdServer {
 public:
  // Writes nsd.conf under dir/nsd, starts nsd and waits until it answers.
  // Throws StartupError (see readiness.h) with the log tail when it does not.
  NsdServer(const TempDir& dir, NsdOptions options);

  const std::string& address() const { return options_.address; }
  uint16_t port() const { return options_.port; }
  std::string endpoint() const { return options_.address + "@" + std::to_string(options_.port); }
  // Origins served, with trailing dot, e.g. {"example.", "test."}.
  const std::vector<std::string>& zones() const { return zones_; }
  const std::filesystem::path& log_path() const { return log_; }
  const std::filesystem::path& config_path() const { return config_; }
  DnsClient client() const { return DnsClient(options_.address, options_.port); }
  Process& process() { return process_; }

 private:
  NsdOptions options_;
  std::vector<std::string> zones_;
  std::filesystem::path log_;
  std::filesystem::path config_;
  Process process_;
};

}  // namespace pangea::integration
