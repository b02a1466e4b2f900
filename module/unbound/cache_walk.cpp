#include "cache_walk.h"

#include <algorithm>
#include <thread>

#include "cache_locks.h"

namespace pangea::unbound {
namespace {

// Bins visited per hold of a slab's table lock. slabhash_traverse() holds it
// for the whole slab, and every worker lookup that hashes to the slab waits
// (spinning, see traverse_in_chunks): with 200,000 cached messages queries
// stalled for up to ~118 ms. A table holds about one message per bin, so a
// hold lasts well under a millisecond.
constexpr size_t kBinsPerHold = 256;

}  // namespace

void traverse_in_chunks(slabhash* cache, void (*visit)(lruhash_entry*, void*), void* arg) {
  for (size_t t = 0; t < cache->size; ++t) {
    lruhash* table = cache->array[t];
    const lruhash_bin* bins = nullptr;
    size_t bin_count = 0;
    size_t next = 0;
    for (;;) {
      lock_quick_yielding(&table->lock);
      if (table->array != bins || table->size != bin_count) {
        bins = table->array;
        bin_count = table->size;
        next = 0;
      }
      const size_t end = std::min(next + kBinsPerHold, table->size);
      for (size_t i = next; i < end; ++i) {
        lock_quick_yielding(&table->array[i].lock);
        for (lruhash_entry* e = table->array[i].overflow_list; e != nullptr; e = e->overflow_next) {
          lock_rw_rdlock(&e->lock);
          visit(e, arg);
          lock_rw_unlock(&e->lock);
        }
        lock_quick_unlock(&table->array[i].lock);
      }
      const bool done = end >= table->size;
      lock_quick_unlock(&table->lock);
      if (done)
        break;
      next = end;
      // The cache locks are spinlocks. A worker sharing this core that
      // preempted us mid-chunk spun for its whole time slice; now that we hold
      // none, let it run before we take the next chunk.
      std::this_thread::yield();
    }
  }
}

}  // namespace pangea::unbound
