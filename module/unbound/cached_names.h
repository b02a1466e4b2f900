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
// everything and says so (complete() false); a walk of the cache then rebuilds
// it from what it finds (restart(), add what the walk saw, finish_rebuild()):
// the next purge's, or the module's in the background (index_upkeep.h).
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
#include <memory_resource>
#include <new>
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
  // Given up (past max_names) and not rebuilding: only a walk of the cache
  // makes it useful again.
  bool needs_rebuild() const { return !recording_.load(); }
  size_t max_names() const { return max_names_; }

  // How many times the index was cleared (restarted or given up): names
  // recorded when it read e are all still recorded while it still reads e.
  uint64_t epoch() const { return epoch_.load(); }
  size_t names() const { return names_.load(); }  // names and stored answers held
  size_t memory_bytes() const;                    // an estimate, for Unbound's statistics

 private:
  static constexpr size_t kShards = 16;
  // Everything a shard holds lives in its arena and is trivially destructible
  // or never destroyed: clearing a shard (and a reload's deinit) releases the
  // arena's blocks at once instead of freeing each name (measured: +22 ms of
  // reload with 50,000 names freed one by one).
  struct Dependent {       // a message that depends on the record's name
    const uint8_t* qname;  // wire format, lowercase, in the arena
    uint16_t qname_len;
    uint16_t qtype;
    uint16_t qclass;
  };
  struct Extra {  // in the arena; its vectors allocate from it too
    explicit Extra(std::pmr::memory_resource* arena) : other_types(arena), dependents(arena) {}
    std::pmr::vector<std::pair<uint16_t, uint16_t>> other_types;  // (qtype, qclass)
    std::pmr::vector<Dependent> dependents;
  };
  struct Record {
    uint32_t in_types = 0;  // bit i: kCommonTypes[i] in class IN
    Extra* extra = nullptr;
  };
  // A key (reversed labels) with its octets in place when they fit, as most
  // names' do, else in the arena.
  class Key {
   public:
    Key(std::string_view octets, std::pmr::memory_resource& arena);
    std::string_view view() const { return {size_ <= kInPlace ? in_place_ : in_arena_, size_}; }
    size_t arena_bytes() const { return size_ <= kInPlace ? 0 : size_; }

   private:
    static constexpr size_t kInPlace = 38;
    uint8_t size_;  // a key has at most 254 octets
    union {
      char in_place_[kInPlace + 1];
      const char* in_arena_;
    };
  };
  struct KeyLess {
    using is_transparent = void;
    bool operator()(const Key& a, const Key& b) const { return a.view() < b.view(); }
    bool operator()(const Key& a, std::string_view b) const { return a.view() < b; }
    bool operator()(std::string_view a, const Key& b) const { return a < b.view(); }
  };
  class Shard {
   public:
    using Map = std::pmr::map<Key, Record, KeyLess>;
    Shard() { new (storage_) Map(&arena_); }
    // The map is never destroyed: its nodes go with the arena.
    ~Shard() = default;
    Shard(const Shard&) = delete;
    Shard& operator=(const Shard&) = delete;
    Map& records() { return *std::launder(reinterpret_cast<Map*>(storage_)); }
    const Map& records() const { return *std::launder(reinterpret_cast<const Map*>(storage_)); }
    std::pmr::memory_resource& arena() { return arena_; }
    // Forgets every record at once; the old map is overwritten, not destroyed.
    void clear() {
      arena_.release();
      new (storage_) Map(&arena_);
      message_bound = 0;
      arena_bytes = 0;
    }

    mutable std::mutex mutex;
    uint64_t message_bound = 0;
    size_t arena_bytes = 0;  // what the records took of the arena, roughly

   private:
    std::pmr::monotonic_buffer_resource arena_;
    alignas(Map) unsigned char storage_[sizeof(Map)];
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
