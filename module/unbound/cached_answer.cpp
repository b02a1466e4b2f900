#include "cached_answer.h"

#include <string>

#include "answer_records.h"
#include "hit_report.h"
#include "inplace_callbacks.h"
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
    const std::span<const uint8_t> qname{qinfo->qname, qinfo->qname_len};
    const auto client = [&] {
      return repinfo == nullptr ? policy::Client()
                                : policy::Client(policy::Address::from_sockaddr(
                                      reinterpret_cast<const sockaddr*>(&repinfo->client_addr),
                                      repinfo->client_addrlen));
    };
    const auto add_ede = [&](const policy::Decision& decision, const char* text) {
      const policy::ListConfig& list = *decision.list;
      if (edns != nullptr && edns->edns_present && list.ede.code && opt_list_out != nullptr &&
          region != nullptr) {
        edns_opt_list_append_ede(opt_list_out, region, static_cast<sldns_ede_code>(*list.ede.code),
                                 text);
      }
    };

    // The decision remembered with the answer (answer_records.h): no lookup.
    Instance::ThreadView* view = instance.thread_view();
    const uint32_t token = token_of_flags(rep->rrsets[0]->rk.flags);
    if (view != nullptr && view->records != nullptr && token != 0) {
      const AnswerRecord* record = view->records->find(token);
      if (record != nullptr && view->snapshot->now() < record->valid_until) {
        policy::Decision decision = record->decision;
        decision.entry = last_labels(qname, decision.labels);
        decision.qtype = qinfo->qtype;
        if (decision.is_hit())
          report_hit(instance, *qinfo, client(), decision, qname, HitVia::query_name);
        if (record->ede_per_hit) {
          const std::string text = policy::render_ede_text(decision.list->ede.text, decision);
          add_ede(decision, text.c_str());
        } else {
          add_ede(decision, record->ede_text.c_str());
        }
        return 0;
      }
    }

    // Otherwise (an answer stored in an earlier generation or before a
    // validity-window transition) decide again, for the current policy. A
    // decision that no longer intercepts means a purge is on its way.
    const std::shared_ptr<const policy::Snapshot> snapshot =
        view != nullptr ? view->snapshot : instance.snapshot();
    if (!snapshot)
      return 0;
    const policy::Client who = client();
    const policy::Decision decision = snapshot->decide(qname, qinfo->qtype, who, snapshot->now());
    if (decision.failed || !decision.intercepts() || decision.list == nullptr)
      return 0;
    if (decision.is_hit())
      report_hit(instance, *qinfo, who, decision, qname, HitVia::query_name);
    const std::string text = policy::render_ede_text(decision.list->ede.text, decision);
    add_ede(decision, text.c_str());
  } catch (...) {
    // The cached answer goes out as it is.
  }
  return 0;
}

}  // namespace

bool store_answer(module_qstate* qstate, uint32_t token) {
  if (qstate->return_msg == nullptr || qstate->return_msg->rep == nullptr)
    return false;
  reply_info* rep = qstate->return_msg->rep;
  if (token != 0) {
    for (size_t i = 0; i < rep->rrset_count; ++i) {
      ub_packed_rrset_key* key = rep->rrsets[i];
      if ((key->rk.flags & kPangeaRrsetBit) == 0)
        continue;
      // The flags are part of the RRset's cache key: hash again.
      key->rk.flags = (key->rk.flags & ~kTokenMask) | (token << kTokenShift);
      key->entry.hash = rrset_key_hash(&key->rk);
    }
  }
  return dns_cache_store(qstate->env, &qstate->qinfo, qstate->return_msg->rep, 0, 0, 0, nullptr,
                         qstate->query_flags, *qstate->env->now) != 0;
}

bool register_cache_callback(module_env* env, int id, Instance* instance) {
  return register_inplace_callback(env, id, inplace_cb_reply_cache,
                                   reinterpret_cast<void*>(&reply_from_cache), instance);
}

void deregister_cache_callback(module_env* env, int id) {
  delete_inplace_callback(env, id, inplace_cb_reply_cache);
}

}  // namespace pangea::unbound
