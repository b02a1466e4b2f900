#pragma once
// Names the resolver has seen used as name-server hosts, as a Bloom filter of
// fixed size (CacheConfig::blocked_answers).
//
// The iterator fills a delegation's addresses from the message cache too: a
// stored blocked answer for a name server host would leave the zones it serves
// without an address (NXDOMAIN, NODATA) or send their queries to the sinkhole
// (redirect). Blocked answers for names in this filter are therefore never
// stored. A false positive only costs a blocked name its cache shortcut, never
// a wrong answer; a false negative is what must not happen while the NS RRset
// naming the host can still be in Unbound's cache. So every name is kept for at
// least `retention` seconds (Unbound's cache-max-ttl) after it was last added:
// two generations of bits, the older one dropped when the newer one is one
// retention old. Thread-safe without locks: atomic words.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>

namespace pangea::unbound {

class NameServerHosts {
 public:
  // 2^bits_log2 bits per generation (2^21: 256 KiB each; under 2% false
  // positives with 100,000 hosts in the filter).
  NameServerHosts(int64_t retention_seconds, int64_t now, unsigned bits_log2 = 21);

  // Adds a wire-format name (case-insensitive).
  void add(std::span<const uint8_t> wire_name, int64_t now) noexcept;
  // False only for a name not added in the last `retention` seconds.
  bool may_contain(std::span<const uint8_t> wire_name) const noexcept;

 private:
  struct Bits {
    size_t first;
    size_t second;
  };
  Bits bits_of(std::span<const uint8_t> wire_name) const noexcept;
  void rotate_if_due(int64_t now) noexcept;
  static bool test(uint64_t* words, size_t bit) noexcept;

  struct Free {
    void operator()(uint64_t* words) const noexcept;
  };
  const int64_t retention_;
  const size_t mask_;
  const size_t words_;  // per generation
  // calloc'd: pages are only resident once a bit in them is set. Accessed
  // through std::atomic_ref.
  std::unique_ptr<uint64_t[], Free> generations_[2];
  std::atomic<int> newer_{0};
  std::atomic<int64_t> next_rotation_;
};

}  // namespace pangea::unbound
