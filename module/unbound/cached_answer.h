#pragma once
// Blocked answers in Unbound's message cache (CacheConfig::blocked_answers).
//
// A dynlib module answers only after Unbound created a mesh state for the
// query; a cache hit is answered by the worker before any module runs. So a
// blocked answer that is the same for every client is stored in the message
// cache, and repeated queries for it cost what any cache hit costs. What the
// module did on the query path (EDE, counters, hit log) is done on those hits by
// a reply-from-cache callback, which recognises Pangea's answers by a flag bit
// on their RRsets (kPangeaRrsetFlags) and costs ordinary cache hits one branch.
//
// The RRsets of an answer are stored in Unbound's RRset cache too, keyed by
// owner, type, class and flags. The private flag bit keeps Pangea's records
// apart from real ones (as Unbound's own PACKED_RRSET_RPZ does for RPZ data):
// the iterator looks RRsets up with flags 0 and never sees a sinkhole address,
// and a real RRset already cached never replaces a sinkhole one in our message.
//
// Thread safety: the callback runs on every worker thread, with the cached
// message and its RRsets read-locked; it only reads them. It takes the decision
// from the answer's token (answer_records.h) when it can, else decides again.

#include <cstdint>

#include "instance.h"
#include "unbound_api.h"

namespace pangea::unbound {

// Set on every RRset Pangea synthesises. 0x40000000 is unused by Unbound 1.17.1
// (packed_rrset.h defines 0x1 to 0x8 and 0x80000000).
inline constexpr uint32_t kPangeaRrsetBit = 0x40000000U;
inline constexpr uint32_t kPangeaRrsetFlags = PACKED_RRSET_RPZ | kPangeaRrsetBit;

// Whether a (cached) reply is one of Pangea's answers: its first RRset carries
// the flag. Every answer Pangea stores starts with one of its own RRsets.
inline bool is_pangea_answer(const reply_info* rep) {
  return rep != nullptr && rep->rrset_count > 0 && rep->rrsets[0] != nullptr &&
         (rep->rrsets[0]->rk.flags & kPangeaRrsetBit) != 0;
}

// Stores qstate->return_msg in the message cache under the query (flags as the
// worker hashes them: CD matters for AAAA), with `token` (answer_records.h; 0
// for none) in its own RRsets' flags. Call from operate only (no cache lock
// held). Returns whether Unbound took it.
bool store_answer(module_qstate* qstate, uint32_t token);

// Registers (deregisters) the reply-from-cache callback for `instance`, which
// must outlive the registration. From init / deinit.
bool register_cache_callback(module_env* env, int id, Instance* instance);
void deregister_cache_callback(module_env* env, int id);

}  // namespace pangea::unbound
