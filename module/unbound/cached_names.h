#pragma once
// An index of the messages Unbound's message cache may hold, by the names their
// answers depend on, so that a list swap finds the messages a change affects by
// looking them up instead of walking the whole cache (cache_purge.h).
//
// The glue records every message the resolver may store, before or as it is
// stored, and again when the query that stored it ends (cache_index.h): its
// question, and the owner and target names of its CNAME chain, on which it
// depends too. Unbound never tells a module when it evicts a message, so the
// index is a superset of the cache: it only grows. Past `max_names` it forgets
// everything and says so (complete() false); the next purge then walks the
// cache and rebuilds the index from what it finds (restart(), add what the
// walk saw, finish_rebuild()).
//
// Pure (no Unbound): names are wire format, compared without case.
// Thread safety: every member may be called from any thread. Names are spread
// over shards by their last two labels, each with its own mutex held for one
// map operation: a changed name's subtree lies in one shard (a top-level name's
// in all of them).

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pangea::unbound {

using WireName = std::basic_string<uint8_t>;

// A message's cache key but for the flags (a purge tries both CD states).
struct MessageName {
  WireName qname;  // wire format, lowercase
  uint16_t qtype = 0;
  uint16_t qclass = 0;
  auto operator<=>(const MessageName&) const = default;
};

class CachedNames {
 public:
  // Generation tags of Pangea's stored answers (answer_records.h): 0..63.
  static constexpr size_t kTags = 64;

  explicit CachedNames(size_t max_names);

  // A message for (qname, qtype, qclass) may be cached, and depends on the
  // names of `chain` (the owners and targets of its CNAMEs). Each chain name
  // may have a message of the same type and class cached too (the iterator
  // stores each step of a chain it follows): recorded as well.
  void add_message(std::span<const uint8_t> qname, uint16_t qtype, uint16_t qclass,
                   std::span<const std::span<const uint8_t>> chain = {});
  // One of Pangea's own answers, stored with a token of generation tag `tag`
  // (kTags or more: no tag).
  void add_stored_answer(std::span<const uint8_t> qname, uint16_t qtype, uint16_t qclass,
                         uint32_t tag);

  // The messages whose question, or a name they depend on, is one of `keys`
  // (trie keys: reversed labels, each with its length octet) or under one;
  // with `drop_tag`, also Pangea's answers stored with that tag, which are then
  // forgotten as such (the caller removes them). Sorted, without duplicates.
  // nullopt when the index is incomplete.
  std::optional<std::vector<MessageName>> messages_under(
      std::span<const std::span<const uint8_t>> keys, std::optional<uint32_t> drop_tag);

  // At least the number of cache entries the recorded messages can occupy
  // (AAAA counts twice: with and without CD it hashes apart). A cache holding
  // more entries holds one the index missed.
  uint64_t message_bound() const;
  bool complete() const { return complete_.load(); }
  // A rebuild: restart() forgets everything and records again from then on;
  // the walk of the whole cache that follows adds every message it finds; then
  // finish_rebuild() makes the index complete, unless it overflowed meanwhile.
  // Rebuilds may overlap: the index is complete when the last one finishes.
  void restart();
  void finish_rebuild();
  // Forgets everything and stops recording until restart().
  void give_up();

  // How many times the index was cleared (restarted or given up): names
  // recorded when it read e are all still recorded while it still reads e.
  uint64_t epoch() const { return epoch_.load(); }
  size_t names() const { return names_.load(); }  // names and stored answers held
  size_t memory_bytes() const;                    // an estimate, for Unbound's statistics

 private:
  static constexpr size_t kShards = 16;
  struct Extra {
    std::vector<std::pair<uint16_t, uint16_t>> other_types;  // (qtype, qclass)
    std::vector<MessageName> dependents;
  };
  struct Record {
    uint32_t in_types = 0;  // bit i: kCommonTypes[i] in class IN
    std::unique_ptr<Extra> extra;
  };
  // A key (reversed labels) with its octets in place when they fit, as most
  // names' do (std::string keeps only 15 in place): one allocation per name.
  class Key {
   public:
    explicit Key(std::string_view octets);
    Key(Key&& other) noexcept;
    Key& operator=(Key&&) = delete;
    Key(const Key&) = delete;
    ~Key();
    std::string_view view() const { return {size_ <= kInPlace ? in_place_ : heap_, size_}; }
    size_t heap_bytes() const;  // what malloc gives its octets, if not in place

   private:
    static constexpr size_t kInPlace = 38;
    uint8_t size_;  // a key has at most 254 octets
    union {
      char in_place_[kInPlace + 1];
      char* heap_;
    };
  };
  struct KeyLess {
    using is_transparent = void;
    bool operator()(const Key& a, const Key& b) const { return a.view() < b.view(); }
    bool operator()(const Key& a, std::string_view b) const { return a.view() < b; }
    bool operator()(std::string_view a, const Key& b) const { return a < b.view(); }
  };
  struct Shard {
    mutable std::mutex mutex;
    std::map<Key, Record, KeyLess> records;
    uint64_t message_bound = 0;
    size_t key_bytes = 0;    // the keys' heap buffers
    size_t extra_bytes = 0;  // the records' Extra
  };

  // Adds `name`'s record (and `qtype` to it, and `dependent` when given).
  // False when the index is not recording.
  bool add_locked(Shard& shard, std::string_view key, uint16_t qtype, uint16_t qclass,
                  const MessageName* dependent);
  bool add(std::span<const uint8_t> name, uint16_t qtype, uint16_t qclass,
           const MessageName* dependent);
  void collect(const Shard& shard, std::span<const uint8_t> key,
               std::vector<MessageName>& out) const;
  // Under every shard lock and answers_mutex_, in that order.
  template <typename F>
  void with_all_locked(F&& f);
  void clear_all_locked();
  void overflow_if_full();

  const size_t max_names_;
  std::array<Shard, kShards> shards_;
  mutable std::mutex answers_mutex_;
  std::array<std::set<MessageName>, kTags> stored_answers_;
  size_t stored_answer_count_ = 0;
  // Written under every lock; read under any one of them (or, as a hint, none).
  std::atomic<bool> complete_{true};  // an empty cache is fully known
  std::atomic<bool> recording_{true};
  int rebuilding_ = 0;
  bool overflowed_ = false;
  std::atomic<size_t> names_{0};
  std::atomic<uint64_t> epoch_{0};  // how many times the index was cleared
};

}  // namespace pangea::unbound
