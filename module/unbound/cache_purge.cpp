#include "cache_purge.h"

#include <arpa/inet.h>

#include <string>
#include <vector>

namespace pangea::unbound {
namespace {

struct DoomedEntry {
  hashvalue_type hash;
  std::basic_string<uint8_t> qname;
  uint16_t qtype;
  uint16_t qclass;
};

struct Walk {
  const CachePurgePredicate* must_purge;
  std::vector<DoomedEntry> doomed;
};

// The CNAME target of an rrset's first record, as a span into its rdata.
std::span<const uint8_t> cname_target(const ub_packed_rrset_key* key) {
  const auto* data = static_cast<const packed_rrset_data*>(key->entry.data);
  if (data == nullptr || data->count == 0 || data->rr_len[0] < 3) return {};
  return {data->rr_data[0] + 2, data->rr_len[0] - 2};
}

// True when any owner name or CNAME target in the cached reply must go. Takes
// the rrset locks in reference order, as rrset_array_lock() does, and skips
// rrsets that were replaced since the message was cached.
bool chain_must_purge(reply_info* rep, const CachePurgePredicate& must_purge) {
  for (size_t i = 0; i < rep->rrset_count; ++i) {
    if (i > 0 && rep->ref[i].key == rep->ref[i - 1].key) continue;
    ub_packed_rrset_key* key = rep->ref[i].key;
    lock_rw_rdlock(&key->entry.lock);
    bool hit = false;
    if (rep->ref[i].id == key->id && ntohs(key->rk.type) == LDNS_RR_TYPE_CNAME) {
      hit = must_purge({key->rk.dname, key->rk.dname_len}) || must_purge(cname_target(key));
    }
    lock_rw_unlock(&key->entry.lock);
    if (hit) return true;
  }
  return false;
}

void visit_entry(lruhash_entry* entry, void* arg) {
  auto* walk = static_cast<Walk*>(arg);
  auto* key = static_cast<msgreply_entry*>(entry->key);
  auto* rep = static_cast<reply_info*>(entry->data);
  const std::span<const uint8_t> qname{key->key.qname, key->key.qname_len};
  bool doomed = (*walk->must_purge)(qname);
  if (!doomed && rep != nullptr) doomed = chain_must_purge(rep, *walk->must_purge);
  if (doomed) {
    walk->doomed.push_back(DoomedEntry{entry->hash, {qname.begin(), qname.end()}, key->key.qtype,
                                       key->key.qclass});
  }
}

}  // namespace

size_t purge_msg_cache(module_env* env, const CachePurgePredicate& must_purge) {
  if (env == nullptr || env->msg_cache == nullptr) return 0;
  Walk walk{&must_purge, {}};
  // Collect under read locks, remove afterwards: removing inside the walk would
  // take the bin lock the walk already holds.
  slabhash_traverse(env->msg_cache, 0, &visit_entry, &walk);
  for (auto& doomed : walk.doomed) {
    query_info key{};
    key.qname = doomed.qname.data();
    key.qname_len = doomed.qname.size();
    key.qtype = doomed.qtype;
    key.qclass = doomed.qclass;
    slabhash_remove(env->msg_cache, doomed.hash, &key);
  }
  return walk.doomed.size();
}

void purge_name(module_env* env, std::span<const uint8_t> wire_name, uint16_t qtype, uint16_t qclass) {
  if (env == nullptr || env->msg_cache == nullptr) return;
  auto* name = const_cast<uint8_t*>(wire_name.data());
  msg_cache_remove(env, name, wire_name.size(), qtype, qclass, 0);
  msg_cache_remove(env, name, wire_name.size(), qtype, qclass, BIT_CD);
}

}  // namespace pangea::unbound
