#include "instance.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <optional>
#include <string>

#include "cache_purge.h"
#include "name_server_guard.h"
#include "pangea/policy/change_set.h"
#include "pangea/policy/config.h"
#include "pangea/telemetry/prometheus.h"
#include "thread_cpu.h"

namespace pangea::unbound {
namespace {

std::atomic<uint64_t> g_instance_serial{0};

// Trivially destructible, so that no thread-exit handler pins the module in
// memory (it must unload on reload).
struct ThreadSlot {
  uint64_t serial;
  Instance::ThreadView* view;
};
thread_local ThreadSlot t_slot{0, nullptr};

}  // namespace
namespace {

void log_from_policy(policy::Level level, const std::string& message) {
  switch (level) {
    case policy::Level::error:
      log_err("pangea: %s", message.c_str());
      break;
    case policy::Level::warning:
      log_warn("pangea: %s", message.c_str());
      break;
    case policy::Level::info:
      log_info("pangea: %s", message.c_str());
      break;
    case policy::Level::debug:
      verbose(VERB_ALGO, "pangea: %s", message.c_str());
      break;
  }
}

// Walking a list entry (decoding its key) costs about 1/20 of deciding a
// cached message exactly (measured: ~70 ns against 1.5-3 µs per message in a
// full pass of bench/run). Build a change set only when walking the swapped
// lists costs less than deciding every cached message would: a small cache is
// cheaper to decide in full than a large list is to diff.
constexpr uint64_t kEntriesPerLookup = 20;

std::vector<std::string> list_names(const policy::Config& config) {
  std::vector<std::string> names;
  for (const auto& list : config.lists)
    names.push_back(list.name);
  return names;
}

}  // namespace

Instance::Instance(module_env* env, int id)
    : env_(env), id_(id), engine_(&log_from_policy), serial_(++g_instance_serial) {
  policy::Config config = policy::load_config_from_environment();
  counters_ = std::make_unique<telemetry::Counters>(list_names(config));
  if (config.hit_log) {
    if (config.hit_log->file == "-") {
      hit_log_to_resolver_log_ = true;
    } else {
      hit_log_ = std::make_unique<telemetry::HitLog>(
          telemetry::HitLogOptions{config.hit_log->file, config.hit_log->rate, 4096});
    }
  }
  cache_blocked_answers_ = config.cache.blocked_answers;
  if (cache_blocked_answers_) {
    // An NS RRset stays in the cache at most cache-max-ttl (its TTL is capped).
    const int64_t max_ttl = env_->cfg != nullptr ? env_->cfg->max_ttl : 86400;
    name_server_hosts_ = std::make_unique<NameServerHosts>(max_ttl, std::time(nullptr));
  }
  if (config.cache.purge_index) {
    const uint64_t cache_size = env_->cfg != nullptr ? env_->cfg->msg_cache_size : 4 << 20;
    const uint64_t max_names = config.cache.purge_index_max_names != 0
                                   ? config.cache.purge_index_max_names
                                   : std::max<uint64_t>(cache_size / 128, 1024);
    // A cache kept across a reload holds messages nobody recorded: the purge
    // below walks it (it has no change set) and builds the index from it.
    cached_names_ = std::make_unique<CachedNames>(static_cast<size_t>(max_names));
  }
  if (config.stats) {
    stats_file_ = config.stats->file;
    stats_interval_ = config.stats->interval;
  }
  // Per-client decisions need per-client mesh states: identical queries from
  // different clients would otherwise share one decision.
  if (config.client_scoped())
    env_->unique_mesh = 1;

  // Before start(): the swap hook below may fire as soon as the watcher runs.
  window_watch_ = std::make_unique<WindowWatch>(
      env_, [this] { return engine_.snapshot(); }, cache_blocked_answers_, cached_names_.get());
  engine_.set_on_swap([this](std::shared_ptr<const policy::Snapshot> old,
                             std::shared_ptr<const policy::Snapshot> now) {
    if (now)
      purge_after_swap(old.get(), *now);
    if (window_watch_)
      window_watch_->rescan();
  });
  engine_.start(std::move(config));
  // The cache survives `unbound-control reload_keep_cache`: treat whatever is in
  // it as cached under no list at all, and drop the blocked answers the previous
  // configuration stored (it may have blocked differently).
  const size_t stored = purge_pangea_answers(env_);
  if (stored > 0)
    log_info("pangea: removed %zu cached blocked answer(s) of the previous configuration", stored);
  purge_after_swap(nullptr, *engine_.snapshot());
  if (name_server_hosts_) {
    const size_t hosts = seed_name_servers(*this, env_);
    verbose(VERB_OPS, "pangea: %zu name server host(s) known at start", hosts);
  }
  for (const auto& status : engine_.status()) {
    const std::string state = status.loaded ? "serial " + std::to_string(status.serial) + ", " +
                                                  std::to_string(status.entry_count) + " entries"
                                            : "not loaded";
    log_info("pangea: %s %s (%s): %s", status.allowlist ? "allowlist" : "list", status.name.c_str(),
             status.file.c_str(), state.c_str());
  }
  window_watch_->rescan();
  if (cached_names_)
    index_upkeep_ = std::make_unique<IndexUpkeep>(env_, *cached_names_);
  if (!stats_file_.empty() && stats_interval_ > 0) {
    write_stats();
    stats_thread_ = std::thread([this] { stats_loop(); });
  }
}

Instance::~Instance() {
  index_upkeep_.reset();  // it walks the cache, which deinit frees after us
  {
    std::lock_guard lock(stats_mutex_);
    stopping_ = true;
  }
  stats_cv_.notify_all();
  if (stats_thread_.joinable())
    stats_thread_.join();
  engine_.stop();
  window_watch_.reset();
  if (!stats_file_.empty())
    write_stats();
  log_summary();
}

void Instance::purge_after_swap(const policy::Snapshot* old, const policy::Snapshot& now) {
  const int64_t at = now.now();
  const auto started = std::chrono::steady_clock::now();
  const int64_t cpu_started = thread_cpu_us();
  // The change set also stands in for decision_changed(): it holds every entry
  // added, removed or changed, so a cached blocked answer whose decision moved
  // passes the prefilter and gets the exact check.
  std::optional<policy::ChangeSet> changes;
  if (old != nullptr) {
    const uint64_t walk = policy::ChangeSet::walk_size(*old, now);
    if (walk / kEntriesPerLookup < msg_cache_count(env_))
      changes = policy::ChangeSet::between(*old, now, kMaxChangedNames);
  }
  // Real answers go when their name is newly blocked. Pangea's own (see
  // CacheConfig::blocked_answers) also when their name is now decided
  // differently. (A real answer is never cached for a name the old generation
  // blocked for everyone, so decision_changed() would only cost it a lookup.)
  const auto newly_blocked = [&](std::span<const uint8_t> name) {
    return old != nullptr ? policy::newly_blocked(*old, now, name, at)
                          : now.may_intercept(name, at);
  };
  const CachePurgePredicate ours_changed = [&](std::span<const uint8_t> name) {
    return old != nullptr ? policy::stored_answer_stale(*old, at, now, at, name)
                          : newly_blocked(name);
  };
  const PurgeResult result =
      purge_msg_cache(env_, changes ? &*changes : nullptr, newly_blocked,
                      cache_blocked_answers_ ? &ours_changed : nullptr,
                      // The next generation's tag was last given 64 generations ago: no cached
                      // answer may still carry it when that generation is published.
                      token_tag(now.generation() + 1), cached_names_.get());
  const auto took = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  const int64_t cpu = thread_cpu_us() - cpu_started;
  // Always logged after a swap: it is also the moment the new generation is
  // fully in force (tests and operators wait for it).
  if (result.removed > 0 || old != nullptr) {
    std::string how = changes ? std::to_string(changes->size()) + " changed name(s)"
                              : std::string("no change set");
    how += result.indexed ? ", looked up in the index" : ", walked";
    log_info(
        "pangea: generation %llu in force: removed %zu cached answer(s) for newly listed names "
        "(%zu cached, %zu checked, %s, %lld us, %lld us CPU)",
        static_cast<unsigned long long>(now.generation()), result.removed, result.walked,
        result.candidates, how.c_str(), static_cast<long long>(took.count()),
        static_cast<long long>(cpu));
  }
}

void Instance::stats_loop() {
  std::unique_lock lock(stats_mutex_);
  while (!stopping_) {
    stats_cv_.wait_for(lock, std::chrono::seconds(stats_interval_), [this] { return stopping_; });
    if (stopping_)
      return;
    lock.unlock();
    write_stats();
    lock.lock();
  }
}

void Instance::write_stats() {
  try {
    std::vector<telemetry::ListGeneration> generations;
    for (const auto& status : engine_.status()) {
      if (status.allowlist)
        continue;
      generations.push_back(telemetry::ListGeneration{status.name, status.loaded, status.serial,
                                                      status.build_time, status.entry_count,
                                                      status.load_time});
    }
    telemetry::HitLogCounters hit_counters;
    if (hit_log_)
      hit_counters = hit_log_->counters();
    const std::string text = telemetry::render_prometheus(counters_->read(), generations,
                                                          hit_log_ ? &hit_counters : nullptr);
    std::string error;
    if (!telemetry::write_prometheus_file(stats_file_, text, error)) {
      log_err("pangea: statistics: %s", error.c_str());
    }
  } catch (const std::exception& e) {
    log_err("pangea: statistics: %s", e.what());
  }
}

void Instance::log_summary() const {
  const auto snap = counters_->read();
  for (size_t l = 0; l < snap.lists.size(); ++l) {
    std::string line;
    uint64_t total = 0;
    for (size_t a = 1; a < telemetry::kActionCount; ++a) {
      if (snap.hits[l][a] == 0)
        continue;
      total += snap.hits[l][a];
      line += " " + std::string(trie::to_string(static_cast<trie::Action>(a))) + "=" +
              std::to_string(snap.hits[l][a]);
    }
    log_info("pangea: list %s: %llu hit(s)%s", snap.lists[l].c_str(),
             static_cast<unsigned long long>(total), line.c_str());
  }
}

std::shared_ptr<AnswerRecords> Instance::answer_records(
    const std::shared_ptr<const policy::Snapshot>& snapshot) {
  if (!snapshot)
    return nullptr;
  std::lock_guard lock(records_mutex_);
  if (records_ && records_->generation() == snapshot->generation())
    return records_;
  if (records_ && records_->generation() > snapshot->generation())
    return nullptr;
  records_ = std::make_shared<AnswerRecords>(snapshot);
  return records_;
}

Instance::ThreadView* Instance::thread_view() noexcept {
  try {
    ThreadView* view = t_slot.serial == serial_ ? t_slot.view : nullptr;
    if (view == nullptr) {
      std::lock_guard lock(records_mutex_);
      thread_views_.push_back(std::make_unique<ThreadView>());
      view = thread_views_.back().get();
      t_slot = ThreadSlot{serial_, view};
    }
    if (view->generation != engine_.generation() || !view->snapshot) {
      view->snapshot = engine_.snapshot();
      view->generation = view->snapshot ? view->snapshot->generation() : 0;
      view->records = answer_records(view->snapshot);
    }
    return view;
  } catch (...) {
    return nullptr;
  }
}

}  // namespace pangea::unbound
