#pragma once
// Removes message-cache entries for names a new list generation blocks.
//
// Cache hits are answered by the worker before any module runs, so a newly
// listed name would keep being served from cache until its TTL ran out. When a
// list is loaded we walk the message cache once and remove (not expire: with
// serve-expired an expired entry is still served) exactly the entries whose
// question name, or any name in their CNAME chain, the new generation blocks.
//
// The walk is cheap per message when a policy::ChangeSet is given: under the
// cache locks each message's names get a few hash probes, and only the
// messages that pass (the names near a changed entry) are copied out and
// decided exactly, outside the locks. With the cache index (cached_names.h)
// and a change set there is no walk: the messages recorded under the changed
// names are looked up in the cache, and decided the same way.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>

#include "cached_names.h"
#include "pangea/policy/change_set.h"
#include "unbound_api.h"

namespace pangea::unbound {

// Called with a wire-format name; true when that name must no longer be served
// from cache. Called with no cache lock held, on the caller's thread.
using CachePurgePredicate = std::function<bool(std::span<const uint8_t> wire_name)>;

// Past this many changed names a purge uses no change set and decides every
// cached message: the set's table would pass 4 MiB, for a change (a swap, a
// turn of validity windows) that rewrites most of a list.
inline constexpr size_t kMaxChangedNames = size_t{1} << 18;

struct PurgeResult {
  size_t walked = 0;      // messages in the cache (walked, or counted)
  size_t candidates = 0;  // decided with `must_purge` (passed the prefilter)
  size_t removed = 0;
  bool indexed = false;  // looked up in the index, no walk
};

// Removes the cached messages for which `must_purge` is true of the question
// name or of a name in the CNAME chain. With `prefilter`, only messages for
// which prefilter->may_affect() is true of one of those names are decided; it
// must be a superset of `must_purge`. Call with no cache lock held (from init,
// operate or the module's reload thread).
// Pangea's own cached answers (cached_answer.h) are decided with
// `must_purge_ours` instead, on their question name (they have no chain): a real
// answer goes when its name is newly blocked, a blocked one when its decision
// changed. Null when Pangea stores no answers (CacheConfig::blocked_answers
// off): the walk then does not look for them, which costs a lock per message.
// With `drop_tag`, every one of Pangea's answers whose token has that
// generation tag (answer_records.h) is removed too, whatever its name.
// With `index` and `prefilter`, and the index complete and not outnumbered by
// the cache, the candidates are the messages the index holds under the
// changed names; otherwise the cache is walked and `index` rebuilt from it.
PurgeResult purge_msg_cache(module_env* env, const policy::ChangeSet* prefilter,
                            const CachePurgePredicate& must_purge,
                            const CachePurgePredicate* must_purge_ours,
                            std::optional<uint32_t> drop_tag = std::nullopt,
                            CachedNames* index = nullptr);

// Walks the message cache and rebuilds `index` from the messages it holds (as
// the purge does when it walks; see visit_all). The index is complete
// afterwards unless it overflowed meanwhile, or another rebuild is still
// running. Same locking rules as purge_msg_cache.
struct IndexRebuild {
  size_t messages = 0;    // seen in the cache
  bool complete = false;  // the index, as the rebuild ended
};
IndexRebuild rebuild_index(module_env* env, CachedNames& index);

// Messages in the message cache now (an estimate: the count moves under us).
size_t msg_cache_count(module_env* env);

// Removes every cached message that is one of Pangea's blocked answers
// (cached_answer.h), whatever its name; returns how many. Same locking rules as
// purge_msg_cache. For a cache kept across a reload of the configuration.
size_t purge_pangea_answers(module_env* env);

// Removes the cached messages for one name (flags 0 and CD, which hash apart),
// for every query type the chain may have been cached under.
void purge_name(module_env* env, std::span<const uint8_t> wire_name, uint16_t qtype,
                uint16_t qclass);

}  // namespace pangea::unbound
