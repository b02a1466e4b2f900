#include "pangea/policy/snapshot.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "pangea/policy/clock.h"

namespace pangea::policy {
namespace {

// A query name split into labels, plus a lower-case copy for the allowlist names.
struct QName {
  std::array<uint8_t, 255> lower{};
  size_t length = 0;                                // including the root label
  std::array<uint8_t, trie::kMaxLabels> offsets{};  // start of each label, first = leftmost
  size_t labels = 0;

  // The suffix made of the last `n` labels.
  size_t suffix_offset(size_t n) const { return n == 0 ? length - 1 : offsets[labels - n]; }
};

bool parse_qname(std::span<const uint8_t> wire, QName& q) noexcept {
  size_t pos = 0;
  while (true) {
    if (pos >= wire.size() || pos >= q.lower.size())
      return false;
    const uint8_t len = wire[pos];
    if (len == 0)
      break;
    if (len > 63 || q.labels + 1 >= trie::kMaxLabels)
      return false;
    q.offsets[q.labels++] = static_cast<uint8_t>(pos);
    if (pos + 1 + len >= q.lower.size() || pos + 1 + len >= wire.size())
      return false;
    q.lower[pos] = len;
    for (size_t i = pos + 1; i <= pos + len; ++i) {
      const uint8_t c = wire[i];
      q.lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<uint8_t>(c + ('a' - 'A')) : c;
    }
    pos += 1 + len;
  }
  q.lower[pos] = 0;
  q.length = pos + 1;
  return q.length == wire.size();
}

bool active(const trie::MetadataView& meta, int64_t now) {
  return (!meta.not_before || now >= *meta.not_before) &&
         (!meta.not_after || now <= *meta.not_after);
}

bool intercepting(Action action) {
  return action != Action::passthru && action != Action::log_only;
}

}  // namespace

struct Snapshot::Candidate {
  bool valid = false;
  uint16_t labels = 0;
  bool allow_like = false;
  size_t order = 0;  // allowlist names, then allowlist files, then lists
  Source source = Source::none;
  size_t index = 0;
  trie::Match match;
  trie::MetadataView meta;
  trie::Policy policy = trie::Policy::allow;
  Action action = Action::passthru;
  bool fell_back = false;

  // Strictly better than `other` under the precedence rules (see decide()).
  bool beats(const Candidate& other) const {
    if (!valid)
      return false;
    if (!other.valid)
      return true;
    if (labels != other.labels)
      return labels > other.labels;
    if (allow_like != other.allow_like)
      return allow_like;
    return order < other.order;
  }
};

struct Snapshot::Outcomes {
  Candidate best;           // the winner for the given client (or for one outside every scope)
  Candidate best_unscoped;  // the winner among lists that apply to everyone
  bool client_dependent = false;
  bool some_intercept = false;  // some client gets an intercepted answer
  bool all_intercept = false;   // every client does
};

namespace {

bool applies(const ClientScope& scope, const Client& client, const GeoIp* geoip) noexcept {
  const Address& address = client.address();
  if (!scope.networks.empty() &&
      std::none_of(scope.networks.begin(), scope.networks.end(),
                   [&](const Network& n) { return n.contains(address); })) {
    return false;
  }
  if (std::any_of(scope.exclude.begin(), scope.exclude.end(),
                  [&](const Network& n) { return n.contains(address); })) {
    return false;
  }
  if (!scope.countries.empty()) {
    const CountryCode country = client.country(geoip);
    if (country == kUnknownCountry)
      return scope.unknown_country == UnknownCountry::apply;
    return std::find(scope.countries.begin(), scope.countries.end(), country) !=
           scope.countries.end();
  }
  return true;
}

}  // namespace

Snapshot::Snapshot(std::shared_ptr<const Config> config, std::vector<LoadedList> lists,
                   std::vector<LoadedList> allow_files, std::shared_ptr<const GeoIp> geoip,
                   uint64_t generation)
    : config_(std::move(config)),
      lists_(std::move(lists)),
      allow_files_(std::move(allow_files)),
      geoip_(std::move(geoip)),
      generation_(generation) {
  if (!config_)
    throw std::invalid_argument("Snapshot: no configuration");
  if (lists_.size() != config_->lists.size() ||
      allow_files_.size() != config_->allowlist.files.size()) {
    throw std::invalid_argument("Snapshot: the loaded lists do not match the configuration");
  }
  for (size_t i = 0; i < config_->lists.size(); ++i) {
    const ClientScope& scope = config_->lists[i].clients;
    if (!scope.countries.empty() && !geoip_) {
      throw std::invalid_argument("Snapshot: list '" + config_->lists[i].name +
                                  "' scopes by country but no GeoIP database is loaded");
    }
    (scope.restricted() ? scoped_ : unscoped_).push_back(i);
  }
  // Metadata records are few (deduplicated) and indexed densely, so collecting the
  // window bounds here is cheap next to opening the lists.
  for (const auto* loaded_lists : {&lists_, &allow_files_}) {
    for (const LoadedList& loaded : *loaded_lists) {
      if (!loaded.list)
        continue;
      const uint64_t count = loaded.list->info().metadata_count;
      for (uint64_t id = 0; id < count && id <= UINT32_MAX; ++id) {
        const trie::MetadataView meta = loaded.list->metadata(static_cast<uint32_t>(id));
        if (meta.not_before)
          transitions_.push_back(*meta.not_before);
        if (meta.not_after && *meta.not_after < INT64_MAX)
          transitions_.push_back(*meta.not_after + 1);
      }
    }
  }
  std::sort(transitions_.begin(), transitions_.end());
  transitions_.erase(std::unique(transitions_.begin(), transitions_.end()), transitions_.end());
}

std::optional<int64_t> Snapshot::next_transition(int64_t now) const noexcept {
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), now);
  if (it == transitions_.end())
    return std::nullopt;
  return *it;
}

Snapshot::Outcomes Snapshot::outcomes(std::span<const uint8_t> wire, int64_t now,
                                      const Client* client, Decision* decision) const {
  Outcomes out;
  QName q;
  if (!parse_qname(wire, q))
    return out;
  std::array<trie::Match, trie::kMaxLabels> matches;

  // Allowlist names: the most specific suffix of the query name that is listed.
  const auto& names = config_->allowlist.names_wire;
  for (size_t n = q.labels; n >= 1 && !names.empty(); --n) {
    const size_t offset = q.suffix_offset(n);
    const std::span<const uint8_t> suffix(q.lower.data() + offset, q.length - offset);
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i].size() == suffix.size() &&
          std::memcmp(names[i].data(), suffix.data(), suffix.size()) == 0) {
        Candidate& c = out.best_unscoped;
        c.valid = true;
        c.labels = static_cast<uint16_t>(n);
        c.allow_like = true;
        c.order = 0;
        c.source = Source::allow_name;
        c.index = i;
        break;
      }
    }
    if (out.best_unscoped.valid)
      break;
  }

  // The first entry of a list that is active at `now`: lookup() returns the most
  // specific first, so a window that is closed lets a less specific entry win.
  auto candidate = [&](const LoadedList& loaded, const ListConfig& cfg, Source source, size_t index,
                       size_t order) {
    Candidate c;
    if (!loaded.list)
      return c;
    const size_t n = loaded.list->lookup(wire, matches);
    for (size_t i = 0; i < n && i < matches.size(); ++i) {
      const trie::Match& m = matches[i];
      trie::MetadataView meta = loaded.list->metadata(m.metadata_id);
      if (!active(meta, now) || m.labels > q.labels)
        continue;
      c.valid = true;
      c.labels = m.labels;
      c.order = order;
      c.source = source;
      c.index = index;
      c.match = m;
      c.meta = meta;
      c.policy = m.policy;
      if (cfg.allowlist || m.policy == trie::Policy::allow) {
        c.policy = trie::Policy::allow;
        c.action = Action::passthru;
      } else {
        c.action = meta.action != Action::list_default ? meta.action : cfg.action;
        if ((c.action == Action::redirect && cfg.redirect.empty()) ||
            (c.action == Action::cname && cfg.cname_wire.empty())) {
          c.action = Action::nxdomain;
          c.fell_back = true;
        }
      }
      c.allow_like = c.action == Action::passthru;
      break;
    }
    return c;
  };

  const auto& allow_configs = config_->allowlist.files;
  for (size_t i = 0; i < allow_files_.size(); ++i) {
    Candidate c = candidate(allow_files_[i], allow_configs[i], Source::allow_file, i, 1 + i);
    if (c.beats(out.best_unscoped))
      out.best_unscoped = c;
  }
  const size_t list_order = 1 + allow_files_.size();
  for (size_t i : unscoped_) {
    Candidate c = candidate(lists_[i], config_->lists[i], Source::list, i, list_order + i);
    if (c.beats(out.best_unscoped))
      out.best_unscoped = c;
  }

  // A client-scoped list matters only when its entry would beat what applies to
  // everyone; then the outcome depends on the client.
  out.best = out.best_unscoped;
  out.some_intercept = out.best_unscoped.valid && intercepting(out.best_unscoped.action);
  out.all_intercept = out.some_intercept;
  for (size_t i : scoped_) {
    const ListConfig& cfg = config_->lists[i];
    Candidate c = candidate(lists_[i], cfg, Source::list, i, list_order + i);
    if (!c.beats(out.best_unscoped))
      continue;
    out.client_dependent = true;
    out.some_intercept = out.some_intercept || intercepting(c.action);
    out.all_intercept = out.all_intercept && intercepting(c.action);
    if (client != nullptr && c.beats(out.best) && applies(cfg.clients, *client, geoip_.get())) {
      out.best = c;
    }
  }

  if (decision != nullptr && out.best.valid) {
    const Candidate& best = out.best;
    Decision& d = *decision;
    d.source = best.source;
    d.action = best.action;
    d.policy = best.policy;
    d.list_index = best.index;
    if (best.source == Source::list)
      d.list = &config_->lists[best.index];
    if (best.source == Source::allow_file)
      d.list = &config_->allowlist.files[best.index];
    d.match = best.match;
    d.meta = best.meta;
    d.labels = best.labels;
    d.entry = wire.subspan(q.suffix_offset(best.labels));
    d.fell_back = best.fell_back;
  }
  if (decision != nullptr)
    decision->client_dependent = out.client_dependent;
  return out;
}

Decision Snapshot::decide(std::span<const uint8_t> wire_qname, uint16_t qtype, const Client& client,
                          int64_t now) const noexcept {
  Decision decision;
  decision.qtype = qtype;
  try {
    outcomes(wire_qname, now, &client, &decision);
  } catch (...) {
    // Soft assertion: the trie reader does not throw on lookups; if it ever does,
    // report instead of taking the resolver down.
    decision = Decision{};
    decision.qtype = qtype;
    decision.failed = true;
  }
  return decision;
}

bool Snapshot::may_intercept(std::span<const uint8_t> wire_qname, int64_t now) const noexcept {
  try {
    return outcomes(wire_qname, now, nullptr, nullptr).some_intercept;
  } catch (...) {
    return true;  // purging a cache entry for nothing is harmless
  }
}

bool Snapshot::always_intercepts(std::span<const uint8_t> wire_qname, int64_t now) const noexcept {
  try {
    return outcomes(wire_qname, now, nullptr, nullptr).all_intercept;
  } catch (...) {
    return false;
  }
}

std::string Snapshot::describe_list(size_t index) const {
  const bool allow = index >= lists_.size();
  const size_t i = allow ? index - lists_.size() : index;
  const ListConfig& cfg = allow ? config_->allowlist.files.at(i) : config_->lists.at(i);
  const LoadedList& loaded = allow ? allow_files_.at(i) : lists_.at(i);
  if (!loaded.list)
    return cfg.name + ": not loaded (" + cfg.file + ")";
  const trie::ListInfo& info = loaded.list->info();
  return cfg.name + ": serial " + std::to_string(info.serial) + ", built " +
         format_utc(info.build_time) + ", " + std::to_string(info.entry_count) + " entries, " +
         (info.signed_embedded ? "signed" : "unsigned") + ", loaded " +
         format_utc(loaded.load_time) + " from " + cfg.file;
}

std::string_view to_string(Source source) {
  switch (source) {
    case Source::none:
      return "none";
    case Source::list:
      return "list";
    case Source::allow_name:
      return "allowlist-name";
    case Source::allow_file:
      return "allowlist-file";
  }
  return "unknown";
}

FileIdentity FileIdentity::of(const std::string& path) noexcept {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return {};
  FileIdentity id;
  id.exists = true;
  id.device = static_cast<uint64_t>(st.st_dev);
  id.inode = static_cast<uint64_t>(st.st_ino);
  id.size = static_cast<uint64_t>(st.st_size);
  id.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return id;
}

bool newly_blocked(const Snapshot& old, const Snapshot& now, std::span<const uint8_t> wire_qname,
                   int64_t at) noexcept {
  return newly_blocked(old, at, now, at, wire_qname);
}

bool newly_blocked(const Snapshot& old, int64_t old_at, const Snapshot& now, int64_t now_at,
                   std::span<const uint8_t> wire_qname) noexcept {
  return now.may_intercept(wire_qname, now_at) && !old.always_intercepts(wire_qname, old_at);
}

namespace {

// `before`: old's decision, the same for every client and intercepting.
bool decided_differently(const Decision& before, const Snapshot& old, const Snapshot& now,
                         int64_t now_at, std::span<const uint8_t> wire_qname) noexcept {
  const Decision after = now.decide(wire_qname, 0, Client(), now_at);
  return after.failed || after.client_dependent || after.source != before.source ||
         after.list_index != before.list_index || after.action != before.action ||
         after.labels != before.labels || &old.config() != &now.config();
}

bool cached_as_blocked(const Decision& before) {
  return !before.client_dependent && before.intercepts();
}

}  // namespace

bool decision_changed(const Snapshot& old, int64_t old_at, const Snapshot& now, int64_t now_at,
                      std::span<const uint8_t> wire_qname) noexcept {
  const Decision before = old.decide(wire_qname, 0, Client(), old_at);
  if (before.failed)
    return true;
  if (!cached_as_blocked(before))
    return false;  // never cached as a blocked answer
  return decided_differently(before, old, now, now_at, wire_qname);
}

bool stored_answer_stale(const Snapshot& old, int64_t old_at, const Snapshot& now, int64_t now_at,
                         std::span<const uint8_t> wire_qname) noexcept {
  const Decision before = old.decide(wire_qname, 0, Client(), old_at);
  if (before.failed)
    return true;
  // Blocked the same way for everyone before, so not newly blocked now.
  if (cached_as_blocked(before))
    return decided_differently(before, old, now, now_at, wire_qname);
  return newly_blocked(old, old_at, now, now_at, wire_qname);
}

}  // namespace pangea::policy
