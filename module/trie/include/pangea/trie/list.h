#pragma once
// Read-only view of a compiled list, queried in place from a read-only mapping.
//
// Thread safety: a List is immutable after open(); lookups from any number of
// threads are safe without locks. Views (string_view, spans) returned by a List
// live as long as the List.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pangea/trie/entry.h"

namespace pangea::trie {

inline constexpr size_t kMaxLabels = 128;  // a 255-octet wire name has at most 127 labels

// Header fields, as read from a verified file.
struct ListInfo {
  uint32_t format_version = 0;
  uint64_t entry_count = 0;
  uint64_t metadata_count = 0;
  uint64_t serial = 0;
  int64_t build_time = 0;
  std::array<uint8_t, 32> source_digest{};
  std::string generator;
  uint64_t file_bytes = 0;
  uint32_t block_size = 0;  // entries per block: the builder's size/speed trade-off
  // Every section of the file, in file order, with its size (for `inspect`).
  struct Section {
    std::string name;  // "strings", "blocks", ...; "#<id>" for a section this reader does not know
    uint64_t bytes = 0;
  };
  std::vector<Section> sections;
  // Identifies the list's contents (entries, metadata and coding, not serial,
  // build time or signature): what a change list names as its previous list.
  uint64_t content_id = 0;
  bool signed_embedded = false;  // an Ed25519 signature is embedded
  // First 8 bytes of SHA-256 of the signer's raw public key (zero when unsigned).
  std::array<uint8_t, 8> signer_key_id{};
};

// Metadata as stored in the file; string views point into the mapping.
struct MetadataView {
  std::string_view list, category, agency, referral, legal_basis;
  std::optional<int64_t> referral_date, not_before, not_after;
  Action action = Action::list_default;

  Metadata to_owned() const;
};

// One entry matching a query name: the query name itself, or an ancestor with
// subtree scope. `labels` is the number of labels of the matched entry's name,
// so the entry name is the last `labels` labels of the query name.
struct Match {
  uint32_t metadata_id = 0;
  uint16_t labels = 0;
  Policy policy = Policy::block;
  Scope scope = Scope::subtree;
};

// One entry as stored, without copies (for walking two lists side by side).
struct RawEntry {
  // The entry's sort key: its labels in reverse order (root side first), each
  // preceded by its length octet, lowercase: "shop.example" -> "\7example\4shop".
  // An entry covers a name exactly when its key is a prefix of the name's key
  // ending on a label boundary. Valid until the cursor moves.
  std::span<const uint8_t> key;
  uint32_t metadata_id = 0;  // for List::metadata()
  Policy policy = Policy::block;
  Scope scope = Scope::subtree;
};

// A position in a list's entries, which come in strictly increasing key order
// (bytewise, a key before any longer key it prefixes). Not thread-safe; lives
// no longer than its List.
class EntryCursor {
 public:
  virtual ~EntryCursor() = default;
  // Moves to the next entry and returns true, or returns false at the end.
  // Throws std::runtime_error if a block does not decode (see for_each).
  virtual bool next(RawEntry& entry) = 0;
};

// The entries a list changed against an earlier one, as its compiler recorded
// them (`pangea compile --previous`; docs/format.md "Changes"): the keys of the
// entries added, removed, or changed in policy, scope or metadata, in key order.
// A reader that has the list with content id `previous_id` loaded can take
// these instead of diffing the two lists.
struct ChangeList {
  uint64_t previous_id = 0;
  uint64_t previous_serial = 0;
  std::vector<std::span<const uint8_t>> keys;  // into the list's mapping
};

struct OpenOptions {
  // Raw 32-byte Ed25519 public keys. When non-empty, the file must carry an
  // embedded signature made by one of them.
  std::vector<std::array<uint8_t, 32>> trusted_keys;
};

class List {
 public:
  virtual ~List() = default;

  // Maps `path` read-only and runs the full verification (checksums over every
  // section, structural checks, signature when keys are pinned). Returns null and
  // sets `error` to a one-line reason ("truncated: section 'keys' ends at byte
  // 9120 past end of file 8000") on any failure. Never reads out of bounds.
  // The file must be replaced by rename, never rewritten in place: truncating a
  // mapped file can fault the reader (SIGBUS). A signed file opened without
  // trusted keys is accepted without checking the signature.
  static std::shared_ptr<const List> open(const std::string& path, const OpenOptions& options,
                                          std::string& error);
  // Same, over bytes already in memory (tests, fuzzing); the List keeps a copy.
  static std::shared_ptr<const List> from_bytes(std::vector<uint8_t> bytes,
                                                const OpenOptions& options, std::string& error);

  virtual const ListInfo& info() const = 0;

  // Every entry that matches `wire_name` (DNS wire format: length-prefixed labels
  // ending with the root label; compared case-insensitively for ASCII), most
  // specific first, written to `out`; returns how many were written. Never
  // allocates; a malformed wire name matches nothing.
  virtual size_t lookup(std::span<const uint8_t> wire_name,
                        std::span<Match> out) const noexcept = 0;

  virtual MetadataView metadata(uint32_t metadata_id) const = 0;

  // Visits every entry in the file's order (enumeration for export and diff).
  // Throws std::runtime_error if a block does not decode, which only a file
  // crafted with valid checksums can cause.
  virtual void for_each(const std::function<void(const Entry&)>& visit) const = 0;

  // The entries in key order, one at a time and without allocating per entry:
  // what for_each decodes, before names and metadata are materialised. Merging
  // two cursors diffs two lists in one pass.
  virtual std::unique_ptr<EntryCursor> entries() const = 0;

  // The change list, when the file carries one (verified at open).
  virtual const std::optional<ChangeList>& changes() const = 0;
};

}  // namespace pangea::trie
