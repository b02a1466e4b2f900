#pragma once
// Hit counters per list and action, plus the most hit entries.
//
// Thread safety: count() is lock-free (relaxed atomics) and may be called from
// every worker. The top-entries table is a Space-Saving summary behind a mutex
// that workers only try_lock: under contention an update is skipped and counted
// in `top_skipped`, so the table is approximate but a worker never waits.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pangea/telemetry/top_entries.h"
#include "pangea/trie/entry.h"

namespace pangea::telemetry {

inline constexpr size_t kActionCount = static_cast<size_t>(trie::Action::log_only) + 1;

struct EntryHits {
  std::string list;
  std::string entry;
  uint64_t hits = 0;
};

struct CountersSnapshot {
  std::vector<std::string> lists;
  std::vector<std::array<uint64_t, kActionCount>> hits;  // [list][action]
  std::vector<EntryHits> top;                            // most hit first
  uint64_t top_skipped = 0;
};

class Counters {
 public:
  explicit Counters(std::vector<std::string> list_names, size_t top_capacity = 64);

  // Counts one hit. Out-of-range indices are ignored (a soft assertion: never
  // crash the resolver over a counter).
  void count(size_t list_index, trie::Action action) noexcept;
  // Counts one hit on `entry` (wire format) for the top-entries table. On the
  // query path: compares hashes and copies octets, the presentation form is
  // made by read().
  void count_entry(size_t list_index, std::span<const uint8_t> entry) noexcept;

  CountersSnapshot read() const;

 private:
  std::vector<std::string> lists_;
  std::unique_ptr<std::atomic<uint64_t>[]> hits_;
  mutable std::mutex top_mutex_;
  TopEntries top_;
  std::atomic<uint64_t> top_skipped_{0};
};

}  // namespace pangea::telemetry
