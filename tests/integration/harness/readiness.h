#pragma once
// Waiting for a freshly started server to answer, and explaining clearly why
// it did not: the process exited (with the tail of its logs), its port was
// taken, or it never answered within the bound.

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/dns_client.h"
#include "harness/process.h"

namespace pangea::integration {

class StartupError : public std::runtime_error {
 public:
  StartupError(const std::string& message, bool address_in_use)
      : std::runtime_error(message), address_in_use_(address_in_use) {}
  // The server could not bind its port: a retry on other ports may succeed.
  bool address_in_use() const { return address_in_use_; }

 private:
  bool address_in_use_;
};

struct ReadinessProbe {
  std::string what;  // "unbound", "nsd"
  std::string name;  // query this name ...
  std::string type;  // ... and type; any DNS response counts as "up"
  std::chrono::milliseconds timeout{10000};
  std::vector<std::filesystem::path> logs;  // tailed into the error message
};

// Polls `client` until the server answers. Throws StartupError when the
// process exits first or the timeout passes; `process` is stopped then.
void wait_until_answering(Process& process, const DnsClient& client, const ReadinessProbe& probe);

}  // namespace pangea::integration
