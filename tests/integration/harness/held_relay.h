#pragma once
// A UDP relay on loopback that holds the upstream's replies until released:
// puts a query "in flight" for as long as a test needs (e.g. across a list
// swap). Queries are forwarded to the real upstream (the test's nsd) at once;
// their replies are kept and sent back to the asker only after release() or
// after `max_hold`, whichever comes first.
//
//   HeldRelay relay(nsd_port, std::chrono::seconds(3));  // listens on port()
//   ... a stub-zone pointing at 127.0.0.1@relay.port() ...
//   relay.wait_for_query(2s);   // a query arrived and its reply is held
//   relay.release();            // every held reply (and later ones) goes out
//
// The resolver must wait longer than the hold before retrying (Unbound:
// `infra-cache-min-rtt` above max_hold). One thread; stopped by the destructor.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace pangea::integration {

class HeldRelay {
 public:
  HeldRelay(uint16_t upstream_port, std::chrono::milliseconds max_hold);
  ~HeldRelay();
  HeldRelay(const HeldRelay&) = delete;
  HeldRelay& operator=(const HeldRelay&) = delete;

  uint16_t port() const { return port_; }
  // True once a query arrived and its upstream reply is held (bounded wait).
  bool wait_for_query(std::chrono::milliseconds timeout);
  // Sends every held reply, and from now on relays without holding.
  void release();
  // Queries relayed so far.
  size_t queries() const { return queries_.load(); }

 private:
  void run();

  int listen_fd_ = -1;
  int upstream_fd_ = -1;
  uint16_t port_ = 0;
  std::chrono::milliseconds max_hold_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> released_{false};
  std::atomic<size_t> queries_{0};
  std::mutex mutex_;
  std::condition_variable held_cv_;
  bool holding_ = false;
  std::thread thread_;
};

}  // namespace pangea::integration
