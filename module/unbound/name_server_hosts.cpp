#include "name_server_hosts.h"

#include <xxhash.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>

namespace pangea::unbound {

NameServerHosts::NameServerHosts(int64_t retention_seconds, int64_t now, unsigned bits_log2)
    : retention_(std::max<int64_t>(retention_seconds, 1)),
      mask_((size_t{1} << bits_log2) - 1),
      words_((mask_ + 64) / 64),
      next_rotation_(now + retention_) {
  for (auto& generation : generations_) {
    generation.reset(static_cast<uint64_t*>(std::calloc(words_, sizeof(uint64_t))));
    if (!generation)
      throw std::bad_alloc();
  }
}

void NameServerHosts::Free::operator()(uint64_t* words) const noexcept {
  std::free(words);
}

NameServerHosts::Bits NameServerHosts::bits_of(std::span<const uint8_t> wire_name) const noexcept {
  // Lower-cased copy: DNS names compare case-insensitively (label lengths are
  // at most 63, below 'A', so they pass through unchanged).
  std::array<uint8_t, 256> lower{};
  const size_t length = std::min(wire_name.size(), lower.size());
  for (size_t i = 0; i < length; ++i) {
    const uint8_t c = wire_name[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<uint8_t>(c + ('a' - 'A')) : c;
  }
  const uint64_t hash = XXH3_64bits(lower.data(), length);
  return {static_cast<size_t>(hash) & mask_, static_cast<size_t>(hash >> 32) & mask_};
}

bool NameServerHosts::test(uint64_t* words, size_t bit) noexcept {
  return (std::atomic_ref(words[bit / 64]).load(std::memory_order_relaxed) >> (bit % 64)) & 1U;
}

void NameServerHosts::rotate_if_due(int64_t now) noexcept {
  int64_t due = next_rotation_.load(std::memory_order_relaxed);
  if (now < due || !next_rotation_.compare_exchange_strong(due, now + retention_))
    return;
  // The older generation holds only names last added over one retention ago:
  // clear it and make it the newer one. The generation that was newer is kept,
  // so a name added just before this stays for another retention.
  const int older = 1 - newer_.load(std::memory_order_relaxed);
  for (size_t i = 0; i < words_; ++i)
    std::atomic_ref(generations_[older][i]).store(0, std::memory_order_relaxed);
  newer_.store(older, std::memory_order_seq_cst);
}

void NameServerHosts::add(std::span<const uint8_t> wire_name, int64_t now) noexcept {
  rotate_if_due(now);
  const Bits bits = bits_of(wire_name);
  uint64_t* words = generations_[newer_.load(std::memory_order_seq_cst)].get();
  // seq_cst: a worker that stores a blocked answer and then asks may_contain()
  // either sees these bits or stored before the purge that follows add().
  for (const size_t bit : {bits.first, bits.second})
    std::atomic_ref(words[bit / 64]).fetch_or(uint64_t{1} << (bit % 64), std::memory_order_seq_cst);
}

bool NameServerHosts::may_contain(std::span<const uint8_t> wire_name) const noexcept {
  std::atomic_thread_fence(std::memory_order_seq_cst);
  const Bits bits = bits_of(wire_name);
  for (const auto& generation : generations_) {
    if (test(generation.get(), bits.first) && test(generation.get(), bits.second))
      return true;
  }
  return false;
}

}  // namespace pangea::unbound
