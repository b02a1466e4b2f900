#pragma once
// Unbound's own lookups of listed names: they resolve, but stay out of the
// message cache.
//
// A query without a client (the iterator's lookup of a name server's address,
// prefetch, the validator's lookups) must resolve even for a listed name: an NS
// host under a listed domain may serve unrelated zones. But the worker answers
// clients from the message cache without asking any module, so a real answer
// stored there for a listed name would bypass the policy. The iterator starts
// its own lookups at itself (curmod = iterator), so they reach this module's
// operate() only when they are done (module_event_moddone), after the iterator
// stored their answer: a query-response inplace callback reaches them before.

#include "unbound_api.h"

namespace pangea::unbound {

class Instance;

// Validator and iterator subqueries, priming and prefetch have no client. They
// must resolve even for listed names: an NS host under a listed domain may
// serve unrelated zones.
bool is_internal(const module_qstate* qstate);

// Sets qstate->no_cache_store when some client would get the query name
// intercepted. For queries without a client only.
void keep_listed_out_of_cache(Instance& instance, module_qstate* qstate);

// Registers (init) and removes (deinit) the query-response callback, through
// dynlibmod's wrapper. False when Unbound refused the registration.
bool register_internal_lookup_guard(module_env* env, int id, Instance* instance);
void deregister_internal_lookup_guard(module_env* env, int id);

}  // namespace pangea::unbound
