#pragma once
// Taking the locks of Unbound's caches from the module's own threads (purge,
// index rebuild) without spinning on a worker that cannot run.
//
// The cache locks are spinlocks (`lock_quick_*`). A module thread that shares
// a core with a worker, and preempts it while it holds one, spins for its
// whole time slice and holds up that worker's queries meanwhile (measured: a
// swap's purge of a few cached answers took 4.5 ms of CPU, 9.9 ms of wall time,
// under dnsperf load, where it takes 0.1 ms). These functions try the lock
// and yield the core until it is free; the workers keep Unbound's own locking.

#include <cstddef>

#include "unbound_api.h"

namespace pangea::unbound {

// Locks `lock`, yielding the core while another thread holds it.
void lock_quick_yielding(lock_quick_type* lock);

// slabhash_lookup() without moving the entry in the LRU list (a purge is not a
// use): the entry read-locked, or null. Unlock with lock_rw_unlock(&e->lock).
lruhash_entry* lookup_yielding(slabhash* cache, hashvalue_type hash, void* key);

// slabhash_remove(): removes and frees the entry for `key`, if there is one.
void remove_yielding(slabhash* cache, hashvalue_type hash, void* key);

}  // namespace pangea::unbound
