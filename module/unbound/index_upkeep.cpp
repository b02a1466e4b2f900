#include "index_upkeep.h"

#include <algorithm>

#include "cache_purge.h"
#include "thread_cpu.h"

namespace pangea::unbound {
namespace {

using std::chrono::milliseconds;

// How often the thread looks for an overflow: a swap within this time of one
// still walks. Polled, so that the query path that overflows the index (any
// worker's cache miss) never has to signal anything.
constexpr milliseconds kPoll{200};
// Rebuilds at most every kSpacing x their own duration (a twentieth of a core)
// and never more than once a second.
constexpr int kSpacing = 20;
constexpr milliseconds kMinInterval{1000};
// After a rebuild that overflowed again: wait this long, doubling up to kMaxBackoff.
constexpr milliseconds kFirstBackoff{30'000};
constexpr milliseconds kMaxBackoff{600'000};

}  // namespace

IndexUpkeep::IndexUpkeep(module_env* env, CachedNames& index)
    : env_(env), index_(index), thread_([this] { run(); }) {}

IndexUpkeep::~IndexUpkeep() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void IndexUpkeep::run() {
  auto next_allowed = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, kPoll, [this] { return stopping_; })) {
    if (!index_.needs_rebuild() || std::chrono::steady_clock::now() < next_allowed)
      continue;
    lock.unlock();
    const milliseconds wait = rebuild();
    next_allowed = std::chrono::steady_clock::now() + wait;
    lock.lock();
  }
}

milliseconds IndexUpkeep::rebuild() {
  log_info("pangea: cache index past its limit of %zu names: rebuilding it from the cache",
           index_.max_names());
  const auto started = std::chrono::steady_clock::now();
  const int64_t cpu_started = thread_cpu_us();
  const IndexRebuild rebuilt = rebuild_index(env_, index_);
  const auto took =
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
  const int64_t cpu = thread_cpu_us() - cpu_started;
  if (!rebuilt.complete && index_.needs_rebuild()) {
    // It overflowed while the walk added what the cache holds: so will the next.
    backoff_ = std::clamp(backoff_ * 2, kFirstBackoff, kMaxBackoff);
    log_warn(
        "pangea: the message cache holds more names than cache.purge_index_max_names (%zu): list "
        "swaps walk the cache until it holds fewer (%zu cached messages; next rebuild in %lld s)",
        index_.max_names(), rebuilt.messages, static_cast<long long>(backoff_.count() / 1000));
    return backoff_;
  }
  backoff_ = milliseconds{0};
  log_info(
      "pangea: cache index rebuilt from %zu cached message(s): %zu name(s), %lld ms (%lld us "
      "CPU)",
      rebuilt.messages, index_.names(), static_cast<long long>(took.count()),
      static_cast<long long>(cpu));
  return std::max(kMinInterval, took * kSpacing);
}

}  // namespace pangea::unbound
