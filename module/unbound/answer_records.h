#pragma once
// The decisions behind Pangea's cached blocked answers, found again on a cache
// hit without a list lookup (CacheConfig::blocked_answers).
//
// On a hit the cache-reply callback needs the decision for the EDE text, the
// counters and the hit log. Deciding again costs a trie lookup per hit (about
// a microsecond at a million names), as much as the cache saved. So when an
// answer is stored, its decision is kept in a record of the current generation
// and the record's token is written into the flag bits of the answer's own
// RRsets (kPangeaRrsetBit already marks them), which the cache keeps with the
// message. A hit reads the token and takes the record.
//
// A record stands for every name decided the same way: the decision's fields
// except the entry name (the last `labels` labels of the query name) and the
// query type, both taken from the hit's own question. It holds only while its
// generation is in force and until the next validity-window transition after it
// was made; a hit outside that, or with a token of another generation, decides
// again as before. So the answer's extras are always the current policy's.
//
// Tokens: 6 bits of generation tag (generation % 64) and 16 bits of index.
// Records are kept per generation; the tag of a generation is reused 64
// generations later, so each swap removes the cached answers carrying the tag
// the next generation will take (purge_after_swap), and a token can never name
// another generation's record.
//
// Thread safety: token_for() may be called from every worker (a mutex, held for
// a map look-up); find() takes no lock and never allocates.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "pangea/policy/snapshot.h"

namespace pangea::unbound {

// Where the token lives in ub_packed_rrset_key::rk.flags: bits 8 to 29, unused
// by Unbound 1.17.1 (0x1 to 0x8 and 0x80000000) and by kPangeaRrsetBit.
inline constexpr uint32_t kTokenShift = 8;
inline constexpr uint32_t kTokenIndexBits = 16;
inline constexpr uint32_t kTokenTagBits = 6;
inline constexpr uint32_t kTokenMask = ((uint32_t{1} << (kTokenIndexBits + kTokenTagBits)) - 1)
                                       << kTokenShift;

inline uint32_t token_tag(uint64_t generation) {
  return static_cast<uint32_t>(generation % (uint64_t{1} << kTokenTagBits));
}
inline uint32_t tag_of_token(uint32_t token) {
  return token >> kTokenIndexBits;
}
inline uint32_t token_of_flags(uint32_t flags) {
  return (flags & kTokenMask) >> kTokenShift;
}

struct AnswerRecord {
  policy::Decision decision;  // entry empty and qtype 0: taken from each hit
  int64_t valid_until = 0;    // the first second the decision may differ
  bool ede_per_hit = false;   // the EDE text names the entry: rendered per hit
  std::string ede_text;       // rendered once otherwise
};

class AnswerRecords {
 public:
  // The records of `snapshot`'s generation, which they keep alive.
  explicit AnswerRecords(std::shared_ptr<const policy::Snapshot> snapshot);
  AnswerRecords(const AnswerRecords&) = delete;
  AnswerRecords& operator=(const AnswerRecords&) = delete;

  // The token for a decision of this generation taken at `now` (client
  // independent, a list's), 0 when none can be given (all indices used, or a
  // transition at `now`). Never throws.
  uint32_t token_for(const policy::Decision& decision, int64_t now) noexcept;

  // The record a token names, null when the token is another generation's or
  // unknown. Lock-free.
  const AnswerRecord* find(uint32_t token) const noexcept;

  const policy::Snapshot& snapshot() const { return *snapshot_; }
  uint64_t generation() const { return snapshot_->generation(); }

 private:
  static constexpr size_t kChunkBits = 8;
  static constexpr size_t kChunk = size_t{1} << kChunkBits;
  static constexpr size_t kChunks = (size_t{1} << kTokenIndexBits) / kChunk;
  using Chunk = std::array<std::atomic<const AnswerRecord*>, kChunk>;
  // Everything a decision of a list holds apart from its entry and type.
  using Key = std::tuple<size_t, uint32_t, uint16_t, uint8_t, uint8_t, uint8_t, uint8_t, bool>;

  std::shared_ptr<const policy::Snapshot> snapshot_;
  uint32_t tag_;
  std::array<std::atomic<Chunk*>, kChunks> chunks_{};
  std::mutex mutex_;  // guards everything below
  std::map<Key, uint32_t> tokens_;
  std::vector<std::unique_ptr<Chunk>> owned_chunks_;
  std::vector<std::unique_ptr<AnswerRecord>> owned_records_;
  uint32_t next_index_ = 1;  // index 0 is never given: token 0 means "none"
};

// The entry name of a decision for `qname`: its last `labels` labels. Empty
// when the name has fewer.
std::span<const uint8_t> last_labels(std::span<const uint8_t> qname, uint16_t labels) noexcept;

}  // namespace pangea::unbound
