#include "harness/readiness.h"

#include <thread>

#include "harness/log_file.h"

namespace pangea::integration {
namespace {

bool logs_mention_address_in_use(const std::vector<std::filesystem::path>& logs) {
  for (const auto& log : logs) {
    std::string text = read_file(log);
    if (text.find("Address already in use") != std::string::npos ||
        text.find("address already in use") != std::string::npos) {
      return true;
    }
  }
  return false;
}

[[noreturn]] void fail(Process& process, const DnsClient& client, const ReadinessProbe& probe,
                       const std::string& why) {
  process.stop();
  bool in_use = logs_mention_address_in_use(probe.logs);
  std::string message = probe.what + " on " + client.endpoint() + " " + why;
  if (in_use) {
    message += ": address " + client.endpoint() +
               " is already in use (another server, or a test running in parallel on the same "
               "port?)";
  }
  message += "\n";
  for (const auto& log : probe.logs) {
    message += tail(log, 15);
  }
  throw StartupError(message, in_use);
}

}  // namespace

void wait_until_answering(Process& process, const DnsClient& client, const ReadinessProbe& probe) {
  auto deadline = std::chrono::steady_clock::now() + probe.timeout;
  QueryOptions options;
  options.timeout = std::chrono::milliseconds(200);
  for (;;) {
    if (!process.running()) {
      fail(process, client, probe, process.describe_status() + " during startup");
    }
    if (client.try_query(probe.name, probe.type, options)) {
      return;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      fail(process, client, probe,
           "did not answer " + probe.name + " " + probe.type + " within " +
               std::to_string(probe.timeout.count()) + " ms (" + process.describe_status() + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace pangea::integration
