#include "pangea/telemetry/top_entries.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <utility>

namespace pangea::telemetry {

TopEntries::TopEntries(size_t capacity)
    : capacity_(std::max<size_t>(1, capacity)),
      // At most a quarter full: probe paths stay short.
      table_(std::bit_ceil(4 * capacity_), kEmpty) {
  counters_.reserve(capacity_);
  heap_.reserve(capacity_);
  heap_at_.reserve(capacity_);
}

size_t TopEntries::find(size_t list, std::span<const uint8_t> entry, uint64_t hash) const {
  const size_t mask = table_.size() - 1;
  size_t free = table_.size();
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const uint32_t v = table_[i];
    if (v == kEmpty)
      return free != table_.size() ? free : i;
    if (v == kErased) {
      if (free == table_.size())
        free = i;
      continue;
    }
    const Counter& c = counters_[v - 1];
    if (c.hash == hash && c.list == list && c.size == entry.size() &&
        std::memcmp(c.octets.data(), entry.data(), entry.size()) == 0) {
      return i;
    }
  }
}

void TopEntries::add(size_t list, std::span<const uint8_t> entry, uint64_t hash) noexcept {
  if (entry.empty() || entry.size() > kMaxEntry)
    return;
  const size_t slot = find(list, entry, hash);
  const uint32_t v = table_[slot];
  if (v != kEmpty && v != kErased) {
    ++counters_[v - 1].hits;
    sift_down(heap_at_[v - 1]);
    return;
  }
  if (counters_.size() < capacity_) {  // within the capacity reserved: no allocation
    Counter& counter = counters_.emplace_back();
    counter.list = list;
    counter.hash = hash;
    counter.hits = 1;
    counter.size = static_cast<uint8_t>(entry.size());
    std::memcpy(counter.octets.data(), entry.data(), entry.size());
    const auto c = static_cast<uint32_t>(counters_.size() - 1);
    heap_.push_back(c);
    heap_at_.push_back(static_cast<uint32_t>(heap_.size() - 1));
    table_[slot] = c + 1;
    sift_up(heap_.size() - 1);
    return;
  }
  // Space-Saving: the least hit counter goes to the new entry, count and all.
  const uint32_t least = heap_[0];
  Counter& c = counters_[least];
  table_erase(least);
  c.size = static_cast<uint8_t>(entry.size());
  std::memcpy(c.octets.data(), entry.data(), entry.size());
  c.list = list;
  c.hash = hash;
  ++c.hits;
  table_insert(least);
  sift_down(0);
}

void TopEntries::table_insert(uint32_t c) {
  const Counter& counter = counters_[c];
  const size_t slot = find(counter.list, counter.entry(), counter.hash);
  if (table_[slot] == kErased)
    --erased_;
  table_[slot] = c + 1;
}

void TopEntries::table_erase(uint32_t c) {
  const size_t mask = table_.size() - 1;
  size_t i = counters_[c].hash & mask;
  while (table_[i] != c + 1)
    i = (i + 1) & mask;
  table_[i] = kErased;
  // Erased slots lengthen every probe path until the table is rebuilt.
  if (++erased_ > capacity_)
    rebuild_table(c);
}

void TopEntries::rebuild_table(uint32_t except) {
  std::fill(table_.begin(), table_.end(), kEmpty);
  erased_ = 0;
  for (size_t c = 0; c < counters_.size(); ++c) {
    if (c != except)
      table_insert(static_cast<uint32_t>(c));
  }
}

void TopEntries::swap_heap(size_t a, size_t b) {
  std::swap(heap_[a], heap_[b]);
  heap_at_[heap_[a]] = static_cast<uint32_t>(a);
  heap_at_[heap_[b]] = static_cast<uint32_t>(b);
}

void TopEntries::sift_down(size_t at) {
  for (;;) {
    size_t least = at;
    for (size_t child = 2 * at + 1; child <= 2 * at + 2 && child < heap_.size(); ++child) {
      if (counters_[heap_[child]].hits < counters_[heap_[least]].hits)
        least = child;
    }
    if (least == at)
      return;
    swap_heap(at, least);
    at = least;
  }
}

void TopEntries::sift_up(size_t at) {
  while (at > 0) {
    const size_t parent = (at - 1) / 2;
    if (counters_[heap_[parent]].hits <= counters_[heap_[at]].hits)
      return;
    swap_heap(at, parent);
    at = parent;
  }
}

}  // namespace pangea::telemetry
