#include "cache_purge.h"

#include <arpa/inet.h>

#include <algorithm>
#include <string>
#include <vector>

#include "answer_records.h"  // token_of_flags
#include "cache_locks.h"
#include "cache_walk.h"
#include "cached_answer.h"  // kPangeaRrsetBit

namespace pangea::unbound {
namespace {

using Name = std::basic_string<uint8_t>;

// A cached message's key, copied out under the cache locks so that the message
// can be removed after they are released.
struct MessageKey {
  hashvalue_type hash;
  Name qname;
  uint16_t qtype;
  uint16_t qclass;

  static MessageKey of(const lruhash_entry* entry) {
    const auto* key = static_cast<const msgreply_entry*>(entry->key);
    return {entry->hash, Name(key->key.qname, key->key.qname_len), key->key.qtype, key->key.qclass};
  }
  // Takes the cache locks itself; a message gone meanwhile is no error.
  void remove_from(slabhash* cache) const {
    query_info info{};
    info.qname = const_cast<uint8_t*>(qname.data());
    info.qname_len = qname.size();
    info.qtype = qtype;
    info.qclass = qclass;
    remove_yielding(cache, hash, &info);
  }
};

// One cached message, copied out of the cache: its key, and the names of its
// CNAME chain.
struct CachedMessage {
  MessageKey key;
  std::vector<Name> chain;
  bool ours = false;     // one of Pangea's answers
  bool dropped = false;  // removed whatever the predicates say
};

// The CNAME target of an rrset's first record, as a span into its rdata.
std::span<const uint8_t> cname_target(const ub_packed_rrset_key* key) {
  const auto* data = static_cast<const packed_rrset_data*>(key->entry.data);
  if (data == nullptr || data->count == 0 || data->rr_len[0] < 3)
    return {};
  return {data->rr_data[0] + 2, data->rr_len[0] - 2};
}

// Calls visit(owner, target) for the CNAME rrsets of the reply's answer
// section, where a chain lives (the other sections are most of a reply's
// rrsets, and each costs a lock and a cache miss). Takes one rrset lock at a
// time and skips rrsets replaced since the message was cached. Stops when
// visit returns true.
template <typename Visit>
bool visit_chain(reply_info* rep, Visit&& visit) {
  for (size_t i = 0; i < rep->an_numrrsets && i < rep->rrset_count; ++i) {
    ub_packed_rrset_key* key = rep->rrsets[i];
    // ref[] is sorted by key address for lock ordering: find this key's id.
    const rrset_ref* ref = nullptr;
    for (size_t r = 0; r < rep->rrset_count && ref == nullptr; ++r) {
      if (rep->ref[r].key == key)
        ref = &rep->ref[r];
    }
    if (ref == nullptr)
      continue;
    lock_rw_rdlock(&key->entry.lock);
    bool stop = false;
    if (ref->id == key->id && ntohs(key->rk.type) == LDNS_RR_TYPE_CNAME) {
      stop = visit(std::span<const uint8_t>(key->rk.dname, key->rk.dname_len), cname_target(key));
    }
    lock_rw_unlock(&key->entry.lock);
    if (stop)
      return true;
  }
  return false;
}

// Whether a message is one of Pangea's answers, and its token's generation tag
// (answer_records.h), if it has a token. A stored answer holds only Pangea's
// RRsets, each with kPangeaRrsetBit and the token, so the first in reference
// order tells. Takes its lock and skips it if replaced since the message was
// cached, as visit_chain() does.
struct Mark {
  bool ours = false;
  std::optional<uint32_t> tag;
};
Mark mark_of(const reply_info* rep) {
  Mark mark;
  if (rep == nullptr || rep->rrset_count == 0)
    return mark;
  ub_packed_rrset_key* key = rep->ref[0].key;
  lock_rw_rdlock(&key->entry.lock);
  if (rep->ref[0].id == key->id && (key->rk.flags & kPangeaRrsetBit) != 0) {
    mark.ours = true;
    const uint32_t token = token_of_flags(key->rk.flags);
    if (token != 0)
      mark.tag = tag_of_token(token);
  }
  lock_rw_unlock(&key->entry.lock);
  return mark;
}

// The owner and target names of the reply's CNAMEs (visit_chain), copied.
std::vector<Name> chain_of(reply_info* rep) {
  std::vector<Name> chain;
  if (rep != nullptr) {
    visit_chain(rep, [&](std::span<const uint8_t> owner, std::span<const uint8_t> target) {
      chain.emplace_back(owner.begin(), owner.end());
      chain.emplace_back(target.begin(), target.end());
      return false;
    });
  }
  return chain;
}

// A walked message, copied to rebuild the cache index from.
struct SeenMessage {
  Name qname;
  uint16_t qtype;
  uint16_t qclass;
  std::vector<Name> chain;

  static SeenMessage of(lruhash_entry* entry) {
    const auto* key = static_cast<const msgreply_entry*>(entry->key);
    return {Name(key->key.qname, key->key.qname_len), key->key.qtype, key->key.qclass,
            chain_of(static_cast<reply_info*>(entry->data))};
  }
};

void see_entry(lruhash_entry* entry, void* arg) {
  static_cast<std::vector<SeenMessage>*>(arg)->push_back(SeenMessage::of(entry));
}

// Adds what a rebuilding walk saw to the index and ends the rebuild.
void add_seen(CachedNames& index, const std::vector<SeenMessage>& seen) {
  std::vector<std::span<const uint8_t>> chain;
  for (const SeenMessage& message : seen) {
    chain.assign(message.chain.begin(), message.chain.end());
    index.add_message(message.qname, message.qtype, message.qclass, chain);
  }
  index.finish_rebuild();
}

struct Walk {
  bool find_ours;  // Pangea's answers may be in the cache: mark them
  std::optional<uint32_t> drop_tag;
  const policy::ChangeSet* prefilter;
  std::vector<CachedMessage> candidates;
  size_t walked = 0;
  std::vector<SeenMessage>* seen = nullptr;  // when rebuilding the index
};

// Runs with the slab's table lock held, which the workers need for every cache
// lookup: only a few hash probes and copies here, never a policy lookup.
void visit_entry(lruhash_entry* entry, void* arg) {
  auto* walk = static_cast<Walk*>(arg);
  const auto* key = static_cast<const msgreply_entry*>(entry->key);
  auto* rep = static_cast<reply_info*>(entry->data);
  ++walk->walked;
  const std::span<const uint8_t> qname(key->key.qname, key->key.qname_len);
  const SeenMessage* seen = nullptr;
  if (walk->seen != nullptr)
    seen = &walk->seen->emplace_back(SeenMessage::of(entry));
  const Mark mark = walk->find_ours ? mark_of(rep) : Mark{};
  const bool dropped = walk->drop_tag && mark.tag == walk->drop_tag;
  if (!dropped && walk->prefilter != nullptr && !walk->prefilter->may_affect(qname)) {
    // The question name is far from every change; its chain may not be.
    const bool near =
        rep != nullptr &&
        visit_chain(rep, [&](std::span<const uint8_t> owner, std::span<const uint8_t> target) {
          return walk->prefilter->may_affect(owner) || walk->prefilter->may_affect(target);
        });
    if (!near)
      return;
  }
  CachedMessage& message = walk->candidates.emplace_back();
  message.ours = mark.ours;
  message.dropped = dropped;
  message.key = MessageKey::of(entry);
  message.chain = seen != nullptr ? seen->chain : chain_of(rep);
}

bool doomed(const CachedMessage& message, const CachePurgePredicate& must_purge,
            const CachePurgePredicate* must_purge_ours) {
  if (message.dropped)
    return true;
  if (message.ours)  // no CNAME chain: the question name decides (marked only with the predicate)
    return (*must_purge_ours)(message.key.qname);
  if (must_purge(message.key.qname))
    return true;
  for (const Name& name : message.chain) {
    if (must_purge(name))
      return true;
  }
  return false;
}

void copy_pangea_entry(lruhash_entry* entry, void* arg) {
  if (!mark_of(static_cast<const reply_info*>(entry->data)).ours)
    return;
  static_cast<std::vector<MessageKey>*>(arg)->push_back(MessageKey::of(entry));
}

// The candidates from the index: the messages it holds under the changed
// names, looked up in the cache one by one and visited as the walk would.
// False when the index cannot stand in for the walk.
bool visit_indexed(module_env* env, CachedNames& index, Walk& walk) {
  if (walk.prefilter == nullptr || !index.complete() ||
      msg_cache_count(env) > index.message_bound()) {
    return false;
  }
  const auto keys = walk.prefilter->keys();
  const auto messages = index.messages_under(keys, walk.drop_tag);
  if (!messages)
    return false;
  for (const MessageName& message : *messages) {
    query_info info{};
    info.qname = const_cast<uint8_t*>(message.qname.data());
    info.qname_len = message.qname.size();
    info.qtype = message.qtype;
    info.qclass = message.qclass;
    // With and without CD: AAAA hashes apart (query_info_hash), others alike.
    const uint16_t variants = message.qtype == LDNS_RR_TYPE_AAAA ? 2 : 1;
    for (uint16_t v = 0; v < variants; ++v) {
      const hashvalue_type hash = query_info_hash(&info, v == 0 ? 0 : BIT_CD);
      lruhash_entry* entry = lookup_yielding(env->msg_cache, hash, &info);
      if (entry == nullptr)
        continue;
      visit_entry(entry, &walk);
      lock_rw_unlock(&entry->lock);
    }
  }
  return true;
}

// Walks the whole cache; with `index`, rebuilds it from what the walk saw.
// The index records again from before the walk starts, so a message stored
// behind the walk is recorded by its query (cache_index.h).
void visit_all(module_env* env, CachedNames* index, Walk& walk) {
  std::vector<SeenMessage> seen;
  if (index != nullptr) {
    index->restart();
    walk.seen = &seen;
  }
  traverse_in_chunks(env->msg_cache, &visit_entry, &walk);
  walk.seen = nullptr;
  if (index != nullptr)
    add_seen(*index, seen);
}

}  // namespace

size_t purge_pangea_answers(module_env* env) {
  if (env == nullptr || env->msg_cache == nullptr)
    return 0;
  std::vector<MessageKey> answers;
  traverse_in_chunks(env->msg_cache, &copy_pangea_entry, &answers);
  for (const MessageKey& answer : answers)
    answer.remove_from(env->msg_cache);
  return answers.size();
}

PurgeResult purge_msg_cache(module_env* env, const policy::ChangeSet* prefilter,
                            const CachePurgePredicate& must_purge,
                            const CachePurgePredicate* must_purge_ours,
                            std::optional<uint32_t> drop_tag, CachedNames* index) {
  PurgeResult result;
  if (env == nullptr || env->msg_cache == nullptr)
    return result;
  // Under the cache locks: the prefilter (tens of nanoseconds per message) and
  // copies of the messages that pass it. Outside them: the exact decision (a
  // few microseconds per message: two policy lookups). Deciding inside the
  // walk stalled every worker whose lookup hashed to the slab being walked.
  Walk walk{must_purge_ours != nullptr, drop_tag, prefilter, {}, 0};
  result.indexed = index != nullptr && visit_indexed(env, *index, walk);
  if (!result.indexed)
    visit_all(env, index, walk);
  result.walked = result.indexed ? msg_cache_count(env) : walk.walked;
  result.candidates = walk.candidates.size();
  // Decide every message first and remove them all afterwards, in one short
  // burst: the newly blocked names leave the cache together, so the new
  // generation is in force for all of them at once rather than one by one.
  std::vector<const CachedMessage*> doomed_messages;
  for (const auto& message : walk.candidates) {
    if (doomed(message, must_purge, must_purge_ours))
      doomed_messages.push_back(&message);
  }
  for (const CachedMessage* message : doomed_messages) {
    message->key.remove_from(env->msg_cache);
    ++result.removed;
  }
  return result;
}

IndexRebuild rebuild_index(module_env* env, CachedNames& index) {
  if (env == nullptr || env->msg_cache == nullptr)
    return {};
  std::vector<SeenMessage> seen;
  index.restart();
  traverse_in_chunks(env->msg_cache, &see_entry, &seen);
  add_seen(index, seen);
  // Read at once: a later overflow is new traffic's, not this walk's.
  return {seen.size(), index.complete()};
}

size_t msg_cache_count(module_env* env) {
  if (env == nullptr || env->msg_cache == nullptr)
    return 0;
  size_t count = 0;
  for (size_t i = 0; i < env->msg_cache->size; ++i) {
    lruhash* table = env->msg_cache->array[i];
    lock_quick_yielding(&table->lock);
    count += table->num;
    lock_quick_unlock(&table->lock);
  }
  return count;
}

void purge_name(module_env* env, std::span<const uint8_t> wire_name, uint16_t qtype,
                uint16_t qclass) {
  if (env == nullptr || env->msg_cache == nullptr)
    return;
  auto* name = const_cast<uint8_t*>(wire_name.data());
  msg_cache_remove(env, name, wire_name.size(), qtype, qclass, 0);
  msg_cache_remove(env, name, wire_name.size(), qtype, qclass, BIT_CD);
}

}  // namespace pangea::unbound
