#pragma once
// The Pangea configuration file (YAML; every key is documented in
// docs/configuration.md) and the environment variables that modify it.
//
// Parsing is strict: an unknown key, a value of the wrong type or out of range, an
// unparsable address, a missing key file... each throws ConfigError whose what() is
// "file:line:col: error: <where>: found <what>, expected <what>". Nothing falls
// back to a default silently; the defaults that exist are documented.
//
// A Config is a plain value, immutable once parsed; the Engine shares it between
// threads through a std::shared_ptr<const Config>.

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "pangea/policy/clock.h"
#include "pangea/policy/network.h"
#include "pangea/trie/entry.h"

namespace pangea::policy {

// The response for a matching query. `list_default` never appears in a parsed
// configuration; it is only the "no override" value of entry metadata.
using trie::Action;

inline constexpr std::string_view kDefaultConfigPath = "/etc/unbound/pangea.yaml";

// A place in a configuration file; line and column are 1-based (0: unknown).
struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;

  std::string to_string() const;  // "pangea.yaml:12:7", or just the file when line is 0
};

class ConfigError : public std::runtime_error {
 public:
  ConfigError(const SourcePos& pos, const std::string& message);
  const SourcePos& pos() const { return pos_; }
  const std::string& message() const { return message_; }  // without the position

 private:
  SourcePos pos_;
  std::string message_;
};

// RFC 8914 Extended DNS Error info codes the configuration can name.
enum class EdeCode : uint16_t { blocked = 15, censored = 16, filtered = 17, prohibited = 18 };
std::string_view to_string(EdeCode code);  // "blocked", ...
std::optional<EdeCode> ede_code_from_string(std::string_view text);

struct EdeConfig {
  std::optional<uint16_t> code;  // nullopt: no EDE option in the answer ("none")
  std::string text;              // template, see ede.h; may be empty
};

enum class UnknownCountry : uint8_t { apply = 0, skip = 1 };
std::string_view to_string(UnknownCountry value);
std::optional<UnknownCountry> unknown_country_from_string(std::string_view text);

// Which clients a list applies to. Every given criterion must hold: the address
// is in one of `networks` (when any), in none of `exclude`, and its country is
// one of `countries` (when any; an unknown country counts as a member when
// unknown_country is apply). A client without an address (internal queries)
// matches no network and has an unknown country.
struct ClientScope {
  std::vector<Network> networks;
  std::vector<Network> exclude;
  std::vector<CountryCode> countries;
  UnknownCountry unknown_country = UnknownCountry::apply;

  // False when the list applies to every client: then its decisions do not
  // depend on the client.
  bool restricted() const { return !networks.empty() || !exclude.empty() || !countries.empty(); }
};

struct RedirectTargets {
  std::vector<std::array<uint8_t, 4>> a;
  std::vector<std::array<uint8_t, 16>> aaaa;
  bool empty() const { return a.empty() && aaaa.empty(); }
};

// One compiled list and how to enforce it (or one allowlist file, see
// AllowlistConfig: then `allowlist` is true and every match is an exemption).
struct ListConfig {
  std::string name;  // unique; used in logs, stats and the {list} placeholder
  std::string file;  // absolute, or resolved against the configuration's directory
  Action action = Action::nxdomain;
  RedirectTargets redirect;         // for action redirect (and entry overrides)
  std::string cname;                // absolute presentation form with trailing dot, or ""
  std::vector<uint8_t> cname_wire;  // the same in wire form
  uint32_t ttl = 300;               // TTL of synthesised records and of the SOA
  EdeConfig ede;
  bool required = true;
  std::vector<std::string> key_files;
  std::vector<std::array<uint8_t, 32>> keys;  // raw Ed25519 public keys from key_files
  uint64_t min_serial = 0;
  bool refuse_older_serial = true;
  ClientScope clients;
  bool allowlist = false;
  SourcePos pos;       // the list's definition
  SourcePos file_pos;  // its `file:` value (or the PANGEA_LISTS variable)
};

struct AllowlistConfig {
  std::vector<std::string> names;                // normalised, no trailing dot
  std::vector<std::vector<uint8_t>> names_wire;  // lower-case wire form, same order
  std::vector<ListConfig> files;                 // allowlist = true, action passthru
};

struct SoaConfig {
  std::string mname = "pangea.invalid.";
  std::string rname = "hostmaster.pangea.invalid.";
  std::vector<uint8_t> mname_wire;  // filled by the parser, also for the defaults
  std::vector<uint8_t> rname_wire;
  uint32_t refresh = 3600;
  uint32_t retry = 600;
  uint32_t expire = 86400;
};

struct GeoIpConfig {
  std::string database;
  SourcePos pos;
};

struct ReloadConfig {
  uint32_t interval_ms = 1000;  // 0: no file watching
};

struct HitLogConfig {
  std::string file;      // "-": the resolver's log
  uint32_t rate = 1000;  // at most this many hit lines per second
};

// Unbound's message cache and Pangea's answers.
struct CacheConfig {
  // Store blocked answers that are the same for every client (nxdomain, nodata,
  // redirect; no client scope involved) in Unbound's message cache, so repeated
  // queries are answered before the module stack (EDE, hit log and counters are
  // added on those cache hits). Their TTL never runs past the matched entry's
  // not_after; list swaps and validity windows purge them when the decision
  // changes. Blocked address answers for name server hosts are never stored
  // (the iterator reads the message cache for their addresses too).
  bool blocked_answers = true;
  // Keep an index of the messages the cache may hold, by name, so that a list
  // swap looks up the cached messages its changes affect instead of walking
  // the whole message cache (module/unbound/cached_names.h).
  bool purge_index = true;
  // The index's size limit, in names; past it the index is dropped and the
  // next purge walks the cache and rebuilds it. 0: msg-cache-size / 128 (a
  // cached message takes more than 128 octets of Unbound's message cache).
  uint64_t purge_index_max_names = 0;
};

struct StatsConfig {
  std::string file;
  uint32_t interval = 10;  // seconds
};

struct Config {
  std::string path;  // the file this was read from
  int version = 1;
  std::vector<ListConfig> lists;
  AllowlistConfig allowlist;
  std::optional<GeoIpConfig> geoip;
  ReloadConfig reload;
  SoaConfig soa;
  std::optional<HitLogConfig> hit_log;
  std::optional<StatsConfig> stats;
  CacheConfig cache;
  // A name whose TXT records report the loaded lists (monitoring from outside);
  // empty: none.
  std::string status_name;
  std::vector<uint8_t> status_name_wire;
  Clock clock;                  // from PANGEA_FAKE_NOW (test-only)
  bool lists_from_env = false;  // the lists came from PANGEA_LISTS

  // True when some list has a restricted client scope: the glue must then give
  // each client its own mesh state (env->unique_mesh).
  bool client_scoped() const;
};

// Environment variables that modify the configuration. Separate from the process
// environment so tests need no setenv().
struct Environment {
  std::optional<std::string> config;    // PANGEA_CONFIG: path of the configuration file
  std::optional<std::string> lists;     // PANGEA_LISTS: colon-separated .pbl paths
  std::optional<std::string> fake_now;  // PANGEA_FAKE_NOW: see clock.h (test-only)

  static Environment from_process();
};

// Parses configuration text; `file` is the name used in messages and the base
// of relative paths. Reads key files (they are part of the configuration); does
// not open lists or the GeoIP database (that is loading, see Engine). Throws
// ConfigError.
Config parse_config(std::string_view text, const std::string& file, const Environment& env = {});

// Reads and parses `path` (ConfigError "path: error: cannot read: No such file
// or directory" when unreadable).
Config load_config(const std::string& path, const Environment& env = {});

// PANGEA_CONFIG, else kDefaultConfigPath, with the process environment.
Config load_config_from_environment();

}  // namespace pangea::policy
