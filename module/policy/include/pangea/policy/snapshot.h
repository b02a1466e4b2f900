#pragma once
// One immutable generation of the policy: the configuration plus the opened and
// verified lists, and the decision procedure over them.
//
// Thread safety: a Snapshot is never modified after construction, so decide()
// and every accessor may be called from any number of threads without locks.
// Share it as std::shared_ptr<const Snapshot>; views in a Decision (metadata,
// ListConfig pointer) live as long as the Snapshot, and `entry` lives as long as
// the caller's query name buffer.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "pangea/policy/config.h"
#include "pangea/policy/geoip.h"
#include "pangea/policy/network.h"
#include "pangea/trie/list.h"

namespace pangea::policy {

// What identifies a file version on disk; a change means "replaced or modified".
struct FileIdentity {
  bool exists = false;
  uint64_t device = 0;
  uint64_t inode = 0;
  uint64_t size = 0;
  int64_t mtime_ns = 0;

  static FileIdentity of(const std::string& path) noexcept;  // exists=false when stat fails
  bool operator==(const FileIdentity&) const = default;
};

// One list as loaded into a snapshot. `list` is null when an optional list
// (required: false) could not be loaded; it then matches nothing.
struct LoadedList {
  std::shared_ptr<const trie::List> list;
  FileIdentity identity;  // of the file the list was read from
  int64_t load_time = 0;  // UTC seconds (real clock) when it was opened and verified

  bool loaded() const { return list != nullptr; }
};

// Where the winning entry came from.
enum class Source : uint8_t {
  none = 0,        // nothing matched: resolve normally
  list = 1,        // an entry of Config::lists[list_index]
  allow_name = 2,  // Config::allowlist.names[list_index]
  allow_file = 3,  // an entry of Config::allowlist.files[list_index]
};
std::string_view to_string(Source source);

struct Decision {
  Source source = Source::none;
  // Effective action: the entry's override, else its list's action. Allow entries,
  // allowlists and "no match" give passthru.
  Action action = Action::passthru;
  trie::Policy policy = trie::Policy::allow;
  size_t list_index = 0;             // see Source
  const ListConfig* list = nullptr;  // the matching list or allowlist file (null otherwise)
  trie::Match match;                 // as returned by trie::List::lookup
  trie::MetadataView meta;           // the entry's metadata (empty for allow_name)
  uint16_t labels = 0;               // labels of the matched entry's name
  std::span<const uint8_t> entry;    // the matched entry's name: a suffix of the query name
  uint16_t qtype = 0;
  // The outcome would differ for some other client (a client-scoped list took
  // part): the glue must not cache the answer nor share it between clients.
  bool client_dependent = false;
  // An action the list cannot carry out (redirect without addresses, cname without
  // a target) was replaced by nxdomain.
  bool fell_back = false;
  // decide() failed internally (a soft assertion); the glue decides what to do.
  bool failed = false;

  bool matched() const { return source != Source::none; }
  // The answer is synthesised or refused (anything but passthru / log-only).
  bool intercepts() const { return action != Action::passthru && action != Action::log_only; }
  // A block entry matched (including log-only): report it in the hit log.
  bool is_hit() const {
    return matched() && policy == trie::Policy::block && action != Action::passthru;
  }
};

class Snapshot {
 public:
  // `lists` and `allow_files` parallel config->lists and config->allowlist.files;
  // `geoip` must be set when a list scopes by country. Throws std::invalid_argument
  // when they do not fit the configuration.
  Snapshot(std::shared_ptr<const Config> config, std::vector<LoadedList> lists,
           std::vector<LoadedList> allow_files, std::shared_ptr<const GeoIp> geoip,
           uint64_t generation);

  // Decides a query. `wire_qname`: the query name in wire format (any case);
  // `now`: UTC seconds, normally now(). Never allocates, never throws, takes no
  // lock. A malformed name matches nothing.
  //
  // Precedence: of all entries matching the name in every list and allowlist
  // that applies to the client, ignoring entries outside their validity window
  // at `now`, the most specific one (most labels) wins; on a tie an allow-like
  // entry (allow policy, allowlist, or effective action passthru) beats a block;
  // then allowlist names, then allowlist files, then lists in configuration order.
  Decision decide(std::span<const uint8_t> wire_qname, uint16_t qtype, const Client& client,
                  int64_t now) const noexcept;

  // For cache purges (client-independent): may_intercept() is true when some client
  // may get an intercepted answer for the name (anything but passthru / log-only),
  // always_intercepts() when every client does. Conservative: a client-scoped list
  // is assumed to apply to some client and not to others.
  bool may_intercept(std::span<const uint8_t> wire_qname, int64_t now) const noexcept;
  bool always_intercepts(std::span<const uint8_t> wire_qname, int64_t now) const noexcept;

  // The first second after `now` at which some entry's validity window opens or
  // closes (not_before, or not_after + 1), across every loaded list; nullopt when
  // none. Decisions can change then without a swap: when that second passes, the
  // glue purges its cache with newly_blocked(*this, at - 1, *this, at, name).
  std::optional<int64_t> next_transition(int64_t now) const noexcept;

  int64_t now() const noexcept { return config_->clock.now(); }
  const Config& config() const { return *config_; }
  const std::shared_ptr<const Config>& config_ptr() const { return config_; }
  const std::vector<LoadedList>& lists() const { return lists_; }
  const std::vector<LoadedList>& allow_files() const { return allow_files_; }
  const std::shared_ptr<const GeoIp>& geoip() const { return geoip_; }
  uint64_t generation() const { return generation_; }  // 1 at start, +1 per swap

  // For logs: "fr-customs: serial 42, built 2026-11-29T20:00:00Z, 1234 entries,
  // signed, loaded 2026-11-29T20:01:02Z from /var/lib/pangea/fr-customs.pbl", or
  // "fr-customs: not loaded (/var/lib/pangea/fr-customs.pbl)". `index` counts the
  // lists, then the allowlist files.
  std::string describe_list(size_t index) const;

 private:
  struct Candidate;
  struct Outcomes;
  Outcomes outcomes(std::span<const uint8_t> wire_qname, int64_t now, const Client* client,
                    Decision* decision) const;

  std::shared_ptr<const Config> config_;
  std::vector<LoadedList> lists_;
  std::vector<LoadedList> allow_files_;
  std::shared_ptr<const GeoIp> geoip_;
  uint64_t generation_ = 0;
  std::vector<size_t> unscoped_;      // indices of lists without a client scope
  std::vector<size_t> scoped_;        // and with one
  std::vector<int64_t> transitions_;  // sorted, unique; see next_transition()
};

// For the glue's cache purge after a swap (client-independent): true when `now`
// may intercept the name for some client while `old` did not intercept it for
// every client, i.e. a cached answer for it may now be wrong. False positives
// only cost a cache miss.
bool newly_blocked(const Snapshot& old, const Snapshot& now, std::span<const uint8_t> wire_qname,
                   int64_t at) noexcept;

// The same across a time step as well: `old` decided at `old_at`, `now` at `now_at`
// (they may be the same snapshot, see Snapshot::next_transition()).
bool newly_blocked(const Snapshot& old, int64_t old_at, const Snapshot& now, int64_t now_at,
                   std::span<const uint8_t> wire_qname) noexcept;

// For the glue's purge of its own cached blocked answers (see
// CacheConfig::blocked_answers), the converse of newly_blocked(): true when `old`
// (at `old_at`) intercepted the name the same way for every client, so an answer
// for it may be cached, and `now` (at `now_at`) decides it differently for some
// client: not at all, by another entry, list or action, or depending on the
// client. The decision is compared, not the list's serial or metadata (the
// glue renders the EDE text at each cache hit). False positives only cost a
// cache miss.
bool decision_changed(const Snapshot& old, int64_t old_at, const Snapshot& now, int64_t now_at,
                      std::span<const uint8_t> wire_qname) noexcept;

// For a cached message that is one of the glue's blocked answers: true when it
// must go, newly_blocked() || decision_changed(), in two decisions where the
// name is blocked the same way for every client (the case of every stored
// answer) instead of four.
bool stored_answer_stale(const Snapshot& old, int64_t old_at, const Snapshot& now, int64_t now_at,
                         std::span<const uint8_t> wire_qname) noexcept;

}  // namespace pangea::policy
