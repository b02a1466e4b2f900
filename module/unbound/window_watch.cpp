#include "window_watch.h"

#include <algorithm>
#include <chrono>

#include "cache_purge.h"

namespace pangea::unbound {

WindowWatch::WindowWatch(module_env* env, SnapshotSource snapshots, bool stored_answers,
                         CachedNames* index)
    : env_(env), snapshots_(std::move(snapshots)), stored_answers_(stored_answers), index_(index) {
  thread_ = std::thread([this] { run(); });
}

WindowWatch::~WindowWatch() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

void WindowWatch::rescan() {
  {
    std::lock_guard lock(mutex_);
    rescan_ = true;
  }
  wake_.notify_all();
}

void WindowWatch::run() {
  // Re-check at least this often: the clock may jump, and a swapped list may
  // bring new windows even if rescan() was missed.
  constexpr int64_t kMaxSleepSeconds = 60;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    rescan_ = false;
    const auto snapshot = snapshots_();
    int64_t sleep_seconds = kMaxSleepSeconds;
    std::optional<int64_t> boundary;
    if (snapshot) {
      const int64_t now = snapshot->now();
      boundary = snapshot->next_transition(now);
      if (boundary)
        sleep_seconds = std::clamp<int64_t>(*boundary - now, 0, kMaxSleepSeconds);
    }
    wake_.wait_for(lock, std::chrono::seconds(sleep_seconds),
                   [this] { return stopping_ || rescan_; });
    if (stopping_)
      return;
    if (rescan_ || !snapshot || !boundary)
      continue;
    const int64_t now = snapshot->now();
    if (now < *boundary)
      continue;
    lock.unlock();
    try {
      // Answers cached before the boundary for names it now blocks, and cached
      // blocked answers for names it unblocks or blocks differently. Only the
      // entries whose window turned since can change either decision.
      const int64_t before = *boundary - 1;
      const std::optional<policy::ChangeSet> changes =
          policy::ChangeSet::over_time(*snapshot, before, now, kMaxChangedNames);
      const auto newly_blocked = [&](std::span<const uint8_t> name) {
        return policy::newly_blocked(*snapshot, before, *snapshot, now, name);
      };
      const CachePurgePredicate ours_changed = [&](std::span<const uint8_t> name) {
        return policy::stored_answer_stale(*snapshot, before, *snapshot, now, name);
      };
      const PurgeResult result =
          purge_msg_cache(env_, changes ? &*changes : nullptr, newly_blocked,
                          stored_answers_ ? &ours_changed : nullptr, std::nullopt, index_);
      log_info("pangea: validity windows changed at %lld: removed %zu cached answer(s)",
               static_cast<long long>(*boundary), result.removed);
    } catch (const std::exception& e) {
      log_err("pangea: validity window purge: %s", e.what());
    }
    lock.lock();
  }
}

}  // namespace pangea::unbound
