#pragma once
// The running policy: the current Snapshot, published as a shared_ptr, and a
// watcher thread that reloads list files replaced on disk.
//
// Threads: snapshot() may be called from any thread at any time and never waits
// for a reload: a reload builds and verifies the new snapshot first, and the
// publishing lock is held only to copy or swap one shared_ptr. start() and stop() are called by
// one owner thread (Unbound's init/deinit). Hooks run on the thread that made the
// change: start()'s caller or the watcher thread.
//
// Fail-closed at start: start() throws StartError when a required list or
// allowlist file, or the GeoIP database, cannot be loaded. Fail-safe on reload:
// a replaced file that does not open, verify, or pass the serial checks is
// refused (logged with the file and the reason) and the last good generation
// stays in force.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "pangea/policy/config.h"
#include "pangea/policy/log.h"
#include "pangea/policy/snapshot.h"

namespace pangea::policy {

class StartError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Called after a new snapshot was published, with the previous one, on the
// watcher thread (or poll_now()'s caller); calls are serialised, in generation
// order. The glue purges cache entries with newly_blocked(*old, *now, ...). It may
// call snapshot() but not poll_now() or status() (they would deadlock).
// Exceptions are caught and logged.
using SwapHook =
    std::function<void(std::shared_ptr<const Snapshot> old, std::shared_ptr<const Snapshot> now)>;

// Per-list status for logs and statistics.
struct ListStatus {
  std::string name;
  std::string file;
  bool allowlist = false;
  bool loaded = false;
  uint64_t serial = 0;
  int64_t build_time = 0;
  uint64_t entry_count = 0;
  int64_t load_time = 0;
  std::string last_error;  // why the latest version on disk was refused ("" if not)
};

class FileEvents;

class Engine {
 public:
  explicit Engine(Logger logger = {});
  ~Engine();  // stop()
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void set_on_swap(SwapHook hook);  // before start()

  // Loads every list, publishes the first snapshot and starts the watcher (unless
  // reload.interval_ms is 0). Throws StartError (message "file:line:col: error:
  // ...") when something required cannot be loaded. Call once.
  void start(Config config);

  // Stops the watcher promptly (does not wait for the interval); idempotent.
  void stop();

  // The current snapshot; null before start().
  std::shared_ptr<const Snapshot> snapshot() const noexcept { return current_.load(); }

  // The generation of the current snapshot (0 before start()), without the
  // publishing lock: for a reader that keeps its own copy of snapshot() and
  // only needs to know when to take a new one.
  uint64_t generation() const noexcept { return current_.generation(); }

  // Runs one watch pass now, on the calling thread (tests; the watcher uses the
  // same): reloads changed files.
  // Returns true when a new snapshot was published.
  bool poll_now();

  std::vector<ListStatus> status() const;

 private:
  struct Watched;
  void watch_loop();
  void log(Level level, const std::string& message) const;

  Logger logger_;
  SwapHook on_swap_;
  std::shared_ptr<const Config> config_;
  // The published snapshot. Not std::atomic<std::shared_ptr>: GCC 12's
  // implementation lost the pointer under a concurrent load here (a null
  // snapshot right after start(), with the watcher polling). A mutex held only
  // for a reference-count increment is as cheap and obviously correct.
  class Published {
   public:
    std::shared_ptr<const Snapshot> load() const noexcept {
      std::lock_guard lock(mutex_);
      return pointer_;
    }
    void store(std::shared_ptr<const Snapshot> next) noexcept {
      std::lock_guard lock(mutex_);
      generation_.store(next ? next->generation() : 0, std::memory_order_release);
      pointer_.swap(next);
    }
    uint64_t generation() const noexcept { return generation_.load(std::memory_order_acquire); }

   private:
    mutable std::mutex mutex_;
    std::shared_ptr<const Snapshot> pointer_;
    std::atomic<uint64_t> generation_{0};
  };
  Published current_;
  std::vector<Watched> watched_;  // lists then allowlist files; guarded by poll_mutex_
  mutable std::mutex poll_mutex_;
  std::mutex stop_mutex_;  // guards the two below
  bool stop_requested_ = false;
  std::unique_ptr<FileEvents> events_;  // the watcher's wake-ups (file_events.h)
  std::thread watcher_;
  uint64_t next_generation_ = 1;
};

// Opens and verifies one list file as `config` asks (pinned keys, min_serial, and
// refuse_older_serial against `previous` when given). Null + `error` on failure;
// the error starts with the file's path ("/var/lib/pangea/fr.pbl: checksum mismatch
// in section 'keys'").
// Exposed for the CLI's `check` and for tests.
std::shared_ptr<const trie::List> open_list(const ListConfig& config, const trie::List* previous,
                                            std::string& error);

}  // namespace pangea::policy
