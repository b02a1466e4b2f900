#include "pangea/policy/change_set.h"

#include <array>
#include <cstring>

namespace pangea::policy {
namespace {

// FNV-1a over the key octets, fed root label first so that the hash of every
// ancestor of a name comes out on the way to the name's own; then a finaliser
// (MurmurHash3's fmix64), because FNV's low bits, which pick the slot, mix poorly.
constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;

inline uint64_t fnv(uint64_t h, uint8_t octet) {
  return (h ^ octet) * kFnvPrime;
}

inline uint64_t finish(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h == 0 ? 1 : h;  // 0 marks an empty slot
}

uint64_t hash_key(std::span<const uint8_t> key) {
  uint64_t h = kFnvOffset;
  for (uint8_t octet : key)
    h = fnv(h, octet);
  return finish(h);
}

// What of an entry's metadata can change a decision; the referral texts only
// change what a hit log line or an EDE says, and intercepted answers are never
// cached.
struct Effect {
  trie::Action action = trie::Action::list_default;
  std::optional<int64_t> not_before, not_after;

  bool operator==(const Effect&) const = default;
};

std::vector<Effect> effects(const trie::List& list) {
  std::vector<Effect> out;
  const uint64_t count = list.info().metadata_count;
  out.reserve(count);
  for (uint64_t id = 0; id < count && id <= UINT32_MAX; ++id) {
    const trie::MetadataView meta = list.metadata(static_cast<uint32_t>(id));
    out.push_back(Effect{meta.action, meta.not_before, meta.not_after});
  }
  return out;
}

int compare_keys(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  const size_t n = std::min(a.size(), b.size());
  const int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  if (c != 0)
    return c;
  return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

// The change list `after` carries against `before`, when it has one for
// exactly that list (trie::ChangeList): then no diff is needed.
const trie::ChangeList* recorded_changes(const trie::List* before, const trie::List* after) {
  if (before == nullptr || after == nullptr || !after->changes())
    return nullptr;
  const trie::ChangeList& changes = *after->changes();
  return changes.previous_id == before->info().content_id ? &changes : nullptr;
}

bool scoped(const Config& config, size_t index) {
  return index < config.lists.size() && config.lists[index].clients.restricted();
}

// Every list slot of a snapshot: the lists, then the allowlist files.
const LoadedList& slot(const Snapshot& snapshot, size_t index) {
  const size_t lists = snapshot.lists().size();
  return index < lists ? snapshot.lists()[index] : snapshot.allow_files()[index - lists];
}

size_t slot_count(const Snapshot& snapshot) {
  return snapshot.lists().size() + snapshot.allow_files().size();
}

}  // namespace

// Collects hashes into a growing table; gives up past the cap.
class ChangeSet::Builder {
 public:
  explicit Builder(size_t max_names) : max_names_(max_names) { set_.slots_.assign(16, 0); }

  // False once the cap is exceeded.
  bool add(std::span<const uint8_t> key) {
    if (over_)
      return false;
    const uint64_t hash = hash_key(key);
    // Kept even when the hash is known: a collision must not lose a name.
    set_.key_octets_.insert(set_.key_octets_.end(), key.begin(), key.end());
    set_.key_ends_.push_back(set_.key_octets_.size());
    if (set_.contains(hash))
      return true;
    if (set_.size_ >= max_names_) {
      over_ = true;
      return false;
    }
    if ((set_.size_ + 1) * 2 > set_.slots_.size())
      grow();
    insert(hash);
    return true;
  }

  bool add_all(const trie::List* list) {
    if (list == nullptr)
      return true;
    const auto cursor = list->entries();
    trie::RawEntry entry;
    while (cursor->next(entry)) {
      if (!add(entry.key))
        return false;
    }
    return true;
  }

  // Adds the names of the entries added, removed or changed from `before` to
  // `after` (either may be null: no list): one merge of the two key orders.
  bool add_diff(const trie::List* before, const trie::List* after) {
    if (before == nullptr || after == nullptr)
      return add_all(before) && add_all(after);
    if (const trie::ChangeList* changes = recorded_changes(before, after)) {
      // A superset of the diff below (any metadata change counts).
      for (const auto& key : changes->keys) {
        if (!add(key))
          return false;
      }
      return true;
    }
    const std::vector<Effect> old_effects = effects(*before);
    const std::vector<Effect> new_effects = effects(*after);
    auto changed = [&](const trie::RawEntry& x, const trie::RawEntry& y) {
      return x.policy != y.policy || x.scope != y.scope || x.metadata_id >= old_effects.size() ||
             y.metadata_id >= new_effects.size() ||
             !(old_effects[x.metadata_id] == new_effects[y.metadata_id]);
    };
    const auto a = before->entries();
    const auto b = after->entries();
    trie::RawEntry x, y;
    bool has_x = a->next(x);
    bool has_y = b->next(y);
    while (has_x || has_y) {
      const int c = !has_x ? 1 : !has_y ? -1 : compare_keys(x.key, y.key);
      if (c < 0) {
        if (!add(x.key))
          return false;
        has_x = a->next(x);
      } else if (c > 0) {
        if (!add(y.key))
          return false;
        has_y = b->next(y);
      } else {
        if (changed(x, y) && !add(x.key))
          return false;
        has_x = a->next(x);
        has_y = b->next(y);
      }
    }
    return true;
  }

  std::optional<ChangeSet> finish() {
    if (over_)
      return std::nullopt;
    return std::move(set_);
  }

 private:
  void insert(uint64_t hash) {
    const size_t mask = set_.slots_.size() - 1;
    size_t i = hash & mask;
    while (set_.slots_[i] != 0)
      i = (i + 1) & mask;
    set_.slots_[i] = hash;
    ++set_.size_;
  }

  void grow() {
    std::vector<uint64_t> old = std::move(set_.slots_);
    set_.slots_.assign(old.size() * 2, 0);
    set_.size_ = 0;
    for (uint64_t hash : old) {
      if (hash != 0)
        insert(hash);
    }
  }

  ChangeSet set_;
  size_t max_names_;
  bool over_ = false;
};

std::optional<ChangeSet> ChangeSet::between(const Snapshot& old, const Snapshot& now,
                                            size_t max_names) {
  // The same configuration object: the engine's swaps keep it; an Unbound reload
  // builds a new one, and then anything may differ (actions, scopes, allowlist
  // names, the lists themselves).
  if (old.config_ptr() != now.config_ptr() || slot_count(old) != slot_count(now))
    return std::nullopt;
  Builder builder(max_names);
  for (size_t i = 0; i < slot_count(now); ++i) {
    const trie::List* before = slot(old, i).list.get();
    const trie::List* after = slot(now, i).list.get();
    // A client-scoped list's names are always "newly blocked" for the full
    // predicate (some clients are blocked, not all), changed or not.
    const bool ok = scoped(now.config(), i) ? builder.add_all(before) && builder.add_all(after)
                    : before == after       ? true
                                            : builder.add_diff(before, after);
    if (!ok)
      return std::nullopt;
  }
  return builder.finish();
}

std::optional<ChangeSet> ChangeSet::over_time(const Snapshot& snapshot, int64_t from, int64_t to,
                                              size_t max_names) {
  Builder builder(max_names);
  for (size_t i = 0; i < slot_count(snapshot); ++i) {
    const trie::List* list = slot(snapshot, i).list.get();
    if (list == nullptr)
      continue;
    if (scoped(snapshot.config(), i)) {
      if (!builder.add_all(list))
        return std::nullopt;
      continue;
    }
    // The metadata records (few: they are deduplicated) whose window opens or
    // closes in the interval; only their entries can change decisions.
    const std::vector<Effect> list_effects = effects(*list);
    std::vector<bool> turning(list_effects.size(), false);
    bool any = false;
    for (size_t id = 0; id < list_effects.size(); ++id) {
      const Effect& e = list_effects[id];
      if ((e.not_before && *e.not_before > from && *e.not_before <= to) ||
          (e.not_after && *e.not_after >= from && *e.not_after < to)) {
        turning[id] = true;
        any = true;
      }
    }
    if (!any)
      continue;
    const auto cursor = list->entries();
    trie::RawEntry entry;
    while (cursor->next(entry)) {
      if (entry.metadata_id < turning.size() && turning[entry.metadata_id] &&
          !builder.add(entry.key)) {
        return std::nullopt;
      }
    }
  }
  return builder.finish();
}

uint64_t ChangeSet::walk_size(const Snapshot& old, const Snapshot& now) {
  if (old.config_ptr() != now.config_ptr() || slot_count(old) != slot_count(now))
    return 0;
  uint64_t entries = 0;
  for (size_t i = 0; i < slot_count(now); ++i) {
    const trie::List* before = slot(old, i).list.get();
    const trie::List* after = slot(now, i).list.get();
    if (before == after && !scoped(now.config(), i))
      continue;
    if (const trie::ChangeList* changes = recorded_changes(before, after);
        changes != nullptr && !scoped(now.config(), i)) {
      entries += changes->keys.size();
      continue;
    }
    for (const trie::List* list : {before, after}) {
      if (list != nullptr)
        entries += list->info().entry_count;
    }
  }
  return entries;
}

bool ChangeSet::contains(uint64_t hash) const noexcept {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    if (slots_[i] == hash)
      return true;
    if (slots_[i] == 0)
      return false;
  }
}

std::vector<std::span<const uint8_t>> ChangeSet::keys() const {
  std::vector<std::span<const uint8_t>> out;
  out.reserve(key_ends_.size());
  size_t start = 0;
  for (size_t end : key_ends_) {
    out.emplace_back(key_octets_.data() + start, end - start);
    start = end;
  }
  return out;
}

bool ChangeSet::may_affect(std::span<const uint8_t> wire) const noexcept {
  if (size_ == 0)
    return false;
  // Label starts, left to right; then hash the labels right to left, which is
  // the key order, probing after each label: the name's ancestors, then itself.
  std::array<uint8_t, trie::kMaxLabels> starts{};
  size_t labels = 0;
  size_t pos = 0;
  while (true) {
    if (pos >= wire.size() || pos > 255)
      return true;
    const uint8_t len = wire[pos];
    if (len == 0)
      break;
    if (len > 63 || labels == starts.size())
      return true;
    starts[labels++] = static_cast<uint8_t>(pos);
    pos += 1 + len;
  }
  if (pos + 1 != wire.size())
    return true;
  uint64_t h = kFnvOffset;
  for (size_t l = labels; l-- > 0;) {
    const size_t start = starts[l];
    const uint8_t len = wire[start];
    h = fnv(h, len);
    for (size_t i = start + 1; i <= start + len; ++i) {
      const uint8_t c = wire[i];
      h = fnv(h, (c >= 'A' && c <= 'Z') ? static_cast<uint8_t>(c + ('a' - 'A')) : c);
    }
    if (contains(finish(h)))
      return true;
  }
  return false;
}

}  // namespace pangea::policy
