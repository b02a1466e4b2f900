#pragma once
// What a compiled list says about one name: the unit the compiler adds and the
// reader returns. Pure data, no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pangea::trie {

// Whether a matching query is blocked or exempted (allow entries are exceptions).
enum class Policy : uint8_t { block = 0, allow = 1 };

// A subtree entry covers the name and every name under it (the default, like a
// regulator's "block this domain"); an exact entry covers the name only.
enum class Scope : uint8_t { subtree = 0, exact = 1 };

// The response mandated for a match. `list_default` defers to the list's action in
// the resolver configuration; any other value is an entry-level override.
enum class Action : uint8_t {
  list_default = 0,
  nxdomain = 1,
  nodata = 2,
  redirect = 3,
  cname = 4,
  refuse = 5,
  drop = 6,
  passthru = 7,
  log_only = 8,
};

std::string_view to_string(Policy policy);
std::string_view to_string(Scope scope);
std::string_view to_string(Action action);  // "nxdomain", ..., "log-only", "list-default"
std::optional<Policy> policy_from_string(std::string_view text);
std::optional<Scope> scope_from_string(std::string_view text);
std::optional<Action> action_from_string(std::string_view text);  // accepts "log-only"/"log_only"

// Referral metadata, deduplicated in the file: identical records are stored once.
// Times are absolute UTC, seconds since the Unix epoch.
struct Metadata {
  std::string list;         // list name, e.g. "fr-customs-2026-11"
  std::string category;     // e.g. "illegal-pharmacy"
  std::string agency;       // referring agency, e.g. "DNRED Cyberdouane"
  std::string referral;     // the agency's referral reference
  std::string legal_basis;  // e.g. "Code de la santé publique L.5125-34"
  std::optional<int64_t> referral_date;
  std::optional<int64_t> not_before;  // entry inactive before this second
  std::optional<int64_t> not_after;   // entry inactive after this second
  Action action = Action::list_default;

  bool operator==(const Metadata&) const = default;
};

// One list entry as the compiler produces it.
struct Entry {
  // Normalised presentation form: lowercase, A-labels, no trailing dot, labels of
  // [a-z0-9_-] only, e.g. "cheap-pills.example". The root is not a valid entry.
  std::string name;
  Policy policy = Policy::block;
  Scope scope = Scope::subtree;
  Metadata meta;

  bool operator==(const Entry&) const = default;
};

// True when `meta` is active at `now` (not_before <= now <= not_after, each bound optional).
inline bool is_active(const Metadata& meta, int64_t now) {
  return (!meta.not_before || now >= *meta.not_before) &&
         (!meta.not_after || now <= *meta.not_after);
}

}  // namespace pangea::trie
