#pragma once
// Picks loopback ports nobody listens on, so tests running in parallel (ctest
// -j, one process per TEST_CASE) never share a server port.
//
// A port is "free" when both a UDP and a TCP socket could bind it at that
// moment. The sockets are closed before returning, so another process may grab
// the port before our server binds it: rare, and TestResolver retries a start
// that failed with "address in use" on fresh ports. Ports handed out by this
// process are remembered and never handed out twice. Thread-safe.

#include <cstdint>
#include <string>

namespace pangea::integration {

// Throws std::runtime_error when no port could be found after many attempts.
uint16_t pick_free_port(const std::string& address = "127.0.0.1");

// True when something already holds `port` on `address` for UDP or TCP.
bool port_in_use(const std::string& address, uint16_t port);

// Holds a UDP socket and a listening TCP socket on address@port until
// destroyed: the "port already taken" fixture for harness self-tests.
class PortBlocker {
 public:
  PortBlocker(const std::string& address, uint16_t port);  // port 0: any free port
  ~PortBlocker();
  PortBlocker(const PortBlocker&) = delete;
  PortBlocker& operator=(const PortBlocker&) = delete;
  uint16_t port() const { return port_; }

 private:
  int udp_ = -1;
  int tcp_ = -1;
  uint16_t port_ = 0;
};

}  // namespace pangea::integration
