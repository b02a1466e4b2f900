#include "pangea/telemetry/counters.h"

#include <xxhash.h>

#include <algorithm>

#include "pangea/trie/name.h"

namespace pangea::telemetry {

Counters::Counters(std::vector<std::string> list_names, size_t top_capacity)
    : lists_(std::move(list_names)),
      hits_(new std::atomic<uint64_t>[std::max<size_t>(1, lists_.size() * kActionCount)]()),
      top_(top_capacity) {}

void Counters::count(size_t list_index, trie::Action action) noexcept {
  const auto a = static_cast<size_t>(action);
  if (list_index >= lists_.size() || a >= kActionCount)
    return;
  hits_[list_index * kActionCount + a].fetch_add(1, std::memory_order_relaxed);
}

void Counters::count_entry(size_t list_index, std::span<const uint8_t> entry) noexcept {
  const uint64_t hash = XXH3_64bits(entry.data(), entry.size());
  std::unique_lock lock(top_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) {
    top_skipped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  top_.add(list_index, entry, hash);
}

CountersSnapshot Counters::read() const {
  CountersSnapshot out;
  out.lists = lists_;
  out.hits.resize(lists_.size());
  for (size_t l = 0; l < lists_.size(); ++l) {
    for (size_t a = 0; a < kActionCount; ++a) {
      out.hits[l][a] = hits_[l * kActionCount + a].load(std::memory_order_relaxed);
    }
  }
  {
    std::lock_guard lock(top_mutex_);
    for (const auto& slot : top_.counters()) {
      out.top.push_back(EntryHits{slot.list < lists_.size() ? lists_[slot.list] : "?",
                                  trie::text_from_wire(slot.entry()), slot.hits});
    }
  }
  std::sort(out.top.begin(), out.top.end(),
            [](const EntryHits& a, const EntryHits& b) { return a.hits > b.hits; });
  out.top_skipped = top_skipped_.load(std::memory_order_relaxed);
  return out;
}

}  // namespace pangea::telemetry
