#pragma once
// Rebuilds the cache index (cached_names.h) in the background after it
// overflowed, so that list swaps keep looking up instead of walking.
//
// Unbound never tells a module what it evicts, so on a busy resolver the index
// fills with names long gone from the cache and passes its limit within
// minutes; until a walk rebuilds it, every swap would walk the cache itself
// (~0.5 µs per cached message, on the swap's critical path). This thread does
// that walk off the swap path soon after the overflow. A rebuild costs about
// what one swap's walk did; it is spaced so that it takes at most 1/20 of a
// core, and backs off when the cache itself holds more names than the limit
// (then every rebuild would overflow again: the limit is too low).

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "cached_names.h"
#include "unbound_api.h"

namespace pangea::unbound {

class IndexUpkeep {
 public:
  // Starts the thread; `env`'s message cache and `index` must outlive this.
  IndexUpkeep(module_env* env, CachedNames& index);
  ~IndexUpkeep();  // stops the thread, waiting for a rebuild in progress
  IndexUpkeep(const IndexUpkeep&) = delete;
  IndexUpkeep& operator=(const IndexUpkeep&) = delete;

 private:
  void run();
  // Rebuilds once; returns how long to wait before the next rebuild.
  std::chrono::milliseconds rebuild();

  module_env* env_;
  CachedNames& index_;
  std::chrono::milliseconds backoff_{0};  // after rebuilds that overflowed again
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace pangea::unbound
