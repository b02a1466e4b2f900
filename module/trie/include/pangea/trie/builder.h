#pragma once
// Builds a compiled list (the on-disk format of docs/format.md) from entries.
// Not thread-safe; one Builder per compilation.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "pangea/trie/entry.h"

namespace pangea::trie {

class List;

inline constexpr size_t kMaxBlockSize = 4096;  // largest BuildOptions::block_size

struct BuildOptions {
  std::string generator;                    // e.g. "pangea 0.1.0"
  int64_t build_time = 0;                   // UTC seconds; written to the header
  uint64_t serial = 0;                      // monotonic list serial (0: use build_time)
  std::array<uint8_t, 32> source_digest{};  // SHA-256 over the inputs, computed by the caller
  // Entries per block (1..kMaxBlockSize): larger blocks give a smaller file and slower
  // lookups (a lookup decodes about half a block). The default keeps files no
  // larger than MARISA-trie's on the lists we measured. See docs/format.md and
  // bench/format/README.md.
  size_t block_size = 18;
  // Most tokens (label octet strings coded as one symbol) to learn, 1..4096; see
  // docs/format.md "Tokens".
  size_t max_tokens = 2048;
  // Keep entries made redundant by a subtree ancestor (see finish()); for exports
  // and benchmarks that want every name stored. They still count in `redundant`.
  bool keep_redundant = false;
  // The list this one replaces. When set, the file also records the entries
  // changed against it (the changes section, docs/format.md "Changes"), so that
  // a reader that has `previous` loaded need not diff the two lists; not
  // recorded when more than `max_changes` entries changed (the module's purge
  // gives up on a change set past 2^18 names anyway).
  const List* previous = nullptr;
  size_t max_changes = size_t{1} << 18;
};

struct BuildStats {
  uint64_t added = 0;       // add() calls
  uint64_t kept = 0;        // entries written
  uint64_t duplicates = 0;  // same name, policy, scope and metadata as an earlier entry
  uint64_t conflicts = 0;   // same name, different policy/scope/metadata: resolved, see add()
  uint64_t redundant = 0;   // covered by a subtree ancestor with the same policy and metadata
  uint64_t metadata_records = 0;
  uint64_t file_bytes = 0;
  // With BuildOptions::previous: entries added, removed or changed against it,
  // and whether the file records them (false past max_changes).
  uint64_t changes = 0;
  bool changes_recorded = false;
};

class Builder {
 public:
  Builder();
  ~Builder();
  Builder(const Builder&) = delete;
  Builder& operator=(const Builder&) = delete;

  // Adds one entry. The name must be normalised (see Entry::name); throws
  // std::invalid_argument otherwise. When a name is added twice the entries are
  // resolved at finish(): allow beats block, then subtree beats exact, then the
  // first added wins; each loser counts as a duplicate or a conflict.
  void add(Entry entry);

  // Call once. Resolves duplicates, drops redundant entries (those whose nearest subtree
  // ancestor has the same policy and metadata: the ancestor already answers for
  // them) and serialises the whole file. Throws std::invalid_argument for bad
  // options, std::length_error past the format's limits.
  std::vector<uint8_t> finish(const BuildOptions& options);

  const BuildStats& stats() const { return stats_; }

 private:
  struct Impl;
  Impl* impl_;
  BuildStats stats_;
};

}  // namespace pangea::trie
