#pragma once
// Differences between two sets of entries (`pangea diff`), keyed by name.

#include <string>
#include <vector>

#include "pangea/trie/entry.h"

namespace pangea::tools {

struct EntryChange {
  enum class Kind { added, removed, changed } kind = Kind::added;
  std::string name;
  trie::Entry before;  // removed, changed
  trie::Entry after;   // added, changed
};

// Changes from `old_entries` to `new_entries`, sorted by name. Names are unique
// within each input (a compiled list holds one entry per name).
std::vector<EntryChange> diff_entries(const std::vector<trie::Entry>& old_entries,
                                      const std::vector<trie::Entry>& new_entries);

// "policy block -> allow; not_after 2026-12-31T23:59:59Z -> (none)": the fields that differ.
std::string describe_change(const trie::Entry& before, const trie::Entry& after);

// "block subtree", plus the non-empty metadata: "block subtree list=x agency=y ...".
std::string describe_entry(const trie::Entry& entry);

}  // namespace pangea::tools
