#pragma once
// The fixed, valid lists that fuzz target list_lookup queries with hostile names, and
// the slow, obvious oracle it checks every answer against. Also used by
// tools/make_seeds.cpp, which writes the same lists as list_open seeds.

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pangea/trie/builder.h"
#include "pangea/trie/entry.h"
#include "pangea/trie/list.h"

namespace pangea::fuzz {

inline trie::Metadata fixture_meta(int which) {
  trie::Metadata m;
  m.list = "fixture-" + std::to_string(which);
  switch (which % 4) {
    case 0:
      m.category = "illegal-pharmacy";
      m.agency = "Agency A";
      m.referral = "R-0";
      break;
    case 1:
      m.agency = "Agency \"B\"; with, punctuation";
      m.legal_basis = "Code de la sant\xc3\xa9 publique L.5125-34";
      m.not_before = 1767225600;
      m.not_after = 1798761599;
      m.action = trie::Action::nxdomain;
      break;
    case 2:
      m.referral_date = -86400;
      m.action = trie::Action::redirect;
      break;
    default:
      m.action = trie::Action::log_only;
      break;
  }
  return m;
}

// Entries of the fixture lists: every name unique, so that with keep_redundant the
// list stores exactly these entries. `many_classes` adds 300 entries with distinct
// metadata (more than 256 value classes: the escape path of the value code).
inline std::vector<trie::Entry> fixture_entries(bool many_classes) {
  using trie::Policy;
  using trie::Scope;
  std::vector<trie::Entry> out;
  auto add = [&](std::string name, Policy policy, Scope scope, int meta) {
    out.push_back(trie::Entry{std::move(name), policy, scope, fixture_meta(meta)});
  };
  add("cheap-pills.example", Policy::block, Scope::subtree, 0);
  add("shop.cheap-pills.example", Policy::block, Scope::exact, 1);
  add("info.cheap-pills.example", Policy::allow, Scope::subtree, 0);
  add("deep.info.cheap-pills.example", Policy::block, Scope::subtree, 2);
  add("g.example", Policy::allow, Scope::subtree, 2);
  add("e.f.g.example", Policy::block, Scope::subtree, 1);
  add("c.d.e.f.g.example", Policy::allow, Scope::exact, 1);
  add("a.b.c.d.e.f.g.example", Policy::block, Scope::subtree, 0);
  add("example", Policy::block, Scope::exact, 3);
  add("test", Policy::block, Scope::subtree, 0);
  add("net", Policy::block, Scope::subtree, 3);
  add("x.net", Policy::allow, Scope::subtree, 3);
  add("y.x.net", Policy::block, Scope::exact, 3);
  add("xn--strae-oqa.example", Policy::block, Scope::subtree, 1);
  add("_dmarc.mail.example", Policy::block, Scope::exact, 2);
  add("a-b_c.example", Policy::allow, Scope::subtree, 0);
  add("0.example", Policy::block, Scope::subtree, 0);
  add("-.example", Policy::block, Scope::exact, 0);
  add(std::string(63, 'x') + ".example", Policy::block, Scope::subtree, 1);
  add(std::string(63, 'y') + "." + std::string(63, 'z') + ".long", Policy::block, Scope::subtree,
      2);
  // The longest name there is (253 characters, 127 labels, a 254-octet key) and some
  // of its ancestors.
  std::string deep;
  for (int i = 0; i < 126; ++i)
    deep += "a.";
  add(deep + "b", Policy::block, Scope::exact, 0);
  add(deep.substr(120) + "b", Policy::allow, Scope::subtree, 1);
  add(deep.substr(200) + "b", Policy::block, Scope::subtree, 2);
  add("b", Policy::block, Scope::subtree, 3);
  // Many keys sharing the 8-octet index prefix "\7example": the predecessor search
  // has to compare whole first keys across blocks.
  for (int i = 0; i < 120; ++i) {
    std::string n = std::to_string(i);
    add("n" + std::string(3 - n.size(), '0') + n + ".example",
        i % 3 == 0 ? Policy::allow : Policy::block, i % 2 == 0 ? Scope::subtree : Scope::exact,
        i % 4);
  }
  if (many_classes) {
    for (int i = 0; i < 300; ++i) {
      trie::Metadata m = fixture_meta(i);
      m.referral = "M-" + std::to_string(i);
      out.push_back(
          trie::Entry{"m" + std::to_string(i) + ".many", Policy::block, Scope::subtree, m});
    }
  }
  return out;
}

struct FixtureList {
  std::string what;
  std::vector<trie::Entry> entries;
  bool pruned = false;  // built without keep_redundant: only the most specific match is pinned
  std::vector<uint8_t> bytes;
};

inline std::vector<FixtureList> fixture_lists() {
  std::vector<FixtureList> lists;
  auto make = [&](std::string what, bool many, size_t block_size, bool keep_redundant) {
    FixtureList l;
    l.what = std::move(what);
    l.entries = fixture_entries(many);
    l.pruned = !keep_redundant;
    trie::Builder builder;
    for (const auto& e : l.entries)
      builder.add(e);
    trie::BuildOptions options;
    options.generator = "pangea fuzz fixture";
    options.build_time = 1767225600;
    options.block_size = block_size;
    options.keep_redundant = keep_redundant;
    l.bytes = builder.finish(options);
    lists.push_back(std::move(l));
  };
  make("block size 4", false, 4, true);
  make("block size 1, >256 value classes", true, 1, true);
  make("one block", false, 4096, true);
  make("pruned, block size 16", false, 16, false);
  return lists;
}

// Labels of a wire name, lowercased (ASCII only), left to right; nullopt when the
// lookup must treat it as malformed: a label longer than 63, no root label inside
// the span, or more than 255 octets up to and including the root label.
inline std::optional<std::vector<std::string>> oracle_labels(std::span<const uint8_t> wire) {
  std::vector<std::string> labels;
  size_t pos = 0;
  for (;;) {
    if (pos >= wire.size() || pos >= 255)
      return std::nullopt;
    const size_t len = wire[pos];
    if (len == 0)
      break;
    if (len > 63 || wire.size() - pos - 1 < len)
      return std::nullopt;
    std::string label;
    for (size_t k = 1; k <= len; ++k) {
      uint8_t c = wire[pos + k];
      if (c >= 'A' && c <= 'Z')
        c = static_cast<uint8_t>(c + 32);
      label.push_back(static_cast<char>(c));
    }
    labels.push_back(std::move(label));
    pos += len + 1;
  }
  return labels;
}

inline std::vector<std::string> split_labels(std::string_view name) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t dot = name.find('.', start);
    out.emplace_back(name.substr(start, dot == std::string_view::npos ? name.npos : dot - start));
    if (dot == std::string_view::npos)
      return out;
    start = dot + 1;
  }
}

struct Expected {
  const trie::Entry* entry;
  uint16_t labels;
};

// Every entry matching the query, most specific first: the entry equal to the name
// whatever its scope, and subtree entries that are proper label-wise suffixes.
class Oracle {
 public:
  explicit Oracle(const std::vector<trie::Entry>& entries) {
    for (const auto& e : entries)
      by_labels_[split_labels(e.name)] = &e;
  }

  std::vector<Expected> expect(const std::vector<std::string>& query) const {
    std::vector<Expected> out;
    for (size_t k = query.size(); k >= 1; --k) {
      std::vector<std::string> suffix(query.end() - static_cast<std::ptrdiff_t>(k), query.end());
      auto it = by_labels_.find(suffix);
      if (it == by_labels_.end())
        continue;
      if (k == query.size() || it->second->scope == trie::Scope::subtree) {
        out.push_back({it->second, static_cast<uint16_t>(k)});
      }
    }
    return out;
  }

 private:
  std::map<std::vector<std::string>, const trie::Entry*> by_labels_;
};

}  // namespace pangea::fuzz
