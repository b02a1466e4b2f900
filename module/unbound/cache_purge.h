#pragma once
// Removes message-cache entries for names a new list generation blocks.
//
// Cache hits are answered by the worker before any module runs, so a newly
// listed name would keep being served from cache until its TTL ran out. When a
// list is loaded we walk the message cache once and remove (not expire: with
// serve-expired an expired entry is still served) exactly the entries whose
// question name, or any name in their CNAME chain, the new generation blocks.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "unbound_api.h"

namespace pangea::unbound {

// Called with a wire-format name; true when that name must no longer be served
// from cache. Called with no cache lock held, on the caller's thread.
using CachePurgePredicate = std::function<bool(std::span<const uint8_t> wire_name)>;

// Returns the number of entries removed. Call with no cache lock held (from
// init, operate or the module's reload thread).
size_t purge_msg_cache(module_env* env, const CachePurgePredicate& must_purge);

// Removes the cached messages for one name (flags 0 and CD, which hash apart),
// for every query type the chain may have been cached under.
void purge_name(module_env* env, std::span<const uint8_t> wire_name, uint16_t qtype,
                uint16_t qclass);

}  // namespace pangea::unbound
