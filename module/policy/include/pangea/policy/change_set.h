#pragma once
// The names whose decision may differ between two policy states, as a cheap
// filter for the glue's cache purge.
//
// A cached answer can only have gone stale if some entry covering its name was
// added, removed or changed (policy, scope, action, validity window), or if its
// name is covered by a client-scoped list (whose mixed outcome newly_blocked()
// always reports). A ChangeSet holds exactly those entries' names, taken from
// the lists themselves by walking them in key order, or from the change list a
// new list file carries against the loaded one; a cached name none of whose
// suffixes is in the set needs no policy lookup. The set is a superset: a name
// that passes the filter still gets the exact newly_blocked() check.
//
// Thread safety: immutable once built; may_affect() may be called from any
// thread, takes no lock, never allocates.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "pangea/policy/snapshot.h"

namespace pangea::policy {

class ChangeSet {
 public:
  // The names whose decision may differ between `old` and `now` (a file swap).
  // nullopt when no change set can stand in for the full predicate: the
  // configurations differ (an Unbound reload), or more than `max_names` names
  // qualify (then a full pass is as cheap). Only lists whose loaded version
  // differs are walked, plus the client-scoped lists. Throws
  // std::runtime_error if a list does not decode (as trie::List::for_each).
  static std::optional<ChangeSet> between(const Snapshot& old, const Snapshot& now,
                                          size_t max_names);

  // The names whose decision may differ in one snapshot between the seconds
  // `from` and `to` (from < to: validity windows opening or closing): entries
  // whose not_before is in (from, to] or whose not_after is in [from, to),
  // plus the client-scoped lists. nullopt over `max_names`.
  static std::optional<ChangeSet> over_time(const Snapshot& snapshot, int64_t from, int64_t to,
                                            size_t max_names);

  // How many list entries between() would walk for this pair (0 when it would
  // return nullopt at once): its cost, to set against deciding every cached
  // message. Walking an entry costs tens of nanoseconds, a decision microseconds.
  // A list that carries its changes against the loaded one (trie::ChangeList)
  // costs only those.
  static uint64_t walk_size(const Snapshot& old, const Snapshot& now);

  // False only when neither `wire_name` nor any of its ancestors is in the set;
  // then the decision for the name is the same in both states, and
  // newly_blocked() is false for it. One hash probe per label, no list lookup.
  // A malformed name gives true.
  bool may_affect(std::span<const uint8_t> wire_name) const noexcept;

  size_t size() const { return size_; }

  // The names themselves, as trie keys (reversed labels, each with its length
  // octet), for a caller that looks names up rather than filtering them. A name
  // added twice may be listed twice.
  std::vector<std::span<const uint8_t>> keys() const;

 private:
  ChangeSet() = default;
  class Builder;
  bool contains(uint64_t hash) const noexcept;

  // Open addressing over 64-bit hashes of the names' keys (reversed labels, as
  // trie::RawEntry::key); 0 marks an empty slot. A hash collision only costs an
  // exact check, so the keys themselves are not kept.
  std::vector<uint64_t> slots_;
  size_t size_ = 0;
  std::vector<uint8_t> key_octets_;  // the keys, concatenated
  std::vector<size_t> key_ends_;     // where each ends in key_octets_
};

}  // namespace pangea::policy
