#pragma once
// The Unbound under test: this build's unbound binary with this build's
// pangea.so loaded through dynlib, in the foreground (-d) with its own config,
// log, pid file and remote-control port in a test directory. Every zone goes
// to a loopback upstream (stub-zones, and a forward-zone for "." so that
// nothing ever leaves loopback), and outgoing queries are bound to loopback.
//
// Stopped by the destructor (see Process). Not thread-safe.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "harness/dns_client.h"
#include "harness/process.h"
#include "harness/temp_dir.h"

namespace pangea::integration {

struct UnboundOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;          // 0: pick a free one
  uint16_t control_port = 0;  // 0: pick a free one
  std::string module_config = "dynlib validator iterator";
  std::filesystem::path module_file;  // empty: this build's pangea.so
  // Upstream for every query: stub-zone per name in `stub_zones`, and a
  // forward-zone "." (so names outside them get the upstream's REFUSED, i.e.
  // SERVFAIL, instead of a query to the real root). "address@port".
  std::string upstream;
  std::vector<std::string> stub_zones;  // "test.", "example.", ...
  int num_threads = 1;
  int verbosity = 1;
  // Lines added at the end of the server: clause, e.g. "ede: yes".
  std::vector<std::string> server_options;
  // Text appended after everything else (further clauses).
  std::string extra_config;
  // Added to unbound's environment, e.g. {"PANGEA_CONFIG", "/tmp/.../pangea.yaml"}.
  std::map<std::string, std::string> environment;
  std::chrono::milliseconds startup_timeout{10000};
};

// Result of an unbound-control command.
struct ControlResult {
  int exit_code = -1;  // -1: did not finish in time (it was killed)
  std::string output;  // stdout and stderr
};

// The unbound.conf text for `options` (ports already chosen), files under `dir`.
std::string render_unbound_config(const UnboundOptions& options, const std::filesystem::path& dir);

class UnboundServer {
 public:
  // Writes unbound.conf under dir/unbound, starts unbound and waits until it
  // answers a query. Throws StartupError (see readiness.h) with the log tail
  // when it exits early, cannot bind its port, or does not answer in time.
  UnboundServer(const TempDir& dir, UnboundOptions options);

  const std::string& address() const { return options_.address; }
  uint16_t port() const { return options_.port; }
  uint16_t control_port() const { return options_.control_port; }
  std::string endpoint() const { return options_.address + "@" + std::to_string(options_.port); }
  DnsClient client() const { return DnsClient(options_.address, options_.port); }
  const std::filesystem::path& config_path() const { return config_; }
  // Unbound's own log (logfile:). Its stderr (messages before the log is open)
  // goes to stderr_path().
  const std::filesystem::path& log_path() const { return log_; }
  const std::filesystem::path& stderr_path() const { return stderr_; }
  Process& process() { return process_; }

  // Runs `unbound-control -c <config> <args...>` (bounded to `timeout`), its
  // stdin from `input` (empty: /dev/null; load_cache reads it).
  ControlResult control(const std::vector<std::string>& args,
                        std::chrono::milliseconds timeout = std::chrono::milliseconds(10000),
                        const std::filesystem::path& input = {}) const;

 private:
  UnboundOptions options_;
  std::filesystem::path dir_;
  std::filesystem::path config_;
  std::filesystem::path log_;
  std::filesystem::path stderr_;
  Process process_;
};

}  // namespace pangea::integration
