#include "harness/unbound_server.h"

#include <cstdlib>

#include <sys/wait.h>

#include <atomic>

#include "harness/build_paths.h"
#include "harness/free_port.h"
#include "harness/log_file.h"
#include "harness/readiness.h"

namespace pangea::integration {
namespace {

std::string quoted(const std::filesystem::path& p) {
  return "\"" + p.string() + "\"";
}

// The sanitizer build's module needs its runtime loaded first in an
// uninstrumented Unbound: ./test sets PANGEA_UNBOUND_PRELOAD to libasan and
// libstdc++ (ASan's __cxa_throw interceptor must find libstdc++ at start, not
// when the module is dlopen'ed), and only unbound gets it (not nsd, not
// unbound-control).
std::map<std::string, std::string> with_sanitizer_runtime(std::map<std::string, std::string> env) {
  if (const char* preload = std::getenv("PANGEA_UNBOUND_PRELOAD"); preload != nullptr && *preload) {
    env["LD_PRELOAD"] = preload;
    // Unbound's own allocations are not ours to judge: no leak report at exit.
    env.emplace("ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1");
  }
  return env;
}

}  // namespace

std::string render_unbound_config(const UnboundOptions& options, const std::filesystem::path& dir) {
  std::filesystem::path module =
      options.module_file.empty() ? std::filesystem::path(kModuleFile) : options.module_file;
  std::string c;
  c += "# Written by the Pangea integration-test harness.\n";
  c += "server:\n";
  c += "  verbosity: " + std::to_string(options.verbosity) + "\n";
  c += "  num-threads: " + std::to_string(options.num_threads) + "\n";
  c += "  interface: " + options.address + "\n";
  c += "  port: " + std::to_string(options.port) + "\n";
  c += "  do-ip6: no\n";
  // Otherwise a second unbound could share the port instead of failing.
  c += "  so-reuseport: no\n";
  c += "  do-daemonize: no\n";
  c += "  use-syslog: no\n";
  c += "  log-time-ascii: yes\n";
  c += "  logfile: " + quoted(dir / "unbound.log") + "\n";
  c += "  username: \"\"\n";
  c += "  chroot: \"\"\n";
  c += "  directory: " + quoted(dir) + "\n";
  c += "  pidfile: " + quoted(dir / "unbound.pid") + "\n";
  c += "  module-config: \"" + options.module_config + "\"\n";
  c += "  access-control: 127.0.0.0/8 allow\n";
  // Upstreams are on loopback; bind outgoing queries there too, so nothing can
  // leave the machine even through a stray referral.
  c += "  do-not-query-localhost: no\n";
  c += "  outgoing-interface: 127.0.0.1\n";
  c += "  outgoing-range: 64\n";
  c += "  num-queries-per-thread: 32\n";
  for (const auto& zone : options.stub_zones) {
    // Unbound answers some names itself by default (test., invalid., ...).
    c += "  local-zone: \"" + zone + "\" nodefault\n";
  }
  for (const auto& line : options.server_options) {
    c += "  " + line + "\n";
  }
  c += "dynlib:\n";
  c += "  dynlib-file: " + quoted(module) + "\n";
  c += "remote-control:\n";
  c += "  control-enable: yes\n";
  c += "  control-interface: 127.0.0.1\n";
  c += "  control-port: " + std::to_string(options.control_port) + "\n";
  c += "  control-use-cert: no\n";
  if (!options.upstream.empty()) {
    for (const auto& zone : options.stub_zones) {
      c += "stub-zone:\n";
      c += "  name: \"" + zone + "\"\n";
      c += "  stub-addr: " + options.upstream + "\n";
    }
    c += "forward-zone:\n";
    c += "  name: \".\"\n";
    c += "  forward-addr: " + options.upstream + "\n";
  }
  c += options.extra_config;
  if (!c.ends_with('\n')) {
    c += '\n';
  }
  return c;
}

UnboundServer::UnboundServer(const TempDir& dir, UnboundOptions options)
    : options_(std::move(options)),
      dir_(dir / "unbound"),
      config_(dir_ / "unbound.conf"),
      log_(dir_ / "unbound.log"),
      stderr_(dir_ / "stderr.log"),
      process_([&] {
        if (options_.port == 0) {
          options_.port = pick_free_port(options_.address);
        }
        if (options_.control_port == 0) {
          options_.control_port = pick_free_port("127.0.0.1");
        }
        TempDir::write_file(config_, render_unbound_config(options_, dir_));
        return ProcessSpec{kUnboundBinary,
                           {"-d", "-c", config_.string()},
                           with_sanitizer_runtime(options_.environment),
                           stderr_,
                           dir_,
                           {}};
      }()) {
  // Any answer means the listener is up; localhost. is a built-in local zone,
  // so this does not depend on the upstream or the module.
  ReadinessProbe probe{"unbound", "localhost.", "A", options_.startup_timeout, {log_, stderr_}};
  wait_until_answering(process_, client(), probe);
}

ControlResult UnboundServer::control(const std::vector<std::string>& args,
                                     std::chrono::milliseconds timeout,
                                     const std::filesystem::path& input) const {
  static std::atomic<unsigned> counter{0};
  auto output = dir_ / ("control-" + std::to_string(counter++) + ".out");
  std::vector<std::string> argv{"-c", config_.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  Process control(ProcessSpec{kUnboundControlBinary, argv, {}, output, dir_, input});
  ControlResult result;
  if (auto status = control.wait(timeout)) {
    result.exit_code = WIFEXITED(*status) ? WEXITSTATUS(*status) : 128 + WTERMSIG(*status);
  } else {
    control.stop();
  }
  result.output = read_file(output);
  return result;
}

}  // namespace pangea::integration
