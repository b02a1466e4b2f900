#include "cache_purge.h"

#include <arpa/inet.h>

#include <string>
#include <vector>

namespace pangea::unbound {
namespace {

using Name = std::basic_string<uint8_t>;

// One cached message, copied out of the cache: its key, and the names of its
// CNAME chain.
struct CachedMessage {
  hashvalue_type hash;
  Name qname;
  uint16_t qtype;
  uint16_t qclass;
  std::vector<Name> chain;
};

// The CNAME target of an rrset's first record, as a span into its rdata.
std::span<const uint8_t> cname_target(const ub_packed_rrset_key* key) {
  const auto* data = static_cast<const packed_rrset_data*>(key->entry.data);
  if (data == nullptr || data->count == 0 || data->rr_len[0] < 3)
    return {};
  return {data->rr_data[0] + 2, data->rr_len[0] - 2};
}

// Copies the owner names and targets of the reply's CNAME rrsets. Takes the
// rrset locks in reference order, as rrset_array_lock() does, and skips rrsets
// replaced since the message was cached.
void copy_chain(reply_info* rep, std::vector<Name>& chain) {
  for (size_t i = 0; i < rep->rrset_count; ++i) {
    if (i > 0 && rep->ref[i].key == rep->ref[i - 1].key)
      continue;
    ub_packed_rrset_key* key = rep->ref[i].key;
    lock_rw_rdlock(&key->entry.lock);
    if (rep->ref[i].id == key->id && ntohs(key->rk.type) == LDNS_RR_TYPE_CNAME) {
      chain.emplace_back(key->rk.dname, key->rk.dname_len);
      const auto target = cname_target(key);
      chain.emplace_back(target.begin(), target.end());
    }
    lock_rw_unlock(&key->entry.lock);
  }
}

// Runs with the slab's table lock held, which the workers need for every cache
// lookup: only copy, never decide here.
void copy_entry(lruhash_entry* entry, void* arg) {
  auto* messages = static_cast<std::vector<CachedMessage>*>(arg);
  auto* key = static_cast<msgreply_entry*>(entry->key);
  auto* rep = static_cast<reply_info*>(entry->data);
  CachedMessage& message = messages->emplace_back();
  message.hash = entry->hash;
  message.qname.assign(key->key.qname, key->key.qname_len);
  message.qtype = key->key.qtype;
  message.qclass = key->key.qclass;
  if (rep != nullptr)
    copy_chain(rep, message.chain);
}

bool doomed(const CachedMessage& message, const CachePurgePredicate& must_purge) {
  if (must_purge(message.qname))
    return true;
  for (const Name& name : message.chain) {
    if (must_purge(name))
      return true;
  }
  return false;
}

}  // namespace

size_t purge_msg_cache(module_env* env, const CachePurgePredicate& must_purge) {
  if (env == nullptr || env->msg_cache == nullptr)
    return 0;
  // Copy the keys under the cache locks (tens of nanoseconds per message), then
  // decide without holding any lock (a few microseconds per message: two
  // policy lookups), then remove. Deciding inside the walk stalled every worker
  // whose lookup hashed to the slab being walked.
  std::vector<CachedMessage> messages;
  slabhash_traverse(env->msg_cache, 0, &copy_entry, &messages);
  // Decide every message first and remove them all afterwards, in one short
  // burst: the newly blocked names leave the cache together, so the new
  // generation is in force for all of them at once rather than one by one.
  std::vector<const CachedMessage*> doomed_messages;
  for (const auto& message : messages) {
    if (doomed(message, must_purge))
      doomed_messages.push_back(&message);
  }
  size_t removed = 0;
  for (const CachedMessage* message : doomed_messages) {
    query_info key{};
    key.qname = const_cast<uint8_t*>(message->qname.data());
    key.qname_len = message->qname.size();
    key.qtype = message->qtype;
    key.qclass = message->qclass;
    slabhash_remove(env->msg_cache, message->hash, &key);
    ++removed;
  }
  return removed;
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
