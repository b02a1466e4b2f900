#pragma once
// Validity windows open and close at given seconds ("block by midnight"), with
// no reload. An entry that becomes active (or an allow entry that expires) may
// find its name's real answer in Unbound's cache, which the worker would keep
// serving without asking us. This thread sleeps until the snapshot's next
// transition (Snapshot::next_transition) and then removes exactly the cached
// answers that the transition newly blocks. It runs whether or not list files
// are watched.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "pangea/policy/snapshot.h"
#include "cached_names.h"
#include "unbound_api.h"

namespace pangea::unbound {

class WindowWatch {
 public:
  using SnapshotSource = std::function<std::shared_ptr<const policy::Snapshot>()>;

  // `stored_answers`: CacheConfig::blocked_answers (Pangea's answers may be cached).
  // `index`: the cache index the purges look up (null: none); must outlive this.
  WindowWatch(module_env* env, SnapshotSource snapshots, bool stored_answers, CachedNames* index);
  ~WindowWatch();  // stops the thread promptly
  WindowWatch(const WindowWatch&) = delete;
  WindowWatch& operator=(const WindowWatch&) = delete;

  // Wakes the thread to recompute the next boundary (after a list swap).
  void rescan();

 private:
  void run();

  module_env* env_;
  SnapshotSource snapshots_;
  bool stored_answers_;
  CachedNames* index_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool rescan_ = false;
  std::thread thread_;
};

}  // namespace pangea::unbound
