#include "cached_answer.h"

#include <string>

#include "hit_report.h"
#include "pangea/policy/ede.h"
#include "pangea/policy/network.h"

namespace pangea::unbound {
namespace {

// inplace_cb_reply_func_type, called by the worker for every reply from the
// message cache (including serve-expired and no-recursion answers) with the
// client's question, address and EDNS; qstate is null. The return value is
// ignored by Unbound. Only EDNS options can be added: the answer itself is the
// cached one.
int reply_from_cache(query_info* qinfo, module_qstate* /*qstate*/, reply_info* rep, int /*rcode*/,
                     edns_data* edns, edns_option** opt_list_out, comm_reply* repinfo,
                     regional* region, timeval* /*start_time*/, int /*id*/, void* arg) noexcept {
  // The cost every ordinary cache hit pays: this test.
  if (!is_pangea_answer(rep) || qinfo == nullptr || arg == nullptr)
    return 0;
  try {
    auto& instance = *static_cast<Instance*>(arg);
    const auto snapshot = instance.snapshot();
    if (!snapshot)
      return 0;
    const policy::Client client =
        repinfo == nullptr ? policy::Client()
                           : policy::Client(policy::Address::from_sockaddr(
                                 reinterpret_cast<const sockaddr*>(&repinfo->client_addr),
                                 repinfo->client_addrlen));
    const std::span<const uint8_t> qname{qinfo->qname, qinfo->qname_len};
    // Decided again (a trie lookup) rather than remembered: the EDE text and the
    // hit log need the entry and its metadata, and this is the current policy.
    // A decision that no longer intercepts means a purge is on its way.
    const policy::Decision decision =
        snapshot->decide(qname, qinfo->qtype, client, snapshot->now());
    if (decision.failed || !decision.intercepts() || decision.list == nullptr)
      return 0;
    if (decision.is_hit())
      report_hit(instance, *qinfo, client, decision, qname, HitVia::query_name);
    const policy::ListConfig& list = *decision.list;
    if (edns != nullptr && edns->edns_present && list.ede.code && opt_list_out != nullptr &&
        region != nullptr) {
      const std::string text = policy::render_ede_text(list.ede.text, decision);
      edns_opt_list_append_ede(opt_list_out, region, static_cast<sldns_ede_code>(*list.ede.code),
                               text.c_str());
    }
  } catch (...) {
    // The cached answer goes out as it is.
  }
  return 0;
}

}  // namespace

bool store_answer(module_qstate* qstate) {
  if (qstate->return_msg == nullptr || qstate->return_msg->rep == nullptr)
    return false;
  return dns_cache_store(qstate->env, &qstate->qinfo, qstate->return_msg->rep, 0, 0, 0, nullptr,
                         qstate->query_flags, *qstate->env->now) != 0;
}

bool register_cache_callback(module_env* env, int id, Instance* instance) {
  auto* dynlib = static_cast<dynlibmod_env*>(env->modinfo[id]);
  if (dynlib == nullptr || dynlib->inplace_cb_register_wrapped == nullptr)
    return false;
  // dynlibmod registers its own whitelisted trampoline and calls ours from it.
  return dynlib->inplace_cb_register_wrapped(reinterpret_cast<void*>(&reply_from_cache),
                                             inplace_cb_reply_cache, instance, env, id) != 0;
}

void deregister_cache_callback(module_env* env, int id) {
  auto* dynlib = static_cast<dynlibmod_env*>(env->modinfo[id]);
  if (dynlib != nullptr && dynlib->inplace_cb_delete_wrapped != nullptr)
    dynlib->inplace_cb_delete_wrapped(env, inplace_cb_reply_cache, id);
}

}  // namespace pangea::unbound
