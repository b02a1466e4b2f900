#include "harness/free_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>
#include <stdexcept>
#include <system_error>

namespace pangea::integration {
namespace {

sockaddr_in make_address(const std::string& address, uint16_t port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if (inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1) {
    throw std::invalid_argument("not an IPv4 address: '" + address + "'");
  }
  return sa;
}

// Binds a new socket of `type`; returns the fd (or -1, errno set) and the port.
int bind_socket(int type, const std::string& address, uint16_t port, uint16_t* bound_port) {
  int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    throw std::system_error(errno, std::generic_category(), "socket");
  }
  sockaddr_in sa = make_address(address, port);
  if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    int saved = errno;
    close(fd);
    errno = saved;
    return -1;
  }
  if (bound_port != nullptr) {
    socklen_t len = sizeof sa;
    getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
    *bound_port = ntohs(sa.sin_port);
  }
  return fd;
}

std::mutex g_mutex;
std::set<uint16_t> g_handed_out;

}  // namespace

uint16_t pick_free_port(const std::string& address) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    uint16_t port = 0;
    int udp = bind_socket(SOCK_DGRAM, address, 0, &port);
    if (udp < 0) {
      throw std::system_error(errno, std::generic_category(), "bind UDP " + address + "@0");
    }
    int tcp = bind_socket(SOCK_STREAM, address, port, nullptr);
    close(udp);
    if (tcp < 0) {
      continue;
    }
    close(tcp);
    std::lock_guard lock(g_mutex);
    if (g_handed_out.insert(port).second) {
      return port;
    }
  }
  throw std::runtime_error("no free UDP+TCP port on " + address + " after 200 attempts");
}

bool port_in_use(const std::string& address, uint16_t port) {
  for (int type : {SOCK_DGRAM, SOCK_STREAM}) {
    int fd = bind_socket(type, address, port, nullptr);
    if (fd < 0) {
      return true;
    }
    close(fd);
  }
  return false;
}

PortBlocker::PortBlocker(const std::string& address, uint16_t port) {
  udp_ = bind_socket(SOCK_DGRAM, address, port, &port_);
  if (udp_ < 0) {
    throw std::system_error(errno, std::generic_category(),
                            "PortBlocker: bind UDP " + address + "@" + std::to_string(port));
  }
  tcp_ = bind_socket(SOCK_STREAM, address, port_, nullptr);
  if (tcp_ < 0 || listen(tcp_, 1) != 0) {
    int saved = errno;
    close(udp_);
    if (tcp_ >= 0) {
      close(tcp_);
    }
    throw std::system_error(saved, std::generic_category(),
                            "PortBlocker: bind TCP " + address + "@" + std::to_string(port_));
  }
}

PortBlocker::~PortBlocker() {
  close(udp_);
  close(tcp_);
}

}  // namespace pangea::integration
