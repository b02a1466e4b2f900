#pragma once
// Shared helpers for the trie tests: building lists in memory, wire names, and a
// std::map oracle that answers lookups the slow, obvious way.

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "pangea/trie/builder.h"
#include "pangea/trie/list.h"
#include "pangea/trie/name.h"

namespace pangea::trie::test {

inline std::vector<uint8_t> wire(std::string_view text) {
  auto w = wire_from_text(text);
  INFO("name: " << text);
  REQUIRE(w.has_value());
  return *w;
}

inline Entry make_entry(std::string name, Policy policy = Policy::block,
                        Scope scope = Scope::subtree, Metadata meta = {}) {
  return Entry{std::move(name), policy, scope, std::move(meta)};
}

inline Metadata make_meta(std::string list, std::string referral = "") {
  Metadata m;
  m.list = std::move(list);
  m.referral = std::move(referral);
  return m;
}

inline std::vector<uint8_t> build_bytes(const std::vector<Entry>& entries,
                                        BuildOptions options = {}, BuildStats* stats = nullptr) {
  Builder builder;
  for (const auto& e : entries)
    builder.add(e);
  auto bytes = builder.finish(options);
  if (stats != nullptr)
    *stats = builder.stats();
  return bytes;
}

inline std::shared_ptr<const List> open_bytes(std::vector<uint8_t> bytes,
                                              const OpenOptions& options = {}) {
  std::string error;
  auto list = List::from_bytes(std::move(bytes), options, error);
  INFO("error: " << error);
  REQUIRE(list != nullptr);
  return list;
}

inline std::shared_ptr<const List> build(const std::vector<Entry>& entries,
                                         BuildOptions options = {}) {
  return open_bytes(build_bytes(entries, options));
}

// What a match says, resolved against the list: comparable across files.
struct Resolved {
  std::string name;  // the matched entry's name (suffix of the query)
  Policy policy;
  Scope scope;
  Metadata meta;
  bool operator==(const Resolved&) const = default;
};

inline std::string suffix_labels(std::string_view name, size_t labels) {
  // The last `labels` labels of a normalised name.
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    size_t dot = name.find('.', start);
    parts.push_back(name.substr(start, dot == std::string_view::npos ? name.npos : dot - start));
    if (dot == std::string_view::npos)
      break;
    start = dot + 1;
  }
  std::string out;
  for (size_t i = parts.size() - std::min(labels, parts.size()); i < parts.size(); ++i) {
    if (!out.empty())
      out.push_back('.');
    out += parts[i];
  }
  return out;
}

inline std::vector<Resolved> lookup(const List& list, std::string_view name) {
  auto w = wire(name);
  std::array<Match, kMaxLabels> out;
  size_t n = list.lookup(w, out);
  std::vector<Resolved> result;
  for (size_t i = 0; i < n; ++i) {
    result.push_back({suffix_labels(name, out[i].labels), out[i].policy, out[i].scope,
                      list.metadata(out[i].metadata_id).to_owned()});
  }
  return result;
}

// The oracle: entries by name; a lookup tries every suffix of the query.
class Oracle {
 public:
  void add(const Entry& e) { entries_.insert_or_assign(e.name, e); }
  std::vector<Resolved> lookup(std::string_view name) const {
    std::vector<Resolved> out;
    std::string_view rest = name;
    for (;;) {
      auto it = entries_.find(std::string(rest));
      if (it != entries_.end() &&
          (rest.size() == name.size() || it->second.scope == Scope::subtree)) {
        out.push_back({it->second.name, it->second.policy, it->second.scope, it->second.meta});
      }
      size_t dot = rest.find('.');
      if (dot == std::string_view::npos)
        break;
      rest.remove_prefix(dot + 1);
    }
    return out;
  }
  const std::map<std::string, Entry>& entries() const { return entries_; }

 private:
  std::map<std::string, Entry> entries_;
};

// Random names over a tiny alphabet, so that names nest and share prefixes a lot.
inline std::string random_name(std::mt19937_64& rng, size_t max_labels = 4) {
  static const char* kLabels[] = {"a",   "b",       "ab",   "ba", "x-1",
                                  "com", "example", "shop", "aa", "z_"};
  std::uniform_int_distribution<size_t> count(1, max_labels);
  std::uniform_int_distribution<size_t> pick(0, std::size(kLabels) - 1);
  std::string name;
  for (size_t i = count(rng); i > 0; --i) {
    if (!name.empty())
      name.push_back('.');
    name += kLabels[pick(rng)];
  }
  return name;
}

}  // namespace pangea::trie::test
