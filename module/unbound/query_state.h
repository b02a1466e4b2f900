#pragma once
// Pangea's per-query state in qstate->minfo[id], allocated in qstate->region and
// freed with it (trivially destructible).

#include <cstdint>
#include <new>
#include <type_traits>

#include "cache_index.h"
#include "unbound_api.h"

namespace pangea::unbound {

// Under which lists a query was decided and passed on: the decision holds for
// that generation until its next validity-window transition (see
// enforce_after_change in module.cpp).
struct PassedOn {
  bool passed = false;
  uint64_t generation = 0;
  int64_t valid_until = INT64_MAX;  // UTC seconds; INT64_MAX: no transition ahead
};

struct QueryState {
  PassedOn passed;
  dns_msg* landing = nullptr;  // the cname action: the CNAME, then the landing name's records
  // What this query may have stored in the message cache, recorded again in
  // the cache index when it ends if the index was cleared since (cache_index.h).
  RecordedNames* recorded = nullptr;
  uint64_t recorded_epoch = 0;  // CachedNames::epoch() before the first record
};
static_assert(std::is_trivially_destructible_v<QueryState>);

// The query's state, created on first use; null when the region is exhausted.
inline QueryState* query_state(module_qstate* qstate, int id) {
  auto* state = static_cast<QueryState*>(qstate->minfo[id]);
  if (state == nullptr) {
    void* memory = regional_alloc(qstate->region, sizeof(QueryState));
    if (memory == nullptr)
      return nullptr;
    state = new (memory) QueryState();
    qstate->minfo[id] = state;
  }
  return state;
}

}  // namespace pangea::unbound
