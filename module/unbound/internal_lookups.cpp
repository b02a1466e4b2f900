#include "internal_lookups.h"

#include "cache_index.h"
#include "inplace_callbacks.h"
#include "instance.h"
#include "name_server_guard.h"
#include "query_state.h"

namespace pangea::unbound {
namespace {

// Called by the iterator for every response to a query it sent, before it
// stores anything. Returns 1 (0 would make Unbound log an error).
int on_query_response(module_qstate* qstate, dns_msg* response, int id, void* cb_args) noexcept {
  try {
    if (cb_args == nullptr)
      return 1;
    auto& instance = *static_cast<Instance*>(cb_args);
    if (response != nullptr)
      note_name_servers(instance, *response);
    // The iterator may store this response under its own question (a step of
    // a CNAME chain it follows), also for its own lookups, which reach
    // operate() only when done, or never when they fail.
    if (response != nullptr && qstate != nullptr && instance.cached_names() != nullptr) {
      QueryState* state = query_state(qstate, id);
      const QueryRecord record{state != nullptr ? &state->recorded : nullptr,
                               state != nullptr ? &state->recorded_epoch : nullptr};
      record_message(*instance.cached_names(), response->qinfo, response->rep, qstate->region,
                     state != nullptr ? &record : nullptr);
    }
    if (qstate != nullptr && is_internal(qstate))
      keep_listed_out_of_cache(instance, qstate);
  } catch (...) {
    // Neither throws but on a failed allocation; nothing may unwind into C.
  }
  return 1;
}

}  // namespace

bool is_internal(const module_qstate* qstate) {
  return qstate->mesh_info == nullptr || qstate->mesh_info->reply_list == nullptr ||
         qstate->is_priming || qstate->is_valrec;
}

void keep_listed_out_of_cache(Instance& instance, module_qstate* qstate) {
  if (qstate->is_priming || qstate->no_cache_store)
    return;
  const auto snapshot = instance.snapshot();
  if (!snapshot)
    return;
  const std::span<const uint8_t> qname{qstate->qinfo.qname, qstate->qinfo.qname_len};
  if (snapshot->may_intercept(qname, snapshot->now()))
    qstate->no_cache_store = 1;
}

bool register_internal_lookup_guard(module_env* env, int id, Instance* instance) {
  return register_inplace_callback(env, id, inplace_cb_query_response,
                                   reinterpret_cast<void*>(&on_query_response), instance);
}

void deregister_internal_lookup_guard(module_env* env, int id) {
  delete_inplace_callback(env, id, inplace_cb_query_response);
}

}  // namespace pangea::unbound
