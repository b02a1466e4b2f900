#include "pangea/trie/builder.h"

#include <xxhash.h>

#include <algorithm>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "format.h"
#include "huffman.h"
#include "key.h"
#include "pangea/trie/list.h"
#include "tokens.h"

namespace pangea::trie {

using namespace format;

namespace {

struct Pending {
  std::string key;
  uint32_t meta;
  uint32_t seq;
  Policy policy;
  Scope scope;
};

struct Kept {
  uint32_t pending;  // index into the pending entries (for the key)
  uint32_t meta;     // file metadata id
  Policy policy;
  Scope scope;
  uint32_t value_class = 0;
};

// The entries added, removed or changed (policy, scope, any metadata field)
// from `previous` to the kept entries: how many, and the keys in key order while
// there are at most `limit`. One merge of the two key orders.
struct ChangedKeys {
  uint64_t count = 0;
  std::vector<std::string> keys;  // complete when count <= limit
};
template <typename MetadataOf>
ChangedKeys changed_keys(const List& previous, const std::vector<Pending>& pending,
                         const std::vector<Kept>& kept, MetadataOf metadata_of, size_t limit) {
  std::vector<std::optional<Metadata>> old_metadata(previous.info().metadata_count);
  const auto old_meta = [&](uint32_t id) -> const Metadata& {
    if (!old_metadata.at(id))
      old_metadata[id] = previous.metadata(id).to_owned();
    return *old_metadata[id];
  };
  ChangedKeys out;
  const auto changed = [&](std::string_view key) {
    if (++out.count <= limit)
      out.keys.emplace_back(key);
  };
  const auto cursor = previous.entries();
  RawEntry old_entry;
  bool has_old = cursor->next(old_entry);
  size_t next = 0;
  while (has_old || next < kept.size()) {
    const std::string_view old_key =
        has_old ? std::string_view(reinterpret_cast<const char*>(old_entry.key.data()),
                                   old_entry.key.size())
                : std::string_view();
    const int c = !has_old              ? 1
                  : next == kept.size() ? -1
                                        : old_key.compare(pending[kept[next].pending].key);
    if (c < 0) {
      changed(old_key);
      has_old = cursor->next(old_entry);
    } else if (c > 0) {
      changed(pending[kept[next].pending].key);
      ++next;
    } else {
      const Kept& k = kept[next];
      if (old_entry.policy != k.policy || old_entry.scope != k.scope ||
          !(old_meta(old_entry.metadata_id) == metadata_of(k)))
        changed(old_key);
      has_old = cursor->next(old_entry);
      ++next;
    }
  }
  return out;
}

std::vector<uint8_t> changes_section(const List& previous, const std::vector<std::string>& keys) {
  std::vector<uint8_t> out(kChangesHeaderSize, 0);
  store_u64(out.data(), previous.info().content_id);
  store_u64(out.data() + 8, previous.info().serial);
  store_u64(out.data() + 16, keys.size());
  for (const std::string& key : keys) {
    out.push_back(static_cast<uint8_t>(key.size()));
    out.insert(out.end(), key.begin(), key.end());
  }
  return out;
}

std::string metadata_key(const Metadata& m) {
  std::string out;
  for (const std::string* s : {&m.list, &m.category, &m.agency, &m.referral, &m.legal_basis}) {
    out += std::to_string(s->size());
    out.push_back(':');
    out += *s;
  }
  for (const auto* t : {&m.referral_date, &m.not_before, &m.not_after}) {
    out += *t ? std::to_string(**t) : std::string("-");
    out.push_back(',');
  }
  out += std::to_string(static_cast<int>(m.action));
  return out;
}

size_t common_prefix(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  while (i < n && a[i] == b[i])
    ++i;
  return i;
}

bool is_prefix(std::string_view prefix, std::string_view of) {
  return prefix.size() <= of.size() && of.compare(0, prefix.size(), prefix) == 0;
}

// Walks every block in the order the decoder reads it and reports each coded item
// to `sink`. Used twice: once to count symbol frequencies, once to write.
template <typename Sink>
void walk_blocks(const std::vector<Pending>& pending, const std::vector<Kept>& kept,
                 size_t block_size, size_t tail_octets, Sink& sink) {
  std::vector<uint32_t> stack;  // kept subtree entries that are prefixes of the current key
  auto key_of = [&](size_t i) -> std::string_view { return pending[kept[i].pending].key; };

  // Codes the key's octets from `from` on: a label length (or the end) at each
  // label boundary, and each run of label octets as one segment.
  auto emit_suffix = [&](std::string_view key, size_t from) {
    size_t label_start = 0;  // position of the length octet of the label holding `from`
    size_t label_end = 0;    // one past that label
    while (label_end <= from && label_end < key.size()) {
      label_start = label_end;
      label_end += static_cast<uint8_t>(key[label_end]) + 1;
    }
    size_t i = from;
    if (i > label_start && i < label_end) {
      sink.segment(i == label_start + 1 ? kContextLabelStart
                                        : token_context_after(static_cast<uint8_t>(key[i - 1])),
                   key.substr(i, label_end - i));
      i = label_end;
    }
    while (i < key.size()) {
      const auto len = static_cast<uint8_t>(key[i]);
      sink.symbol(kTableBoundary, len);
      sink.segment(kContextLabelStart, key.substr(i + 1, len));
      i += len + 1u;
    }
    sink.symbol(kTableBoundary, kEndSymbol);
  };

  for (size_t i = 0; i < kept.size(); ++i) {
    std::string_view key = key_of(i);
    while (!stack.empty() && !is_prefix(key_of(stack.back()), key))
      stack.pop_back();
    if (i % block_size == 0) {
      if (i != 0)
        sink.end_block();
      sink.begin_block(key);
      // The index holds the top-level label (as its rank) and index_tail()
      // more octets; the block codes the rest.
      const size_t indexed = 1 + static_cast<uint8_t>(key[0]) + tail_octets;
      if (key.size() >= indexed)
        emit_suffix(key, indexed);
      sink.value(kept[i].value_class);
      sink.raw(stack.empty() ? 0 : 1, 1);
      if (!stack.empty()) {
        sink.raw(static_cast<uint32_t>(stack.size()), kAncestorCountBits);
        for (uint32_t a : stack) {
          sink.raw(static_cast<uint32_t>(key_of(a).size()), 8);
          sink.value(kept[a].value_class);
        }
      }
    } else {
      size_t lcp = common_prefix(key_of(i - 1), key);
      sink.symbol(kTableLcp, static_cast<uint32_t>(lcp));
      emit_suffix(key, lcp);
      sink.value(kept[i].value_class);
    }
    if (kept[i].scope == Scope::subtree)
      stack.push_back(static_cast<uint32_t>(i));
  }
  if (!kept.empty())
    sink.end_block();
}

struct CountingSink {
  std::vector<uint64_t> boundary = std::vector<uint64_t>(kBoundaryAlphabet);
  std::vector<uint64_t> lcp = std::vector<uint64_t>(kLcpAlphabet);
  std::vector<uint64_t> values;
  std::vector<std::string_view> segments;  // label octet runs, in coding order
  std::vector<uint8_t> first_context;      // the token context each run starts in
  size_t value_classes = 0;

  explicit CountingSink(size_t classes)
      : values(std::min(classes, kMaxValueAlphabet)), value_classes(classes) {}
  void begin_block(std::string_view) {}
  void end_block() {}
  void symbol(size_t table, uint32_t s) { (table == kTableBoundary ? boundary : lcp)[s]++; }
  void segment(uint8_t context, std::string_view octets) {
    segments.push_back(octets);
    first_context.push_back(context);
  }
  void value(uint32_t cls) {
    if (value_classes > kMaxValueAlphabet && cls >= kMaxValueAlphabet - 1) {
      values[kMaxValueAlphabet - 1]++;
    } else {
      values[cls]++;
    }
  }
  void raw(uint32_t, unsigned) {}
};

unsigned bit_width_of(uint64_t v) {
  unsigned w = 0;
  while (v > 0) {
    ++w;
    v >>= 1;
  }
  return w;
}

// The distinct top-level labels (first labels of the keys, with their length
// octet), in key order: a block's index entry holds its first key's rank.
class TopLabels {
 public:
  void add(std::string_view key) {
    std::string_view label = key.substr(0, 1 + static_cast<uint8_t>(key[0]));
    if (labels_.empty() || labels_.back() != label)
      labels_.push_back(label);
  }
  size_t rank(std::string_view key) const {
    std::string_view label = key.substr(0, 1 + static_cast<uint8_t>(key[0]));
    return static_cast<size_t>(std::lower_bound(labels_.begin(), labels_.end(), label) -
                               labels_.begin());
  }
  size_t size() const { return labels_.size(); }
  std::vector<uint8_t> section() const {
    std::vector<uint8_t> out(4, 0);
    store_u32(out.data(), static_cast<uint32_t>(labels_.size()));
    for (std::string_view label : labels_)
      out.push_back(static_cast<uint8_t>(label.size() - 1));
    for (std::string_view label : labels_)
      out.insert(out.end(), label.begin() + 1, label.end());
    return out;
  }

 private:
  std::vector<std::string_view> labels_;  // into the kept keys, sorted
};

struct WritingSink {
  const TopLabels* top_labels = nullptr;
  std::vector<Encoder> enc;
  const TokenTable* tokens = nullptr;
  std::vector<uint16_t> ids;
  size_t value_classes = 0;
  unsigned escape_bits = 0;
  BitWriter out;
  std::vector<uint64_t> index;
  std::vector<uint32_t> offsets;

  void begin_block(std::string_view key) {
    offsets.push_back(static_cast<uint32_t>(out.bytes().size()));
    index.push_back(index_entry(top_labels->rank(key), index_tail(top_labels->size()),
                                reinterpret_cast<const uint8_t*>(key.data()), key.size()));
  }
  void end_block() { out.flush(); }
  void symbol(size_t table, uint32_t s) {
    const Encoder& e = enc[table];
    out.put(e.code[s], e.length[s]);
  }
  void segment(uint8_t context, std::string_view octets) {
    ids.clear();
    tokens->tokenize(octets, ids);
    for (uint16_t id : ids) {
      symbol(kTableFirstToken + context, id);
      context = token_context_after(static_cast<uint8_t>(tokens->token(id).back()));
    }
  }
  void value(uint32_t cls) {
    if (value_classes > kMaxValueAlphabet && cls >= kMaxValueAlphabet - 1) {
      symbol(kTableValue, kMaxValueAlphabet - 1);
      out.put(static_cast<uint32_t>(cls - (kMaxValueAlphabet - 1)), escape_bits);
    } else {
      symbol(kTableValue, cls);
    }
  }
  void raw(uint32_t v, unsigned n) { out.put(v, n); }
};

void append_aligned(std::vector<uint8_t>& out) {
  while (out.size() % kAlign != 0)
    out.push_back(0);
}

}  // namespace

struct Builder::Impl {
  std::vector<Pending> pending;
  std::vector<Metadata> metas;
  std::unordered_map<std::string, uint32_t> meta_ids;
};

Builder::Builder() : impl_(new Impl) {}
Builder::~Builder() {
  delete impl_;
}

void Builder::add(Entry entry) {
  Pending p;
  if (!key_from_name(entry.name, p.key)) {
    throw std::invalid_argument("not a normalised domain name: '" + entry.name + "'");
  }
  if (entry.policy != Policy::block && entry.policy != Policy::allow) {
    throw std::invalid_argument("invalid policy for '" + entry.name + "'");
  }
  if (entry.scope != Scope::subtree && entry.scope != Scope::exact) {
    throw std::invalid_argument("invalid scope for '" + entry.name + "'");
  }
  if (static_cast<uint8_t>(entry.meta.action) > static_cast<uint8_t>(Action::log_only)) {
    throw std::invalid_argument("invalid action for '" + entry.name + "'");
  }
  if (impl_->pending.size() >= UINT32_MAX - 1)
    throw std::length_error("too many entries");
  auto mk = metadata_key(entry.meta);
  auto [it, inserted] = impl_->meta_ids.try_emplace(std::move(mk), 0);
  if (inserted) {
    it->second = static_cast<uint32_t>(impl_->metas.size());
    impl_->metas.push_back(std::move(entry.meta));
  }
  p.meta = it->second;
  p.seq = static_cast<uint32_t>(impl_->pending.size());
  p.policy = entry.policy;
  p.scope = entry.scope;
  impl_->pending.push_back(std::move(p));
  ++stats_.added;
}

std::vector<uint8_t> Builder::finish(const BuildOptions& options) {
  const size_t block_size = options.block_size;
  if (block_size < 1 || block_size > kMaxBlockSize) {
    throw std::invalid_argument("block_size must be 1.." + std::to_string(kMaxBlockSize));
  }
  if (options.max_tokens < 1 || options.max_tokens > kMaxTokens)
    throw std::invalid_argument("max_tokens must be 1.." + std::to_string(kMaxTokens));
  auto& pending = impl_->pending;
  // Sort by key, then by order of addition. The first 16 key octets are copied
  // next to the index so that most comparisons touch no string.
  struct SortItem {
    uint64_t head0, head1;
    uint32_t index;
  };
  std::vector<SortItem> items(pending.size());
  for (uint32_t i = 0; i < pending.size(); ++i) {
    const auto* k = reinterpret_cast<const uint8_t*>(pending[i].key.data());
    size_t n = pending[i].key.size();
    items[i] = {key_prefix(k, n), n > 8 ? key_prefix(k + 8, n - 8) : 0, i};
  }
  std::sort(items.begin(), items.end(), [&](const SortItem& a, const SortItem& b) {
    if (a.head0 != b.head0)
      return a.head0 < b.head0;
    if (a.head1 != b.head1)
      return a.head1 < b.head1;
    int c = pending[a.index].key.compare(pending[b.index].key);
    return c != 0 ? c < 0 : a.index < b.index;
  });
  std::vector<uint32_t> order(pending.size());
  for (size_t i = 0; i < items.size(); ++i)
    order[i] = items[i].index;
  std::vector<SortItem>().swap(items);

  // 1. Resolve duplicate names: allow beats block, subtree beats exact, then first added.
  std::vector<Kept> resolved;
  resolved.reserve(pending.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i + 1;
    while (j < order.size() && pending[order[j]].key == pending[order[i]].key)
      ++j;
    auto rank = [&](uint32_t idx) {
      const Pending& p = pending[idx];
      return std::tuple(p.policy == Policy::allow ? 0 : 1, p.scope == Scope::subtree ? 0 : 1,
                        p.seq);
    };
    uint32_t best = order[i];
    for (size_t k = i + 1; k < j; ++k) {
      if (rank(order[k]) < rank(best))
        best = order[k];
    }
    // A loser identical to the winner or to an earlier entry of the same name is a
    // duplicate; anything else is a conflict.
    for (size_t k = i; k < j; ++k) {
      uint32_t idx = order[k];
      if (idx == best)
        continue;
      auto same = [&](uint32_t a, uint32_t b) {
        return pending[a].policy == pending[b].policy && pending[a].scope == pending[b].scope &&
               pending[a].meta == pending[b].meta;
      };
      bool dup = same(idx, best);
      for (size_t e = i; e < k && !dup; ++e)
        dup = same(idx, order[e]);
      ++(dup ? stats_.duplicates : stats_.conflicts);
    }
    resolved.push_back({best, pending[best].meta, pending[best].policy, pending[best].scope});
    i = j;
  }

  // 2. Drop entries whose nearest subtree ancestor has the same policy and metadata:
  // that ancestor already gives the same answer for the name and everything under it.
  // Exact entries never cover a descendant, so they are not "in between".
  std::vector<Kept> kept;
  kept.reserve(resolved.size());
  {
    std::vector<uint32_t> stack;  // indices into kept, subtree only
    for (const Kept& k : resolved) {
      std::string_view key = pending[k.pending].key;
      while (!stack.empty() && !is_prefix(pending[kept[stack.back()].pending].key, key)) {
        stack.pop_back();
      }
      if (!stack.empty()) {
        const Kept& a = kept[stack.back()];
        if (a.policy == k.policy && a.meta == k.meta) {
          ++stats_.redundant;
          if (!options.keep_redundant)
            continue;
        }
      }
      kept.push_back(k);
      if (k.scope == Scope::subtree)
        stack.push_back(static_cast<uint32_t>(kept.size() - 1));
    }
  }

  // 3. Metadata: renumber by first use, so records no kept entry refers to vanish.
  std::vector<uint32_t> meta_map(impl_->metas.size(), UINT32_MAX);
  std::vector<uint32_t> meta_order;
  for (Kept& k : kept) {
    if (meta_map[k.meta] == UINT32_MAX) {
      meta_map[k.meta] = static_cast<uint32_t>(meta_order.size());
      meta_order.push_back(k.meta);
    }
    k.meta = meta_map[k.meta];
  }

  // Strings, deduplicated.
  std::vector<uint8_t> strings;
  std::unordered_map<std::string, uint32_t> string_offsets;
  auto intern = [&](const std::string& s) -> uint32_t {
    if (s.empty())
      return 0;
    auto [it, inserted] = string_offsets.try_emplace(s, 0);
    if (inserted) {
      if (strings.size() + s.size() > UINT32_MAX)
        throw std::length_error("string table too big");
      it->second = static_cast<uint32_t>(strings.size());
      strings.insert(strings.end(), s.begin(), s.end());
    }
    return it->second;
  };
  std::vector<uint8_t> metadata(meta_order.size() * kMetadataRecordSize, 0);
  for (size_t id = 0; id < meta_order.size(); ++id) {
    const Metadata& m = impl_->metas[meta_order[id]];
    uint8_t* rec = metadata.data() + id * kMetadataRecordSize;
    const std::string* fields[] = {&m.list, &m.category, &m.agency, &m.referral, &m.legal_basis};
    for (size_t f = 0; f < 5; ++f) {
      store_u32(rec + f * 8, intern(*fields[f]));
      store_u32(rec + f * 8 + 4, static_cast<uint32_t>(fields[f]->size()));
    }
    const std::optional<int64_t>* times[] = {&m.referral_date, &m.not_before, &m.not_after};
    uint8_t present = 0;
    for (size_t t = 0; t < 3; ++t) {
      if (*times[t]) {
        present = static_cast<uint8_t>(present | (1u << t));
        store_u64(rec + 40 + t * 8, static_cast<uint64_t>(**times[t]));
      }
    }
    rec[64] = static_cast<uint8_t>(m.action);
    rec[65] = present;
  }
  stats_.metadata_records = meta_order.size();

  // The change list against the list this one replaces, if any.
  std::vector<uint8_t> changes;
  if (options.previous != nullptr) {
    const ChangedKeys changed = changed_keys(
        *options.previous, pending, kept,
        [&](const Kept& k) -> const Metadata& { return impl_->metas[meta_order[k.meta]]; },
        options.max_changes);
    stats_.changes = changed.count;
    stats_.changes_recorded = changed.count <= options.max_changes;
    if (stats_.changes_recorded)
      changes = changes_section(*options.previous, changed.keys);
  }

  // 4. Value classes (policy, scope, metadata), most frequent first.
  std::unordered_map<uint64_t, uint64_t> class_freq;
  auto class_key = [](const Kept& k) {
    return (uint64_t{k.meta} << 2) | (uint64_t{static_cast<uint8_t>(k.policy)} << 1) |
           static_cast<uint8_t>(k.scope);
  };
  for (const Kept& k : kept)
    class_freq[class_key(k)]++;
  std::vector<std::pair<uint64_t, uint64_t>> classes(class_freq.begin(), class_freq.end());
  std::sort(classes.begin(), classes.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::unordered_map<uint64_t, uint32_t> class_id;
  std::vector<uint8_t> values(classes.size() * kValueRecordSize, 0);
  for (size_t c = 0; c < classes.size(); ++c) {
    class_id[classes[c].first] = static_cast<uint32_t>(c);
    uint8_t* rec = values.data() + c * kValueRecordSize;
    store_u32(rec, static_cast<uint32_t>(classes[c].first >> 2));
    rec[4] = static_cast<uint8_t>((classes[c].first >> 1) & 1);
    rec[5] = static_cast<uint8_t>(classes[c].first & 1);
  }
  for (Kept& k : kept)
    k.value_class = class_id[class_key(k)];

  // 5. Entropy coding: count, choose contexts, build codes, write.
  CountingSink counts(classes.size());
  TopLabels top_labels;
  for (const Kept& k : kept)
    top_labels.add(pending[k.pending].key);
  if (top_labels.size() > kMaxTopLabels) {
    throw std::length_error("more than " + std::to_string(kMaxTopLabels) +
                            " distinct top-level labels");
  }
  const size_t tail_octets = index_tail(top_labels.size());
  walk_blocks(pending, kept, block_size, tail_octets, counts);
  const TokenTable tokens = TokenTable::learn(counts.segments, options.max_tokens);
  std::vector<std::vector<uint64_t>> token_freq(kTokenContexts,
                                                std::vector<uint64_t>(tokens.size()));
  {
    std::vector<uint16_t> ids;
    for (size_t s = 0; s < counts.segments.size(); ++s) {
      ids.clear();
      tokens.tokenize(counts.segments[s], ids);
      uint8_t context = counts.first_context[s];
      for (uint16_t id : ids) {
        token_freq[context][id]++;
        context = token_context_after(static_cast<uint8_t>(tokens.token(id).back()));
      }
    }
  }
  std::vector<std::vector<uint8_t>> lengths;
  lengths.push_back(code_lengths(counts.boundary));
  lengths.push_back(code_lengths(counts.lcp));
  lengths.push_back(code_lengths(counts.values));
  for (const auto& freq : token_freq)
    lengths.push_back(code_lengths(freq));

  WritingSink writer;
  writer.top_labels = &top_labels;
  for (const auto& l : lengths)
    writer.enc.emplace_back(l);
  writer.tokens = &tokens;
  writer.value_classes = classes.size();
  writer.escape_bits =
      classes.size() > kMaxValueAlphabet ? bit_width_of(classes.size() - kMaxValueAlphabet) : 0;
  walk_blocks(pending, kept, block_size, tail_octets, writer);
  std::vector<uint8_t>& blocks = writer.out.bytes();
  if (blocks.size() > UINT32_MAX)
    throw std::length_error("blocks section over 4 GiB");
  writer.offsets.push_back(static_cast<uint32_t>(blocks.size()));

  std::vector<uint8_t> codes(8, 0);
  store_u32(codes.data(), static_cast<uint32_t>(lengths.size()));
  for (const auto& l : lengths) {
    uint8_t size[2];
    store_u16(size, static_cast<uint16_t>(l.size()));
    codes.insert(codes.end(), size, size + 2);
    codes.insert(codes.end(), l.begin(), l.end());
  }
  std::vector<uint8_t> token_bytes(4, 0);
  store_u32(token_bytes.data(), static_cast<uint32_t>(tokens.size()));
  for (size_t t = 0; t < tokens.size(); ++t)
    token_bytes.push_back(static_cast<uint8_t>(tokens.token(t).size()));
  for (size_t t = 0; t < tokens.size(); ++t)
    token_bytes.insert(token_bytes.end(), tokens.token(t).begin(), tokens.token(t).end());
  std::vector<uint8_t> index(writer.index.size() * 8);
  for (size_t b = 0; b < writer.index.size(); ++b)
    store_u64(index.data() + b * 8, writer.index[b]);
  std::vector<uint8_t> offsets(writer.offsets.size() * 4);
  for (size_t b = 0; b < writer.offsets.size(); ++b) {
    store_u32(offsets.data() + b * 4, writer.offsets[b]);
  }

  // 6. Assemble: header, section table, sections (8-aligned, zero padding).
  const std::vector<uint8_t> top_label_bytes = top_labels.section();
  const std::vector<uint8_t>* sections[] = {&strings,         &metadata, &values, &codes,
                                            &index,           &offsets,  &blocks, &token_bytes,
                                            &top_label_bytes, &changes};
  const size_t section_count = stats_.changes_recorded ? 10 : 9;
  std::vector<uint8_t> out(kHeaderSize + section_count * kSectionEntrySize, 0);
  for (size_t s = 0; s < section_count; ++s) {
    append_aligned(out);
    size_t offset = out.size();
    const auto& data = *sections[s];
    out.insert(out.end(), data.begin(), data.end());
    uint8_t* entry = out.data() + kHeaderSize + s * kSectionEntrySize;
    store_u32(entry, static_cast<uint32_t>(s + 1));
    store_u64(entry + 8, offset);
    store_u64(entry + 16, data.size());
    store_u64(entry + 24, XXH3_64bits(data.data(), data.size()));
  }
  append_aligned(out);

  uint8_t* h = out.data();
  std::copy(kMagic.begin(), kMagic.end(), h);
  store_u32(h + kOffVersion, kVersion);
  store_u32(h + kOffHeaderSize, kHeaderSize);
  store_u64(h + kOffFlags, 0);
  store_u64(h + kOffFileSize, out.size());
  store_u64(h + kOffEntryCount, kept.size());
  store_u64(h + kOffMetadataCount, meta_order.size());
  store_u64(h + kOffSerial,
            options.serial != 0 ? options.serial : static_cast<uint64_t>(options.build_time));
  store_u64(h + kOffBuildTime, static_cast<uint64_t>(options.build_time));
  std::copy(options.source_digest.begin(), options.source_digest.end(), h + kOffSourceDigest);
  for (size_t i = 0; i < options.generator.size() && i < kGeneratorSize - 1; ++i) {
    char c = options.generator[i];
    h[kOffGenerator + i] = static_cast<uint8_t>(c >= 0x20 && c < 0x7f ? c : '?');
  }
  store_u32(h + kOffSectionCount, static_cast<uint32_t>(section_count));
  store_u32(h + kOffBlockSize, static_cast<uint32_t>(block_size));
  store_u64(h + kOffHeaderChecksum, header_checksum(out));

  stats_.kept = kept.size();
  stats_.file_bytes = out.size();
  return out;
}

}  // namespace pangea::trie
