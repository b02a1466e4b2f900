#include "harness/held_relay.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <stdexcept>

namespace pangea::integration {
namespace {

sockaddr_in loopback(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

bool readable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0 && (p.revents & POLLIN) != 0;
}

}  // namespace

HeldRelay::HeldRelay(uint16_t upstream_port, std::chrono::milliseconds max_hold)
    : max_hold_(max_hold) {
  listen_fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
  upstream_fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in any = loopback(0);
  sockaddr_in upstream = loopback(upstream_port);
  socklen_t len = sizeof(any);
  if (listen_fd_ < 0 || upstream_fd_ < 0 ||
      ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&any), sizeof(any)) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&any), &len) != 0 ||
      ::connect(upstream_fd_, reinterpret_cast<sockaddr*>(&upstream), sizeof(upstream)) != 0) {
    if (listen_fd_ >= 0)
      ::close(listen_fd_);
    if (upstream_fd_ >= 0)
      ::close(upstream_fd_);
    throw std::runtime_error("HeldRelay: cannot set up its loopback sockets");
  }
  port_ = ntohs(any.sin_port);
  thread_ = std::thread([this] { run(); });
}

HeldRelay::~HeldRelay() {
  stopping_ = true;
  thread_.join();
  ::close(listen_fd_);
  ::close(upstream_fd_);
}

bool HeldRelay::wait_for_query(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return held_cv_.wait_for(lock, timeout, [this] { return holding_; });
}

void HeldRelay::release() {
  released_ = true;
}

void HeldRelay::run() {
  std::array<uint8_t, 65536> buffer{};
  while (!stopping_) {
    if (!readable(listen_fd_, std::chrono::milliseconds(20)))
      continue;
    sockaddr_in asker{};
    socklen_t asker_len = sizeof(asker);
    const ssize_t n = ::recvfrom(listen_fd_, buffer.data(), buffer.size(), 0,
                                 reinterpret_cast<sockaddr*>(&asker), &asker_len);
    if (n <= 0)
      continue;
    ++queries_;
    if (::send(upstream_fd_, buffer.data(), static_cast<size_t>(n), 0) != n)
      continue;
    if (!readable(upstream_fd_, std::chrono::milliseconds(2000)))
      continue;
    const ssize_t reply = ::recv(upstream_fd_, buffer.data(), buffer.size(), 0);
    if (reply <= 0)
      continue;
    {
      std::lock_guard lock(mutex_);
      holding_ = true;
    }
    held_cv_.notify_all();
    const auto until = std::chrono::steady_clock::now() + max_hold_;
    while (!released_ && !stopping_ && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ::sendto(listen_fd_, buffer.data(), static_cast<size_t>(reply), 0,
             reinterpret_cast<sockaddr*>(&asker), asker_len);
  }
}

}  // namespace pangea::integration
