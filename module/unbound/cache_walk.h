#pragma once
// Walking one of Unbound's caches (message or RRset) without stalling the
// workers that use it.

#include "unbound_api.h"

namespace pangea::unbound {

// Calls visit(entry, arg) for every entry as slabhash_traverse() does (table,
// bin and entry locks; the entry read-locked), but releases the table lock
// every few hundred bins and yields: Unbound's cache locks are spinlocks, and
// holding a slab for its whole walk stalled queries for up to ~118 ms with
// 200,000 cached messages. A table that grew meanwhile (new bin array) is
// walked again from its first bin: visit must tolerate seeing an entry twice.
// visit must not take cache locks.
void traverse_in_chunks(slabhash* cache, void (*visit)(lruhash_entry*, void*), void* arg);

}  // namespace pangea::unbound
