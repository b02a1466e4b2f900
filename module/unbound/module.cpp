// The six dynlib entry points. Each is a firewall: it catches every exception,
// logs it and takes a defined path (init fails cleanly; operate passes the query
// on), so nothing thrown in Pangea can unwind into Unbound's C code.
//
// Failure policy: at start-up the module fails closed (a bad configuration or a
// missing required list stops Unbound from starting). At query time it fails
// open: an internal error passes the query on to normal resolution, because a
// resolver that stops resolving for millions of clients is worse than one
// unblocked answer; the error is logged.

#include "unbound_api.h"

#include <cstdint>
#include <exception>
#include <new>
#include <type_traits>

#include "answer.h"
#include "cache_purge.h"
#include "cached_answer.h"
#include "cname_chain.h"
#include "hit_report.h"
#include "instance.h"
#include "internal_lookups.h"
#include "name_server_guard.h"
#include "pangea/policy/clock.h"
#include "pangea/policy/ede.h"
#include "pangea/policy/network.h"
#include "pangea/version.h"
#include "query_state.h"

namespace pangea::unbound {
namespace {

Instance* instance_of(module_env* env, int id) {
  auto* dynlib = static_cast<dynlibmod_env*>(env->modinfo[id]);
  return dynlib == nullptr ? nullptr : static_cast<Instance*>(dynlib->dyn_env);
}

void log_exception(const char* where) noexcept {
  try {
    throw;
  } catch (const std::exception& e) {
    log_err("pangea: %s: %s", where, e.what());
  } catch (...) {
    log_err("pangea: %s: unknown exception", where);
  }
}

// Records in the cache index what the query may store in the message cache:
// its question, with the CNAME chain of `answer` (cache_index.h).
void record_in_index(Instance& instance, module_qstate* qstate, int id,
                     const dns_msg* answer = nullptr) {
  CachedNames* index = instance.cached_names();
  if (index == nullptr)
    return;
  QueryState* state = query_state(qstate, id);
  const QueryRecord record{state != nullptr ? &state->recorded : nullptr,
                           state != nullptr ? &state->recorded_epoch : nullptr};
  record_message(*index, qstate->qinfo, answer != nullptr ? answer->rep : nullptr, qstate->region,
                 state != nullptr ? &record : nullptr);
}

void pass_on(module_qstate* qstate, module_ev event, int id) {
  if (event == module_event_new || event == module_event_pass) {
    qstate->ext_state[id] = module_wait_module;
  } else if (event == module_event_moddone) {
    qstate->ext_state[id] = module_finished;
  } else {
    qstate->ext_state[id] = module_error;
  }
}

policy::Client client_of(const module_qstate* qstate) {
  const mesh_reply* reply = qstate->mesh_info->reply_list;
  return policy::Client(policy::Address::from_sockaddr(
      reinterpret_cast<const sockaddr*>(&reply->query_reply.client_addr),
      reply->query_reply.client_addrlen));
}

SinkholeKind sinkhole_kind(trie::Action action) {
  switch (action) {
    case trie::Action::nodata:
      return SinkholeKind::nodata;
    case trie::Action::redirect:
      return SinkholeKind::redirect;
    case trie::Action::cname:
      return SinkholeKind::cname;
    case trie::Action::refuse:
      return SinkholeKind::refuse;
    case trie::Action::drop:
      return SinkholeKind::drop;
    default:
      return SinkholeKind::nxdomain;
  }
}

struct RenderedHole {
  Sinkhole hole;
  std::string ede_text;
};

RenderedHole render_sinkhole(const policy::Snapshot& snapshot, const policy::Decision& decision) {
  RenderedHole out;
  const policy::ListConfig& list = *decision.list;
  const policy::SoaConfig& soa = snapshot.config().soa;
  out.hole.kind = sinkhole_kind(decision.action);
  out.hole.ttl = list.ttl;
  out.hole.a = list.redirect.a;
  out.hole.aaaa = list.redirect.aaaa;
  out.hole.cname_target = list.cname_wire;
  out.hole.soa_mname = soa.mname_wire;
  out.hole.soa_rname = soa.rname_wire;
  if (decision.source == policy::Source::list && decision.list_index < snapshot.lists().size() &&
      snapshot.lists()[decision.list_index].loaded()) {
    out.hole.soa_serial =
        static_cast<uint32_t>(snapshot.lists()[decision.list_index].list->info().serial);
  }
  out.hole.soa_refresh = soa.refresh;
  out.hole.soa_retry = soa.retry;
  out.hole.soa_expire = soa.expire;
  if (list.ede.code) {
    out.hole.ede_code = *list.ede.code;
    out.ede_text = policy::render_ede_text(list.ede.text, decision);
  }
  out.hole.ede_text = out.ede_text;
  return out;
}

// Starts the cname action: the CNAME to the landing name, then a subquery for
// the landing name itself so the client gets the whole chain, as RPZ's CNAME
// action does. Returns false to fall back to answering with the CNAME alone.
bool start_landing(module_qstate* qstate, const Sinkhole& hole) {
  if (hole.cname_target.empty() || qstate->qinfo.qtype == LDNS_RR_TYPE_CNAME)
    return false;
  query_info landing{};
  landing.qname = const_cast<uint8_t*>(hole.cname_target.data());
  landing.qname_len = hole.cname_target.size();
  landing.qtype = qstate->qinfo.qtype;
  landing.qclass = qstate->qinfo.qclass;
  module_qstate* sub = nullptr;
  return qstate->env->attach_sub(qstate, &landing, BIT_RD, 0, 0, &sub) != 0;
}

void finish(module_qstate* qstate, int id) {
  qstate->ext_state[id] = module_finished;
}

// The status name's TXT records: one per list, for monitoring from outside.
bool answer_status(const policy::Snapshot& snapshot, module_qstate* qstate) {
  std::vector<std::string> texts;
  for (size_t i = 0; i < snapshot.config().lists.size(); ++i) {
    const policy::ListConfig& config = snapshot.config().lists[i];
    const policy::LoadedList& loaded = snapshot.lists()[i];
    std::string text = "list=" + config.name;
    if (loaded.loaded()) {
      const trie::ListInfo& info = loaded.list->info();
      text += " loaded=yes serial=" + std::to_string(info.serial) +
              " entries=" + std::to_string(info.entry_count) +
              " built=" + policy::format_utc(info.build_time) +
              " loaded_at=" + policy::format_utc(loaded.load_time);
    } else {
      text += " loaded=no";
    }
    texts.push_back(std::move(text));
  }
  return answer_with_status(qstate, texts);
}

bool is_status_name(const policy::Snapshot& snapshot, const module_qstate* qstate) {
  const auto& status = snapshot.config().status_name_wire;
  return !status.empty() && status.size() == qstate->qinfo.qname_len &&
         query_dname_compare(qstate->qinfo.qname, const_cast<uint8_t*>(status.data())) == 0;
}

// The TTL under which a blocked answer may be stored in Unbound's message
// cache, 0 when it must not be: the answer must be the same for every client
// (no client-scoped list took part) and one the worker can replay (NXDOMAIN,
// NODATA, redirect; not cname, which needs a subquery, nor refuse or drop). The
// TTL never runs past the matched entry's validity window (not_after is the
// last second it is in force).
uint32_t cache_ttl(const Instance& instance, const policy::Decision& decision,
                   const RenderedHole& rendered, int64_t now) {
  if (!instance.cache_blocked_answers() || decision.client_dependent ||
      decision.source != policy::Source::list || decision.list == nullptr) {
    return 0;
  }
  switch (rendered.hole.kind) {
    case SinkholeKind::nxdomain:
    case SinkholeKind::nodata:
    case SinkholeKind::redirect:
      break;
    default:
      return 0;
  }
  uint32_t ttl = rendered.hole.ttl;
  if (decision.meta.not_after) {
    const int64_t left = *decision.meta.not_after - now;
    if (left <= 0)
      return 0;
    if (left < static_cast<int64_t>(ttl))
      ttl = static_cast<uint32_t>(left);
  }
  return ttl;
}

// Answers with the sinkhole and, when cache_ttl allows, stores the answer (its
// TTLs capped) so repeated queries are cache hits. False: region exhausted.
bool answer_and_store(Instance& instance, const std::shared_ptr<const policy::Snapshot>& snapshot,
                      module_qstate* qstate, const policy::Decision& decision,
                      RenderedHole& rendered, const SinkholeSite& site, int64_t now) {
  const uint32_t ttl = cache_ttl(instance, decision, rendered, now);
  if (ttl > 0)
    rendered.hole.ttl = ttl;
  if (!answer_with_sinkhole(qstate, rendered.hole, site))
    return false;
  if (ttl == 0 || !may_store_blocked_answer(instance, qstate->qinfo))
    return true;
  // The decision goes with the answer, so that a cache hit needs no lookup.
  const std::shared_ptr<AnswerRecords> records = instance.answer_records(snapshot);
  const uint32_t token = records != nullptr ? records->token_for(decision, now) : 0;
  if (!store_answer(qstate, token))
    verbose(VERB_ALGO, "pangea: the message cache did not take a blocked answer");
  if (CachedNames* index = instance.cached_names()) {
    index->add_stored_answer({qstate->qinfo.qname, qstate->qinfo.qname_len}, qstate->qinfo.qtype,
                             qstate->qinfo.qclass,
                             token != 0 ? tag_of_token(token) : CachedNames::kTags);
  }
  unstore_if_name_server(instance, qstate->qinfo);
  return true;
}

// Decides and answers a new client query. Returns true when the module
// answered; false to pass the query on.
bool enforce_on_query(Instance& instance, module_qstate* qstate, int id, PassedOn& passed) {
  const auto snapshot = instance.snapshot();
  if (!snapshot)
    return false;
  if (is_status_name(*snapshot, qstate)) {
    if (!answer_status(*snapshot, qstate))
      qstate->ext_state[id] = module_error;
    else
      finish(qstate, id);
    return true;
  }
  const std::span<const uint8_t> qname{qstate->qinfo.qname, qstate->qinfo.qname_len};
  const policy::Client client = client_of(qstate);
  const int64_t now = snapshot->now();
  const policy::Decision decision = snapshot->decide(qname, qstate->qinfo.qtype, client, now);
  passed = {true, snapshot->generation(), snapshot->next_transition(now).value_or(INT64_MAX)};
  // An answer that depends on who asked must never be served to someone else
  // from the shared cache.
  if (decision.client_dependent)
    qstate->no_cache_store = 1;
  if (decision.failed) {
    log_err("pangea: decision failed for a query; resolving it normally");
    return false;
  }
  if (!decision.matched())
    return false;
  if (decision.is_hit())
    report_hit(instance, qstate->qinfo, client, decision, qname, HitVia::query_name);
  if (!decision.intercepts() || decision.list == nullptr)
    return false;

  RenderedHole rendered = render_sinkhole(*snapshot, decision);
  const SinkholeSite site{qname, decision.labels, {}};
  if (rendered.hole.kind == SinkholeKind::cname) {
    QueryState* state = query_state(qstate, id);
    if (state != nullptr && answer_with_sinkhole(qstate, rendered.hole, site) &&
        start_landing(qstate, rendered.hole)) {
      // The CNAME answer is complete; keep it until the landing name resolves.
      state->landing = qstate->return_msg;
      qstate->return_msg = nullptr;
      qstate->ext_state[id] = module_wait_subquery;
      return true;
    }
  }
  if (!answer_and_store(instance, snapshot, qstate, decision, rendered, site, now)) {
    qstate->ext_state[id] = module_error;  // region exhausted: SERVFAIL
    return true;
  }
  finish(qstate, id);
  return true;
}

// A query without a client (prefetch, the iterator's and validator's own
// lookups) for a name that some client gets blocked, while blocked answers may
// be in the message cache. Such a query is never blocked, but:
// - it must not read a cached blocked answer (an NS host under a listed domain
//   must resolve for the zones it serves): no_cache_lookup;
// - it must not store the real answer over it, which clients would then get
//   from the cache: no_cache_store;
// - a prefetch (or a serve-expired refresh) of a cached blocked answer must
//   refresh that answer, not replace it with the real one: it is answered and
//   stored as the client's query was.
// Returns true when it answered (the prefetch case).
bool enforce_on_internal(Instance& instance, module_qstate* qstate, int id) {
  const auto snapshot = instance.snapshot();
  if (!snapshot || qstate->is_priming)
    return false;
  const std::span<const uint8_t> qname{qstate->qinfo.qname, qstate->qinfo.qname_len};
  const int64_t now = snapshot->now();
  const policy::Decision decision =
      snapshot->decide(qname, qstate->qinfo.qtype, policy::Client(), now);
  if (decision.failed || (!decision.intercepts() && !decision.client_dependent))
    return false;
  const bool prefetch = qstate->mesh_info != nullptr && qstate->mesh_info->reply_list == nullptr &&
                        qstate->prefetch_leeway > 0 && !qstate->is_valrec;
  if (prefetch && decision.intercepts() && decision.list != nullptr) {
    RenderedHole rendered = render_sinkhole(*snapshot, decision);
    if (cache_ttl(instance, decision, rendered, now) > 0) {
      const SinkholeSite site{qname, decision.labels, {}};
      if (!answer_and_store(instance, snapshot, qstate, decision, rendered, site, now)) {
        qstate->ext_state[id] = module_error;
      } else {
        finish(qstate, id);
      }
      return true;
    }
  }
  qstate->no_cache_lookup = 1;
  qstate->no_cache_store = 1;
  return false;
}

// A client query passed on under lists no longer in force (another generation,
// or a validity window turned since) has been resolved: the iterator stored the
// real answer, maybe after the cache purge of that change ran, and would serve
// it for its whole TTL. Decides the name again under the current lists; when they intercept it (or
// decide it per client) the stored answer goes, and an intercepted name is answered with its
// sinkhole (no landing subquery at this point: a cname action answers NXDOMAIN, as on a chain).
// Returns true when it answered.
bool enforce_after_change(Instance& instance, module_qstate* qstate, int id,
                          const PassedOn& passed) {
  if (!passed.passed)
    return false;
  // The common case costs one atomic load: same generation, no window ahead.
  if (passed.generation == instance.generation() && passed.valid_until == INT64_MAX)
    return false;
  const auto snapshot = instance.snapshot();
  if (!snapshot)
    return false;
  const int64_t now = snapshot->now();
  if (passed.generation == snapshot->generation() && now < passed.valid_until)
    return false;
  const std::span<const uint8_t> qname{qstate->qinfo.qname, qstate->qinfo.qname_len};
  const policy::Client client = client_of(qstate);
  const policy::Decision decision = snapshot->decide(qname, qstate->qinfo.qtype, client, now);
  if (decision.failed)
    return false;
  if (decision.client_dependent || decision.intercepts())
    purge_name(qstate->env, qname, qstate->qinfo.qtype, qstate->qinfo.qclass);
  if (!decision.intercepts() || decision.list == nullptr)
    return false;
  report_hit(instance, qstate->qinfo, client, decision, qname, HitVia::query_name);
  RenderedHole rendered = render_sinkhole(*snapshot, decision);
  if (rendered.hole.kind == SinkholeKind::cname)
    rendered.hole.kind = SinkholeKind::nxdomain;
  const SinkholeSite site{qname, decision.labels, {}};
  if (!answer_with_sinkhole(qstate, rendered.hole, site))
    qstate->ext_state[id] = module_error;
  return true;
}

// Removes the cached answers of the query name and of a chain target.
void purge_chain(module_qstate* qstate, std::span<const uint8_t> target) {
  purge_name(qstate->env, {qstate->qinfo.qname, qstate->qinfo.qname_len}, qstate->qinfo.qtype,
             qstate->qinfo.qclass);
  purge_name(qstate->env, target, qstate->qinfo.qtype, qstate->qinfo.qclass);
}

// After resolution: a name that is not listed but CNAMEs into a listed one is
// blocked as the target would be, and the hit is attributed to the target.
void enforce_on_chain(Instance& instance, module_qstate* qstate, int id) {
  if (qstate->return_msg == nullptr || qstate->return_rcode != LDNS_RCODE_NOERROR)
    return;
  const auto snapshot = instance.snapshot();
  if (!snapshot)
    return;
  const policy::Client client = client_of(qstate);
  const int64_t now = snapshot->now();
  walk_cname_chain(qstate->return_msg, [&](const ChainLink& link) {
    const policy::Decision decision =
        snapshot->decide(link.target, qstate->qinfo.qtype, client, now);
    // Too late for no_cache_store: the iterator has stored the chain already.
    if (decision.client_dependent)
      purge_chain(qstate, link.target);
    if (!decision.matched() || decision.failed)
      return false;
    if (decision.is_hit())
      report_hit(instance, qstate->qinfo, client, decision, link.target, HitVia::cname_chain);
    // An exempt target does not exempt the rest of the chain: a later target
    // may still be listed.
    if (!decision.intercepts() || decision.list == nullptr)
      return false;

    // The iterator cached the chain and the target under their own names; a
    // later query must reach us again rather than be answered from cache.
    purge_chain(qstate, link.target);

    // Keep copies of the chain: the sinkhole replaces return_msg.
    const dns_msg* resolved = qstate->return_msg;
    RenderedHole rendered = render_sinkhole(*snapshot, decision);
    if (rendered.hole.kind == SinkholeKind::cname)
      rendered.hole.kind = SinkholeKind::nxdomain;
    const SinkholeSite site{
        link.target, decision.labels, {resolved->rep->rrsets, link.rrsets_before}};
    if (!answer_with_sinkhole(qstate, rendered.hole, site))
      qstate->ext_state[id] = module_error;
    return true;
  });
}

}  // namespace
}  // namespace pangea::unbound

using pangea::unbound::Instance;
using pangea::unbound::log_exception;

extern "C" {

__attribute__((visibility("default"))) int init(module_env* env, int id) noexcept {
  try {
    log_info("pangea: module %s starting (instance %d)", pangea::kVersion, id);
    auto* dynlib = static_cast<dynlibmod_env*>(env->modinfo[id]);
    if (dynlib == nullptr) {
      log_err("pangea: no dynlib environment for instance %d", id);
      return 0;
    }
    auto* instance = new Instance(env, id);
    dynlib->dyn_env = instance;
    if (!pangea::unbound::register_internal_lookup_guard(env, id, instance)) {
      log_err(
          "pangea: could not register the query-response callback: Unbound's own lookups "
          "of listed names (e.g. a name server host) may be cached and served to clients");
    }
    // Only when blocked answers are cached: ordinary cache hits then pay one
    // test (see cached_answer.h), otherwise nothing.
    if (instance->cache_blocked_answers() &&
        !pangea::unbound::register_cache_callback(env, id, instance)) {
      pangea::unbound::deregister_internal_lookup_guard(env, id);
      delete instance;
      dynlib->dyn_env = nullptr;
      log_err("pangea: cannot register the cache reply callback (Unbound will not start)");
      return 0;
    }
    log_info("pangea: module %s ready (instance %d)", pangea::kVersion, id);
    return 1;
  } catch (...) {
    log_exception("init (Unbound will not start; fix the error above)");
    return 0;
  }
}

__attribute__((visibility("default"))) void deinit(module_env* env, int id) noexcept {
  try {
    auto* dynlib = static_cast<dynlibmod_env*>(env->modinfo[id]);
    if (dynlib == nullptr)
      return;
    pangea::unbound::deregister_internal_lookup_guard(env, id);
    pangea::unbound::deregister_cache_callback(env, id);
    delete static_cast<Instance*>(dynlib->dyn_env);
    dynlib->dyn_env = nullptr;
    log_info("pangea: module instance %d stopped", id);
  } catch (...) {
    log_exception("deinit");
  }
}

__attribute__((visibility("default"))) void operate(module_qstate* qstate, module_ev event, int id,
                                                    outbound_entry* entry) noexcept {
  (void)entry;
  using namespace pangea::unbound;
  try {
    Instance* instance = instance_of(qstate->env, id);
    auto* state = static_cast<QueryState*>(qstate->minfo[id]);
    if (state != nullptr && state->landing != nullptr && event == module_event_pass) {
      // The landing subquery is done (inform_super filled the answer).
      qstate->return_msg = state->landing;
      qstate->return_rcode = LDNS_RCODE_NOERROR;
      qstate->ext_state[id] = module_finished;
      return;
    }
    if (instance == nullptr) {
      pass_on(qstate, event, id);
      return;
    }
    if (is_internal(qstate)) {
      if (event == module_event_new) {
        if (instance->cache_blocked_answers() && enforce_on_internal(*instance, qstate, id))
          return;
        keep_listed_out_of_cache(*instance, qstate);
        record_in_index(*instance, qstate, id);
      } else if (event == module_event_moddone) {
        record_in_index(*instance, qstate, id, qstate->return_msg);
      }
      pass_on(qstate, event, id);
      return;
    }
    if (event == module_event_new || event == module_event_pass) {
      // Lets go of a thread view's older generation (its snapshot and mapped
      // lists) on a worker that sees no cached blocked answer after a swap.
      if (event == module_event_new && instance->cache_blocked_answers())
        (void)instance->thread_view();
      PassedOn passed;
      if (!enforce_on_query(*instance, qstate, id, passed)) {
        if (QueryState* passing = query_state(qstate, id))
          passing->passed = passed;
        record_in_index(*instance, qstate, id);
        qstate->ext_state[id] = module_wait_module;
      }
      return;
    }
    if (event == module_event_moddone) {
      qstate->ext_state[id] = module_finished;
      record_in_index(*instance, qstate, id, qstate->return_msg);
      if (state != nullptr && enforce_after_change(*instance, qstate, id, state->passed))
        return;
      enforce_on_chain(*instance, qstate, id);
      return;
    }
    pass_on(qstate, event, id);
  } catch (...) {
    log_exception("operate (query resolved without the policy)");
    pass_on(qstate, event, id);
  }
}

__attribute__((visibility("default"))) void inform_super(module_qstate* qstate, int id,
                                                         module_qstate* super) noexcept {
  using namespace pangea::unbound;
  try {
    auto* state = static_cast<QueryState*>(super->minfo[id]);
    if (state == nullptr || state->landing == nullptr)
      return;
    append_landing(super, state->landing, qstate);
  } catch (...) {
    log_exception("inform_super (answering with the CNAME alone)");
  }
}

__attribute__((visibility("default"))) void clear(module_qstate* qstate, int id) noexcept {
  using namespace pangea::unbound;
  try {
    // The query ends: record again what it may have stored (cache_index.h).
    const auto* state = static_cast<const QueryState*>(qstate->minfo[id]);
    Instance* instance = instance_of(qstate->env, id);
    if (state != nullptr && state->recorded != nullptr && instance != nullptr &&
        instance->cached_names() != nullptr) {
      record_again(*instance->cached_names(), state->recorded, state->recorded_epoch);
    }
  } catch (...) {
    log_exception("clear");
  }
  // Per-query state lives in the query's region; it goes with the region.
  qstate->minfo[id] = nullptr;
}

__attribute__((visibility("default"))) size_t get_mem(module_env* env, int id) noexcept {
  // The lists are file mappings, shared and accounted by the kernel; Unbound's
  // memory statistics count heap caches: the cache index is one.
  try {
    const Instance* instance = pangea::unbound::instance_of(env, id);
    return instance != nullptr && instance->cached_names() != nullptr
               ? instance->cached_names()->memory_bytes()
               : 0;
  } catch (...) {
    return 0;
  }
}

}  // extern "C"
