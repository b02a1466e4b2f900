#include "name_server_guard.h"

#include <arpa/inet.h>

#include <array>
#include <ctime>
#include <span>

#include "cache_purge.h"
#include "cache_walk.h"
#include "instance.h"

namespace pangea::unbound {
namespace {

// Calls add(target) for each well-formed NS target in `rrset` (RDATA names are
// stored uncompressed, after the 2-octet RDATA length).
template <typename Add>
void for_each_ns_target(const ub_packed_rrset_key& rrset, Add&& add) {
  if (ntohs(rrset.rk.type) != LDNS_RR_TYPE_NS)
    return;
  const auto* data = static_cast<const packed_rrset_data*>(rrset.entry.data);
  if (data == nullptr)
    return;
  for (size_t i = 0; i < data->count; ++i) {
    if (data->rr_len[i] <= 2)
      continue;
    uint8_t* name = data->rr_data[i] + 2;
    const size_t length = dname_valid(name, data->rr_len[i] - 2);
    if (length > 0)
      add(std::span<const uint8_t>(name, length), ntohs(rrset.rk.rrset_class));
  }
}

bool is_address_query(const query_info& qinfo) {
  return qinfo.qtype == LDNS_RR_TYPE_A || qinfo.qtype == LDNS_RR_TYPE_AAAA;
}

struct Seeding {
  NameServerHosts* hosts;
  int64_t now;
  size_t added;
};

void seed_from_rrset(lruhash_entry* entry, void* arg) {
  auto& seeding = *static_cast<Seeding*>(arg);
  const auto* rrset = static_cast<const ub_packed_rrset_key*>(entry->key);
  for_each_ns_target(*rrset, [&](std::span<const uint8_t> target, uint16_t) {
    seeding.hosts->add(target, seeding.now);
    ++seeding.added;
  });
}

void seed_from_hosts(const config_stub* zones, Seeding& seeding) {
  for (const config_stub* zone = zones; zone != nullptr; zone = zone->next) {
    for (const config_strlist* host = zone->hosts; host != nullptr; host = host->next) {
      std::array<uint8_t, LDNS_MAX_DOMAINLEN + 1> wire{};
      size_t length = wire.size();
      if (host->str != nullptr && sldns_str2wire_dname_buf(host->str, wire.data(), &length) == 0) {
        seeding.hosts->add(std::span<const uint8_t>(wire.data(), length), seeding.now);
        ++seeding.added;
      }
    }
  }
}

}  // namespace

void note_name_servers(Instance& instance, const dns_msg& response) {
  NameServerHosts* hosts = instance.name_server_hosts();
  if (hosts == nullptr || response.rep == nullptr)
    return;
  const int64_t now = std::time(nullptr);
  std::shared_ptr<const policy::Snapshot> snapshot;
  for (size_t i = 0; i < response.rep->rrset_count; ++i) {
    for_each_ns_target(*response.rep->rrsets[i],
                       [&](std::span<const uint8_t> target, uint16_t qclass) {
                         hosts->add(target, now);
                         if (!snapshot)
                           snapshot = instance.snapshot();
                         if (snapshot && snapshot->may_intercept(target, snapshot->now())) {
                           purge_name(instance.env(), target, LDNS_RR_TYPE_A, qclass);
                           purge_name(instance.env(), target, LDNS_RR_TYPE_AAAA, qclass);
                         }
                       });
  }
}

size_t seed_name_servers(Instance& instance, module_env* env) {
  NameServerHosts* hosts = instance.name_server_hosts();
  if (hosts == nullptr || env == nullptr)
    return 0;
  Seeding seeding{hosts, std::time(nullptr), 0};
  if (env->cfg != nullptr) {
    seed_from_hosts(env->cfg->stubs, seeding);
    seed_from_hosts(env->cfg->forwards, seeding);
  }
  if (env->rrset_cache != nullptr)
    traverse_in_chunks(&env->rrset_cache->table, &seed_from_rrset, &seeding);
  return seeding.added;
}

bool may_store_blocked_answer(const Instance& instance, const query_info& qinfo) {
  const NameServerHosts* hosts = instance.name_server_hosts();
  return hosts == nullptr || !is_address_query(qinfo) ||
         !hosts->may_contain(std::span<const uint8_t>(qinfo.qname, qinfo.qname_len));
}

void unstore_if_name_server(const Instance& instance, const query_info& qinfo) {
  if (may_store_blocked_answer(instance, qinfo))
    return;
  purge_name(instance.env(), std::span<const uint8_t>(qinfo.qname, qinfo.qname_len), qinfo.qtype,
             qinfo.qclass);
}

}  // namespace pangea::unbound
