#pragma once
// The calling thread's CPU time: the cost of the module's background work (a
// purge, an index rebuild) without the workers that preempt it, which is what
// that work yields to.

#include <time.h>

#include <cstdint>

namespace pangea::unbound {

inline int64_t thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

}  // namespace pangea::unbound
