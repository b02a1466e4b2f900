#pragma once
// Keeps Pangea's stored blocked answers (CacheConfig::blocked_answers) away
// from name server hosts, whose addresses the iterator takes from the message
// cache too (see name_server_hosts.h): every NS target the resolver meets goes
// into the instance's NameServerHosts, and blocked answers for those names are
// answered through the module instead of being stored.

#include <cstddef>

#include "unbound_api.h"

namespace pangea::unbound {

class Instance;

// For every response the iterator receives (before it is used or stored):
// adds the targets of its NS records, and removes the stored address answers
// (A, AAAA) of those some client gets blocked, stored before the host was known.
void note_name_servers(Instance& instance, const dns_msg& response);

// At start: adds the stub-zone and forward-zone hosts of Unbound's
// configuration, and the NS targets already in the RRset cache (kept across
// `unbound-control reload_keep_cache`). Returns how many names were added.
size_t seed_name_servers(Instance& instance, module_env* env);

// False when a blocked answer to `qinfo` must not be stored: an address query
// for a name that may be a name server host.
bool may_store_blocked_answer(const Instance& instance, const query_info& qinfo);

// Called after storing one: removes it again when its name became a known
// host meanwhile (note_name_servers adds, then removes; this stores, then
// checks: one of the two sees the other).
void unstore_if_name_server(const Instance& instance, const query_info& qinfo);

}  // namespace pangea::unbound
