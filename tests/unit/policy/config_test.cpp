#include "pangea/policy/config.h"

#include <catch2/catch.hpp>

#include "support.h"

using namespace pangea::policy;
using pangea::policy::test::kFixtures;

namespace {

// The message of the ConfigError thrown for `fixture`, with the fixtures
// directory stripped so expectations do not depend on the checkout's path.
std::string error_for(const std::string& fixture, const Environment& env = {}) {
  try {
    load_config(kFixtures + "/" + fixture, env);
  } catch (const ConfigError& e) {
    std::string message = e.what();
    const std::string prefix = kFixtures + "/";
    for (size_t at; (at = message.find(prefix)) != std::string::npos;)
      message.erase(at, prefix.size());
    return message;
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("every bad configuration is refused with file:line:col and what was expected",
          "[config]") {
  struct Case {
    const char* fixture;
    const char* message;
  };
  const Case cases[] = {
      {"bad_action",
       "bad/bad_action.yaml:5:13: error: lists[0].action: found 'nxdomian', expected an action: "
       "nxdomain, nodata, redirect, cname, refuse, drop, passthru or log-only"},
      {"bad_allowlist_name",
       "bad/bad_allowlist_name.yaml:4:25: error: allowlist.names[1]: found string "
       "\"bad..example\", expected a domain name such as blocked.example."},
      {"bad_bool",
       "bad/bad_bool.yaml:6:15: error: lists[0].required: found 'yes', expected true or false"},
      {"bad_cname",
       "bad/bad_cname.yaml:6:12: error: lists[0].cname: found 'landing..example.', expected a "
       "domain name such as blocked.example."},
      {"bad_country",
       "bad/bad_country.yaml:7:31: error: lists[0].clients.countries[1]: found 'FRA', expected an "
       "ISO 3166-1 alpha-2 country code such as FR"},
      {"bad_ede_code",
       "bad/bad_ede_code.yaml:3:8: error: defaults.ede: found 'banned', expected an EDE code: "
       "blocked, censored, filtered, prohibited, none or a number from 0 to 65535"},
      {"bad_ede_placeholder",
       "bad/bad_ede_placeholder.yaml:6:33: error: lists[0].ede.text: found unknown placeholder "
       "'{agnecy}', expected one of {list}, {agency}, {referral}, {category}, {legal_basis}, "
       "{entry} (or {{ for a literal brace)"},
      {"bad_list_name",
       "bad/bad_list_name.yaml:3:11: error: lists[0].name: found string \"fr customs\", expected a "
       "name of letters, digits, '.', '-' and '_' (at most 63, starting with a letter or digit)"},
      {"bad_min_serial",
       "bad/bad_min_serial.yaml:6:17: error: lists[0].min_serial: found '12abc', expected an "
       "integer from 0 to 18446744073709551615"},
      {"bad_network",
       "bad/bad_network.yaml:7:30: error: lists[0].clients.networks[1]: found host bits set in "
       "'10.1.2.3/16', expected 10.1.0.0/16"},
      {"bad_prefix",
       "bad/bad_prefix.yaml:7:17: error: lists[0].clients.exclude[0]: found prefix length '129' in "
       "'2001:db8::/129', expected 0 to 128"},
      {"bad_unknown_country",
       "bad/bad_unknown_country.yaml:9:24: error: lists[0].clients.unknown_country: found 'maybe', "
       "expected apply or skip"},
      {"bad_version",
       "bad/bad_version.yaml:1:10: error: version: found '2', expected 1 (the only version of this "
       "format)"},
      {"cname_without_target",
       "bad/cname_without_target.yaml:5:13: error: lists[0].action: found action cname without a "
       "target, expected cname: <name> in the list or in defaults"},
      {"countries_without_geoip",
       "bad/countries_without_geoip.yaml:7:18: error: lists[0].clients.countries: found countries "
       "but no GeoIP database, expected geoip: { database: <path> }"},
      {"duplicate_key",
       "bad/duplicate_key.yaml:7:5: error: lists[0]: found key 'ttl' a second time (first at line "
       "5), expected each key once"},
      {"duplicate_list_file",
       "bad/duplicate_list_file.yaml:6:5: error: lists[1].file: found the file 'bad/fr.pbl' a "
       "second time (list 'fr'), expected each file in one list"},
      {"duplicate_list_name",
       "bad/duplicate_list_name.yaml:6:5: error: lists[1].name: found the name 'fr' a second time "
       "(first at bad/duplicate_list_name.yaml:3:5), expected unique list names"},
      {"ede_code_out_of_range",
       "bad/ede_code_out_of_range.yaml:3:15: error: defaults.ede.code: found '65536', expected an "
       "integer from 0 to 65535"},
      {"ede_unclosed_brace",
       "bad/ede_unclosed_brace.yaml:7:13: error: lists[0].ede.text: found an unclosed '{' at "
       "offset 4, expected {placeholder} or {{ for a literal brace"},
      {"empty_file",
       "bad/empty_file.yaml:4:5: error: lists[0].file: found nothing, expected a non-empty string"},
      {"empty_networks",
       "bad/empty_networks.yaml:7:17: error: lists[0].clients.networks: found an empty list, "
       "expected at least one network (omit the key for all)"},
      {"garbage_key_file",
       "bad/garbage_key_file.yaml:8:9: error: lists[0].keys[1]: found 'keys/garbage.pub' which is "
       "not an Ed25519 public key"},
      {"geoip_without_database",
       "bad/geoip_without_database.yaml:3:8: error: geoip: found no key 'database', expected the "
       "path of a MaxMind Country database"},
      {"hit_log_without_file",
       "bad/hit_log_without_file.yaml:3:10: error: hit_log: found no key 'file', expected a path, "
       "or - for the resolver's log"},
      {"keys_not_a_list",
       "bad/keys_not_a_list.yaml:6:11: error: lists[0].keys: found 'keys/test.pub', expected a "
       "list of public key files"},
      {"list_default_action",
       "bad/list_default_action.yaml:5:13: error: lists[0].action: found 'list-default', expected "
       "an action: nxdomain, nodata, redirect, cname, refuse, drop, passthru or log-only"},
      {"lists_not_a_list",
       "bad/lists_not_a_list.yaml:2:8: error: lists: found a mapping, expected a list of list "
       "definitions"},
      {"missing_file",
       "bad/missing_file.yaml:3:5: error: lists[0]: found no key 'file', expected the compiled "
       "list's path"},
      {"missing_key_file",
       "bad/missing_key_file.yaml:6:12: error: lists[0].keys[0]: found unreadable file "
       "'bad/keys/missing.pub' (No such file or directory), expected a PEM Ed25519 public key"},
      {"missing_lists",
       "bad/missing_lists.yaml:1:1: error: found no key 'lists', expected a list of lists (lists: "
       "[] for none)"},
      {"missing_version",
       "bad/missing_version.yaml:1:1: error: found no key 'version', expected version: 1"},
      {"negative_ttl",
       "bad/negative_ttl.yaml:2:17: error: defaults.ttl: found '-1', expected an integer from 0 to "
       "2147483647"},
      {"not_a_mapping",
       "bad/not_a_mapping.yaml:1:1: error: found a list, expected a mapping starting with version: "
       "1"},
      {"not_a_network",
       "bad/not_a_network.yaml:7:18: error: lists[0].clients.networks[0]: found 'intranet', "
       "expected an IPv4 or IPv6 network such as 10.0.0.0/8 or 2001:db8::/32"},
      {"quoted_ttl",
       "bad/quoted_ttl.yaml:6:10: error: lists[0].ttl: found string \"300\", expected an integer "
       "from 0 to 2147483647"},
      {"quoted_version",
       "bad/quoted_version.yaml:1:10: error: version: found string \"1\", expected 1 (the only "
       "version of this format)"},
      {"redirect_bad_address",
       "bad/redirect_bad_address.yaml:6:20: error: lists[0].redirect.a[0]: found '192.0.2.300', "
       "expected an IPv4 address such as 192.0.2.10"},
      {"redirect_empty",
       "bad/redirect_empty.yaml:6:15: error: lists[0].redirect: found no address, expected at "
       "least one in a: or aaaa:"},
      {"redirect_v4_in_aaaa",
       "bad/redirect_v4_in_aaaa.yaml:7:14: error: lists[0].redirect.aaaa[0]: found '192.0.2.10', "
       "expected an IPv6 address such as 2001:db8::10"},
      {"redirect_v6_in_a",
       "bad/redirect_v6_in_a.yaml:7:23: error: lists[0].redirect.a[1]: found string "
       "\"2001:db8::10\", expected an IPv4 address such as 192.0.2.10"},
      {"redirect_without_addresses",
       "bad/redirect_without_addresses.yaml:5:13: error: lists[0].action: found action redirect "
       "without addresses, expected redirect: { a: [...], aaaa: [...] } in the list or in "
       "defaults"},
      {"reload_interval_too_small",
       "bad/reload_interval_too_small.yaml:3:23: error: reload.interval_ms: found '5', expected 0 "
       "(no watching) or an interval from 10 to 86400000 ms"},
      {"root_cname",
       "bad/root_cname.yaml:6:12: error: lists[0].cname: found '.', expected a domain name such as "
       "blocked.example."},
      {"soa_bad_mname",
       "bad/soa_bad_mname.yaml:5:10: error: soa.rname: found string \"a..b.\", expected a domain "
       "name such as blocked.example."},
      {"purge_index_not_boolean",
       "bad/purge_index_not_boolean.yaml:3:22: error: cache.purge_index: found 'sometimes', "
       "expected true or false"},
      {"stats_interval_zero",
       "bad/stats_interval_zero.yaml:3:37: error: stats.interval: found '0', expected an integer "
       "from 1 to 86400"},
      {"syntax",
       "bad/syntax.yaml:3:1: error: found invalid YAML (end of sequence flow not found), expected "
       "a YAML mapping"},
      {"ttl_out_of_range",
       "bad/ttl_out_of_range.yaml:3:8: error: defaults.ttl: found '2147483648', expected an "
       "integer from 0 to 2147483647"},
      {"unknown_country_alone",
       "bad/unknown_country_alone.yaml:7:24: error: lists[0].clients.unknown_country: found "
       "unknown_country without countries, expected both or neither"},
      {"unknown_ede_key",
       "bad/unknown_ede_key.yaml:3:25: error: defaults.ede: found unknown key 'txt', expected code "
       "or text"},
      {"unknown_list_key",
       "bad/unknown_list_key.yaml:6:5: error: lists[0]: found unknown key 'actoin', expected name, "
       "file, action, redirect, cname, ttl, ede, required, keys, min_serial, refuse_older_serial "
       "or clients"},
      {"unknown_top_key",
       "bad/unknown_top_key.yaml:3:1: error: found unknown key 'reloads', expected version, "
       "defaults, lists, allowlist, geoip, reload, soa, hit_log, stats, status_name or cache"},
  };
  for (const auto& c : cases) {
    const std::string fixture = std::string("bad/") + c.fixture + ".yaml";
    INFO(fixture);
    const std::string message = error_for(fixture);
    if (std::string_view(c.fixture) == "garbage_key_file") {
      // The rest of this message is OpenSSL's own reason, which varies by version.
      CHECK(message.rfind(c.message, 0) == 0);
    } else {
      CHECK(message == c.message);
    }
  }
}

TEST_CASE("a minimal configuration gets the documented defaults", "[config]") {
  const Config config = load_config(kFixtures + "/good/minimal.yaml");
  REQUIRE(config.lists.size() == 1);
  const ListConfig& list = config.lists[0];
  CHECK(list.name == "fr-customs");
  CHECK(list.file == kFixtures + "/good/fr-customs.pbl");  // relative to the configuration
  CHECK(list.action == Action::nxdomain);
  CHECK(list.ttl == 300);
  REQUIRE(list.ede.code.has_value());
  CHECK(*list.ede.code == 16);  // censored
  CHECK(list.ede.text.empty());
  CHECK(list.required);
  CHECK(list.keys.empty());
  CHECK(list.min_serial == 0);
  CHECK(list.refuse_older_serial);
  CHECK_FALSE(list.clients.restricted());
  CHECK_FALSE(list.allowlist);
  CHECK(list.pos.to_string() == kFixtures + "/good/minimal.yaml:3:5");
  CHECK(config.allowlist.names.empty());
  CHECK(config.allowlist.files.empty());
  CHECK_FALSE(config.geoip.has_value());
  CHECK(config.reload.interval_ms == 1000);
  CHECK(config.soa.mname == "pangea.invalid.");
  CHECK(config.soa.rname == "hostmaster.pangea.invalid.");
  CHECK(config.soa.mname_wire == test::wire("pangea.invalid"));
  CHECK(config.soa.refresh == 3600);
  CHECK(config.soa.retry == 600);
  CHECK(config.soa.expire == 86400);
  CHECK_FALSE(config.hit_log.has_value());
  CHECK_FALSE(config.stats.has_value());
  CHECK(config.cache.blocked_answers);
  CHECK(config.cache.purge_index);
  CHECK(config.cache.purge_index_max_names == 0);
  CHECK_FALSE(config.clock.is_fake());
  CHECK_FALSE(config.client_scoped());
  CHECK_FALSE(config.lists_from_env);
}

TEST_CASE("every key of a full configuration is read", "[config]") {
  const Config config = load_config(kFixtures + "/good/full.yaml");
  REQUIRE(config.lists.size() == 4);

  const ListConfig& fr = config.lists[0];
  CHECK(fr.file == "/var/lib/pangea/fr-customs.pbl");
  CHECK(fr.action == Action::redirect);
  REQUIRE(fr.redirect.a.size() == 2);
  CHECK(fr.redirect.a[1] == std::array<uint8_t, 4>{192, 0, 2, 11});
  REQUIRE(fr.redirect.aaaa.size() == 1);
  CHECK(fr.redirect.aaaa[0][15] == 0x10);
  CHECK(fr.cname == "landing.example.");  // from defaults, lower-cased
  CHECK(fr.ttl == 300);
  CHECK(fr.ede.code == std::optional<uint16_t>(16));
  CHECK(fr.ede.text == "blocked by order of {agency}, referral {referral}");
  CHECK(fr.required);
  REQUIRE(fr.keys.size() == 1);
  CHECK(fr.key_files[0] == kFixtures + "/keys/test.pub");
  CHECK(fr.min_serial == 20261101);
  CHECK_FALSE(fr.refuse_older_serial);
  REQUIRE(fr.clients.networks.size() == 2);
  CHECK(fr.clients.networks[1].to_string() == "2001:db8::/32");
  REQUIRE(fr.clients.exclude.size() == 1);
  CHECK(fr.clients.exclude[0].to_string() == "10.9.0.0/16");
  REQUIRE(fr.clients.countries.size() == 2);
  CHECK(fr.clients.countries[0] == CountryCode{'F', 'R'});
  CHECK(fr.clients.unknown_country == UnknownCountry::skip);

  const ListConfig& ansm = config.lists[1];
  CHECK(ansm.file == kFixtures + "/good/lists/ansm.pbl");
  CHECK(ansm.action == Action::cname);
  CHECK(ansm.cname == "blocked.landing.example.");
  CHECK(ansm.cname_wire == test::wire("blocked.landing.example"));
  CHECK(ansm.redirect.a.size() == 1);  // from defaults
  CHECK(ansm.ttl == 600);
  CHECK(ansm.ede.code == std::optional<uint16_t>(18));
  CHECK(ansm.ede.text == "listed by {agency}");  // the code alone keeps the default text
  CHECK_FALSE(ansm.required);

  CHECK(config.lists[2].action == Action::log_only);
  CHECK(config.lists[2].ede.code == std::optional<uint16_t>(4711));
  CHECK(config.lists[3].action == Action::refuse);
  CHECK_FALSE(config.lists[3].ede.code.has_value());

  CHECK(config.allowlist.names ==
        std::vector<std::string>{"good-pharmacy.example", "ordonnance.example"});
  CHECK(config.allowlist.names_wire[0] == test::wire("good-pharmacy.example"));
  REQUIRE(config.allowlist.files.size() == 1);
  const ListConfig& allow = config.allowlist.files[0];
  CHECK(allow.allowlist);
  CHECK(allow.action == Action::passthru);
  CHECK(allow.name == "allowlist:allow");
  CHECK(allow.file == kFixtures + "/good/allow.pbl");
  CHECK(allow.keys.size() == 1);
  CHECK_FALSE(allow.required);

  REQUIRE(config.geoip.has_value());
  CHECK(config.geoip->database == "/var/lib/GeoIP/GeoLite2-Country.mmdb");
  CHECK(config.reload.interval_ms == 250);
  CHECK(config.soa.mname == "ns.pangea.example.");
  CHECK(config.soa.rname == "hostmaster.pangea.example.");
  CHECK(config.soa.refresh == 7200);
  CHECK(config.soa.retry == 900);
  CHECK(config.soa.expire == 604800);
  REQUIRE(config.hit_log.has_value());
  CHECK(config.hit_log->file == "-");
  CHECK(config.hit_log->rate == 50);
  REQUIRE(config.stats.has_value());
  CHECK(config.stats->file == "/run/pangea/stats.json");
  CHECK(config.stats->interval == 30);
  CHECK_FALSE(config.cache.blocked_answers);
  CHECK_FALSE(config.cache.purge_index);
  CHECK(config.cache.purge_index_max_names == 50000);
  CHECK(config.client_scoped());
}

TEST_CASE("a configuration file that cannot be read is an error", "[config]") {
  CHECK(error_for("good/no-such-file.yaml") ==
        "good/no-such-file.yaml: error: cannot read the configuration: No such file or directory");
}

TEST_CASE("an empty document is refused", "[config]") {
  CHECK_THROWS_WITH(parse_config("", "empty.yaml"),
                    "empty.yaml: error: found an empty document, expected a mapping starting with "
                    "version: 1");
  CHECK_THROWS_WITH(parse_config("# only a comment\n", "comment.yaml"),
                    "comment.yaml: error: found an empty document, expected a mapping starting "
                    "with version: 1");
}

TEST_CASE("PANGEA_LISTS replaces the lists, each taking the first list's settings", "[config]") {
  Environment env;
  env.lists = "/srv/a/one.pbl:/srv/b/two.pbl";
  const Config config = load_config(kFixtures + "/good/full.yaml", env);
  CHECK(config.lists_from_env);
  REQUIRE(config.lists.size() == 2);
  CHECK(config.lists[0].name == "one");
  CHECK(config.lists[0].file == "/srv/a/one.pbl");
  CHECK(config.lists[1].name == "two");
  CHECK(config.lists[1].file == "/srv/b/two.pbl");
  for (const auto& list : config.lists) {
    CHECK(list.action == Action::redirect);  // as fr-customs, the first list
    CHECK(list.redirect.a.size() == 2);
    CHECK(list.keys.size() == 1);
    CHECK(list.clients.restricted());
    CHECK(list.file_pos.to_string() == "PANGEA_LISTS");
  }
  CHECK(config.allowlist.files.size() == 1);  // untouched
}

TEST_CASE("bad PANGEA_LISTS and PANGEA_FAKE_NOW values are errors", "[config]") {
  struct Case {
    const char* fixture;
    std::optional<std::string> lists;
    std::optional<std::string> fake_now;
    const char* message;
  };
  const Case cases[] = {
      {"good/minimal.yaml", "a.pbl::b.pbl", std::nullopt,
       "PANGEA_LISTS: error: found an empty path in 'a.pbl::b.pbl', expected colon-separated "
       "paths of compiled lists"},
      {"good/minimal.yaml", "", std::nullopt,
       "PANGEA_LISTS: error: found an empty path in '', expected colon-separated paths of "
       "compiled lists"},
      {"good/minimal.yaml", "x/same.pbl:y/same.pbl", std::nullopt,
       "PANGEA_LISTS: error: found two lists named 'same'"},
      {"good/no-lists.yaml", "a.pbl", std::nullopt,
       "PANGEA_LISTS: error: found no list in good/no-lists.yaml to take the settings from, "
       "expected at least one entry under lists:"},
      {"good/minimal.yaml", std::nullopt, "yesterday",
       "PANGEA_FAKE_NOW: error: found 'yesterday', expected Unix seconds (1767225600) or a "
       "signed offset in seconds (+3600, -3600)"},
      {"good/minimal.yaml", std::nullopt, "+",
       "PANGEA_FAKE_NOW: error: found '+', expected Unix seconds (1767225600) or a signed "
       "offset in seconds (+3600, -3600)"},
  };
  for (const auto& c : cases) {
    Environment env;
    env.lists = c.lists;
    env.fake_now = c.fake_now;
    INFO(c.message);
    const std::string message = error_for(c.fixture, env);
    CHECK(message.rfind(c.message, 0) == 0);
  }
}

TEST_CASE("PANGEA_FAKE_NOW sets the clock", "[config]") {
  Environment env;
  env.fake_now = "1767225600";
  const Config frozen = load_config(kFixtures + "/good/minimal.yaml", env);
  CHECK(frozen.clock.is_fake());
  CHECK(frozen.clock.now() == 1767225600);
  env.fake_now = "-86400";
  const Config shifted = load_config(kFixtures + "/good/minimal.yaml", env);
  CHECK(shifted.clock.now() < Clock().now() - 86000);
}

TEST_CASE("the example configuration in conf/ is valid, also with PANGEA_LISTS", "[config]") {
  const Config config = load_config(PANGEA_EXAMPLE_CONFIG);
  REQUIRE(config.lists.size() == 1);
  CHECK(config.lists[0].name == "fr-customs");
  CHECK(config.lists[0].action == Action::redirect);

  Environment env;
  env.lists = "/tmp/a.pbl";
  const Config run = load_config(PANGEA_EXAMPLE_CONFIG, env);
  REQUIRE(run.lists.size() == 1);
  CHECK(run.lists[0].name == "a");
  CHECK(run.lists[0].action == Action::redirect);
  CHECK(run.lists[0].ede.text == "blocked by order of {agency}, referral {referral}");
}
