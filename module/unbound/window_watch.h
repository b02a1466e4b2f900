#pragma once
// Validity windows start and end at given seconds ("block by midnight"), with
// no reload. Blocked answers are never cached, so an entry that expires needs
// nothing; but an entry that becomes active may find its name's real answer in
// Unbound's cache, which the worker would keep serving without asking us. This
// thread sleeps until the next window boundary of the loaded lists and then
// removes exactly the cached answers that the boundary newly blocks.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "pangea/policy/snapshot.h"
#include "unbound_api.h"

namespace pangea::unbound {

class WindowWatch {
 public:
  using SnapshotSource = std::function<std::shared_ptr<const policy::Snapshot>()>;

  WindowWatch(module_env* env, SnapshotSource snapshots);
  ~WindowWatch();  // stops the thread promptly
  WindowWatch(const WindowWatch&) = delete;
  WindowWatch& operator=(const WindowWatch&) = delete;

  // Wakes the thread to recompute the next boundary (after a list swap).
  void rescan();

 private:
  void run();

  module_env* env_;
  SnapshotSource snapshots_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool rescan_ = false;
  std::thread thread_;
};

// The first not_before strictly after `after` among the metadata records of
// every loaded list, or nullopt when none.
std::optional<int64_t> next_window_start(const policy::Snapshot& snapshot, int64_t after);

}  // namespace pangea::unbound
