#include "cached_names.h"

#include <algorithm>
#include <functional>
#include <string_view>

namespace pangea::unbound {
namespace {

// The query types most messages are cached under, one bit each in class IN;
// any other type or class goes to the record's Extra.
constexpr std::array<uint16_t, 16> kCommonTypes = {1,  2,  5,  6,  12, 15, 16,  28,
                                                   33, 35, 43, 48, 64, 65, 255, 257};
constexpr uint16_t kClassIn = 1;
constexpr uint16_t kTypeAaaa = 28;

int common_type_bit(uint16_t qtype) {
  for (size_t i = 0; i < kCommonTypes.size(); ++i) {
    if (kCommonTypes[i] == qtype)
      return static_cast<int>(i);
  }
  return -1;
}

uint8_t lower(uint8_t c) {
  return c >= 'A' && c <= 'Z' ? static_cast<uint8_t>(c + 32) : c;
}

// A key being built: at most 254 octets (a name has at most 255 in wire form).
struct KeyBuffer {
  std::array<char, 256> octets;
  size_t size = 0;
  std::string_view view() const { return {octets.data(), size}; }
};

// Wire format -> key (labels in reverse order, each with its length octet),
// lowercase. False for a malformed name; the root gives an empty key.
bool key_of(std::span<const uint8_t> wire, KeyBuffer& key) {
  std::array<uint8_t, 128> starts{};  // a label starts below octet 255
  size_t labels = 0;
  size_t pos = 0;
  for (;;) {
    if (pos >= wire.size() || labels == starts.size())
      return false;
    const uint8_t len = wire[pos];
    if (len == 0)
      break;
    if (len > 63 || pos + 1 + len >= wire.size() || pos + 1 + len > 255)
      return false;
    starts[labels++] = static_cast<uint8_t>(pos);
    pos += 1 + len;
  }
  key.size = 0;
  while (labels-- > 0) {
    const size_t at = starts[labels];
    key.octets[key.size++] = static_cast<char>(wire[at]);
    for (size_t i = 1; i <= wire[at]; ++i)
      key.octets[key.size++] = static_cast<char>(lower(wire[at + i]));
  }
  return true;
}

WireName wire_of(std::string_view key) {
  std::array<uint8_t, 128> starts{};  // keys have at most 254 octets
  size_t labels = 0;
  for (size_t pos = 0; pos < key.size() && labels < starts.size();
       pos += 1 + static_cast<uint8_t>(key[pos])) {
    starts[labels++] = static_cast<uint8_t>(pos);
  }
  WireName wire;
  wire.reserve(key.size() + 1);
  while (labels-- > 0) {
    const size_t at = starts[labels];
    const size_t len = 1 + static_cast<uint8_t>(key[at]);
    for (size_t i = 0; i < len && at + i < key.size(); ++i)
      wire.push_back(static_cast<uint8_t>(key[at + i]));
  }
  wire.push_back(0);
  return wire;
}

WireName lowercase(std::span<const uint8_t> wire) {
  WireName out(wire.begin(), wire.end());
  // Only label octets: a length octet is at most 63, below 'A'.
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

uint64_t entries_of(uint16_t qtype) {
  return qtype == kTypeAaaa ? 2 : 1;
}

// The octets of `key` up to the end of its second label: the part every name
// under a name of two or more labels shares. Empty for a one-label key.
std::string_view shard_prefix(std::span<const uint8_t> key) {
  if (key.empty())
    return {};
  const size_t second = size_t{1} + key[0];
  if (second >= key.size())
    return {};
  const size_t end = std::min(key.size(), second + 1 + key[second]);
  return {reinterpret_cast<const char*>(key.data()), end};
}

size_t shard_index(std::span<const uint8_t> key, size_t shards) {
  const std::string_view prefix = shard_prefix(key);
  const std::string_view all(reinterpret_cast<const char*>(key.data()), key.size());
  return std::hash<std::string_view>{}(prefix.empty() ? all : prefix) % shards;
}

std::span<const uint8_t> octets(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

bool starts_with(std::string_view s, std::span<const uint8_t> prefix) {
  return s.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), s.begin(),
                    [](uint8_t a, char b) { return a == static_cast<uint8_t>(b); });
}

}  // namespace

CachedNames::CachedNames(size_t max_names) : max_names_(max_names) {}

CachedNames::Key::Key(std::string_view octets, std::pmr::memory_resource& arena)
    : size_(static_cast<uint8_t>(octets.size())) {
  char* to = in_place_;
  if (size_ > kInPlace) {
    to = static_cast<char*>(arena.allocate(size_, 1));
    in_arena_ = to;
  }
  std::copy(octets.begin(), octets.begin() + size_, to);
}

bool CachedNames::add_locked(Shard& shard, std::string_view key, uint16_t qtype, uint16_t qclass,
                             const MessageName* dependent) {
  if (!recording_.load(std::memory_order_relaxed))
    return false;
  auto& records = shard.records();
  // One descent of the tree, also for a new name (the common case of a cache miss).
  auto it = records.lower_bound(key);
  if (it == records.end() || it->first.view() != key) {
    it = records.emplace_hint(it, std::piecewise_construct,
                              std::forward_as_tuple(key, shard.arena()), std::forward_as_tuple());
    names_.fetch_add(1, std::memory_order_relaxed);
    // A map node: its links and colour (32 octets), then the key and the record.
    shard.arena_bytes += 32 + sizeof(Key) + sizeof(Record) + it->first.arena_bytes();
  }
  Record& record = it->second;
  auto extra = [&]() -> Extra& {
    if (record.extra == nullptr) {
      void* memory = shard.arena().allocate(sizeof(Extra), alignof(Extra));
      record.extra = new (memory) Extra(&shard.arena());
      shard.arena_bytes += sizeof(Extra);
    }
    return *record.extra;
  };
  bool added = false;
  const int bit = qclass == kClassIn ? common_type_bit(qtype) : -1;
  if (bit >= 0) {
    const uint32_t mask = uint32_t{1} << bit;
    added = (record.in_types & mask) == 0;
    record.in_types |= mask;
  } else {
    auto& types = extra().other_types;
    const std::pair<uint16_t, uint16_t> type{qtype, qclass};
    added = std::find(types.begin(), types.end(), type) == types.end();
    if (added) {
      types.push_back(type);
      shard.arena_bytes += sizeof(type);
    }
  }
  if (added)
    shard.message_bound += entries_of(qtype);
  if (dependent != nullptr) {
    auto& dependents = extra().dependents;
    const auto same = [&](const Dependent& d) {
      return d.qtype == dependent->qtype && d.qclass == dependent->qclass &&
             d.qname_len == dependent->qname.size() &&
             std::equal(d.qname, d.qname + d.qname_len, dependent->qname.begin());
    };
    if (std::find_if(dependents.begin(), dependents.end(), same) == dependents.end()) {
      auto* qname = static_cast<uint8_t*>(shard.arena().allocate(dependent->qname.size(), 1));
      std::copy(dependent->qname.begin(), dependent->qname.end(), qname);
      dependents.push_back(Dependent{qname, static_cast<uint16_t>(dependent->qname.size()),
                                     dependent->qtype, dependent->qclass});
      shard.arena_bytes += sizeof(Dependent) + dependent->qname.size();
    }
  }
  return true;
}

bool CachedNames::add(std::span<const uint8_t> name, uint16_t qtype, uint16_t qclass,
                      const MessageName* dependent) {
  KeyBuffer key;
  if (!key_of(name, key))
    return true;  // nothing Unbound caches
  Shard& shard = shards_[shard_index(octets(key.view()), kShards)];
  std::lock_guard lock(shard.mutex);
  return add_locked(shard, key.view(), qtype, qclass, dependent);
}

void CachedNames::add_message(std::span<const uint8_t> qname, uint16_t qtype, uint16_t qclass,
                              std::span<const std::span<const uint8_t>> chain) {
  if (!recording_.load(std::memory_order_relaxed))
    return;
  if (!add(qname, qtype, qclass, nullptr))
    return;
  if (!chain.empty()) {
    KeyBuffer own;
    const bool valid = key_of(qname, own);
    const MessageName message{lowercase(qname), qtype, qclass};
    for (const auto name : chain) {
      KeyBuffer key;
      if (!valid || !key_of(name, key) || key.view() == own.view())
        continue;
      Shard& shard = shards_[shard_index(octets(key.view()), kShards)];
      std::lock_guard lock(shard.mutex);
      if (!add_locked(shard, key.view(), qtype, qclass, &message))
        return;
    }
  }
  overflow_if_full();
}

void CachedNames::add_stored_answer(std::span<const uint8_t> qname, uint16_t qtype, uint16_t qclass,
                                    uint32_t tag) {
  if (!add(qname, qtype, qclass, nullptr))
    return;
  if (tag < kTags) {
    std::lock_guard lock(answers_mutex_);
    if (recording_.load(std::memory_order_relaxed) &&
        stored_answers_[tag].insert(MessageName{lowercase(qname), qtype, qclass}).second) {
      ++stored_answer_count_;
      names_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  overflow_if_full();
}

void CachedNames::collect(const Shard& shard, std::span<const uint8_t> key,
                          std::vector<MessageName>& out) const {
  const std::string_view start(reinterpret_cast<const char*>(key.data()), key.size());
  std::lock_guard lock(shard.mutex);
  const auto& records = shard.records();
  for (auto it = records.lower_bound(start);
       it != records.end() && starts_with(it->first.view(), key); ++it) {
    const Record& record = it->second;
    const WireName wire = wire_of(it->first.view());
    for (size_t i = 0; i < kCommonTypes.size(); ++i) {
      if ((record.in_types & (uint32_t{1} << i)) != 0)
        out.push_back(MessageName{wire, kCommonTypes[i], kClassIn});
    }
    if (record.extra != nullptr) {
      for (const auto& [qtype, qclass] : record.extra->other_types)
        out.push_back(MessageName{wire, qtype, qclass});
      for (const Dependent& d : record.extra->dependents)
        out.push_back(MessageName{WireName(d.qname, d.qname_len), d.qtype, d.qclass});
    }
  }
}

std::optional<std::vector<MessageName>> CachedNames::messages_under(
    std::span<const std::span<const uint8_t>> keys, std::optional<uint32_t> drop_tag) {
  const uint64_t epoch = epoch_.load();
  if (!complete_.load())
    return std::nullopt;
  std::vector<MessageName> out;
  for (const auto key : keys) {
    if (shard_prefix(key).empty()) {
      for (const Shard& shard : shards_)
        collect(shard, key, out);
    } else {
      collect(shards_[shard_index(key, kShards)], key, out);
    }
  }
  {
    std::lock_guard lock(answers_mutex_);
    // Checked again: an index cleared meanwhile (given up, restarted) may have
    // lost records before they were read above.
    if (!complete_.load() || epoch_.load() != epoch)
      return std::nullopt;
    if (drop_tag && *drop_tag < kTags) {
      auto& answers = stored_answers_[*drop_tag];
      out.insert(out.end(), answers.begin(), answers.end());
      stored_answer_count_ -= answers.size();
      names_.fetch_sub(answers.size(), std::memory_order_relaxed);
      answers.clear();
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

uint64_t CachedNames::message_bound() const {
  uint64_t bound = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    bound += shard.message_bound;
  }
  return bound;
}

template <typename F>
void CachedNames::with_all_locked(F&& f) {
  std::array<std::unique_lock<std::mutex>, kShards> locks;
  for (size_t i = 0; i < kShards; ++i)
    locks[i] = std::unique_lock(shards_[i].mutex);
  std::lock_guard answers(answers_mutex_);
  f();
}

void CachedNames::clear_all_locked() {
  for (Shard& shard : shards_)
    shard.clear();
  for (auto& answers : stored_answers_)
    answers.clear();
  stored_answer_count_ = 0;
  names_.store(0);
  epoch_.fetch_add(1);
}

void CachedNames::restart() {
  with_all_locked([&] {
    clear_all_locked();
    ++rebuilding_;
    overflowed_ = false;
    recording_.store(true);
    complete_.store(false);
  });
}

void CachedNames::finish_rebuild() {
  with_all_locked([&] {
    if (rebuilding_ > 0)
      --rebuilding_;
    if (rebuilding_ == 0 && !overflowed_)
      complete_.store(true);
  });
}

void CachedNames::give_up() {
  with_all_locked([&] {
    clear_all_locked();
    overflowed_ = true;
    recording_.store(false);
    complete_.store(false);
  });
}

void CachedNames::overflow_if_full() {
  if (names_.load(std::memory_order_relaxed) > max_names_)
    give_up();
}

size_t CachedNames::memory_bytes() const {
  // The arenas' blocks are not counted (the last one of each is partly used);
  // what the records took of them is.
  constexpr size_t kSetNode = 32 + sizeof(MessageName) + 16 + 32;
  size_t bytes = sizeof(*this);
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    bytes += shard.arena_bytes;
  }
  std::lock_guard lock(answers_mutex_);
  return bytes + stored_answer_count_ * kSetNode;
}

}  // namespace pangea::unbound
