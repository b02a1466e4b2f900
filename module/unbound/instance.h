#pragma once
// Everything one loaded module instance owns, from init to deinit: the policy
// engine (and its watcher thread), the hit log, the counters and the statistics
// writer. Stored in the dynlib environment's dyn_env, shared by every worker.

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "answer_records.h"
#include "cached_names.h"
#include "index_upkeep.h"
#include "name_server_hosts.h"
#include "pangea/policy/engine.h"
#include "pangea/telemetry/counters.h"
#include "pangea/telemetry/hit_log.h"
#include "unbound_api.h"
#include "window_watch.h"

namespace pangea::unbound {

class Instance {
 public:
  // Loads the configuration and every list; throws (with a message fit for
  // Unbound's log) when the module must refuse to start.
  Instance(module_env* env, int id);
  ~Instance();  // stops the threads; logs a summary of the counters
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  std::shared_ptr<const policy::Snapshot> snapshot() const noexcept { return engine_.snapshot(); }
  // The current snapshot's generation: one atomic load, no snapshot copy.
  uint64_t generation() const noexcept { return engine_.generation(); }
  telemetry::Counters& counters() { return *counters_; }
  telemetry::HitLog* hit_log() { return hit_log_.get(); }
  bool hit_log_to_resolver_log() const { return hit_log_to_resolver_log_; }
  module_env* env() const { return env_; }
  // CacheConfig::blocked_answers, fixed for the instance's life.
  bool cache_blocked_answers() const { return cache_blocked_answers_; }
  // The name server hosts whose blocked answers are not stored
  // (name_server_guard.h); null when blocked answers are not stored at all.
  NameServerHosts* name_server_hosts() const { return name_server_hosts_.get(); }
  // The index of cached names the purges look up (cached_names.h); null when
  // CacheConfig::purge_index is off.
  CachedNames* cached_names() const { return cached_names_.get(); }

  // The answer records (answer_records.h) of `snapshot`'s generation, created
  // on first use; null for a generation older than the newest one seen.
  std::shared_ptr<AnswerRecords> answer_records(
      const std::shared_ptr<const policy::Snapshot>& snapshot);

  // What the calling worker thread last saw: the current snapshot and its
  // answer records, taken again only when the generation changed, so a cache
  // hit takes no lock and copies no shared_ptr. Owned by the instance; valid
  // until it is destroyed. Null only when out of memory.
  struct ThreadView {
    uint64_t generation = 0;
    std::shared_ptr<const policy::Snapshot> snapshot;
    std::shared_ptr<AnswerRecords> records;
  };
  ThreadView* thread_view() noexcept;

 private:
  void purge_after_swap(const policy::Snapshot* old, const policy::Snapshot& now);
  void stats_loop();
  void write_stats();
  void log_summary() const;

  module_env* env_;
  int id_;
  policy::Engine engine_;
  std::unique_ptr<telemetry::Counters> counters_;
  std::unique_ptr<telemetry::HitLog> hit_log_;
  bool hit_log_to_resolver_log_ = false;
  bool cache_blocked_answers_ = false;
  std::unique_ptr<NameServerHosts> name_server_hosts_;
  std::unique_ptr<CachedNames> cached_names_;
  std::unique_ptr<IndexUpkeep> index_upkeep_;  // with cached_names_
  std::string stats_file_;
  uint32_t stats_interval_ = 0;
  std::mutex stats_mutex_;
  std::condition_variable stats_cv_;
  bool stopping_ = false;
  std::thread stats_thread_;
  std::unique_ptr<WindowWatch> window_watch_;
  // Tells this instance's thread views from those of an earlier instance in
  // the same thread (Unbound's main thread survives a reload).
  const uint64_t serial_;
  std::mutex records_mutex_;  // guards the two below
  std::shared_ptr<AnswerRecords> records_;
  std::vector<std::unique_ptr<ThreadView>> thread_views_;
};

}  // namespace pangea::unbound
