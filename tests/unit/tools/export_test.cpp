#include "export.h"

#include <catch2/catch.hpp>

#include <sstream>

#include "parse_helpers.h"

using namespace pangea::tools;
using namespace pangea::tools::testing;
using pangea::trie::Action;
using pangea::trie::Entry;
using pangea::trie::Policy;
using pangea::trie::Scope;

namespace {

Entry entry(const char* name, Policy policy, Scope scope, Action action = Action::list_default) {
  Entry e;
  e.name = name;
  e.policy = policy;
  e.scope = scope;
  e.meta.action = action;
  return e;
}

std::vector<Entry> sample() {
  std::vector<Entry> out{
      entry("cheap-pills.example", Policy::block, Scope::subtree),
      entry("shop.only.example", Policy::block, Scope::exact),
      entry("info.cheap-pills.example", Policy::allow, Scope::exact),
      entry("safe.cheap-pills.example", Policy::allow, Scope::subtree),
      entry("nodata.example", Policy::block, Scope::subtree, Action::nodata),
      entry("drop.example", Policy::block, Scope::exact, Action::drop),
  };
  out[0].meta.agency = "DNRED Cyberdouane";
  out[0].meta.referral = "CYB-2026-0042, \"urgent\"";
  out[0].meta.legal_basis = "Code de la santé publique, art. L.5125-34";
  out[0].meta.referral_date = 1793577600;
  out[0].meta.not_before = 1793577600;
  out[0].meta.not_after = 1798761599;
  out[0].meta.list = "fr-customs";
  out[0].meta.category = "illegal-pharmacy";
  return out;
}

std::string run(ExportFormat format, const std::vector<Entry>& entries) {
  std::ostringstream out;
  ExportOptions options;
  options.generator = "pangea test";
  options.serial = 7;
  export_entries(format, entries, options, out);
  return out.str();
}

// What survives a format without metadata.
Entry shape(const Entry& e, bool keep_action) {
  Entry out = entry(e.name.c_str(), e.policy, e.scope);
  if (keep_action)
    out.meta.action = e.meta.action;
  return out;
}

}  // namespace

TEST_CASE("export formats have stable names", "[export]") {
  for (auto f : {ExportFormat::text, ExportFormat::csv, ExportFormat::rpz, ExportFormat::hosts,
                 ExportFormat::unbound}) {
    CHECK(export_format_from_string(to_string(f)) == f);
  }
  CHECK_FALSE(export_format_from_string("bind").has_value());
}

TEST_CASE("text export", "[export]") {
  CHECK(run(ExportFormat::text, sample()) ==
        "# Exported by pangea test: 6 entries\n"
        "# '!' = allow (exception), '=' = exact name only; metadata is in the csv export\n"
        "cheap-pills.example\n"
        "=shop.only.example\n"
        "!=info.cheap-pills.example\n"
        "!safe.cheap-pills.example\n"
        "nodata.example\n"
        "=drop.example\n");
}

TEST_CASE("rpz export", "[export]") {
  CHECK(run(ExportFormat::rpz, sample()) ==
        "; Exported by pangea test: 6 entries\n"
        "$TTL 300\n"
        "$ORIGIN rpz.pangea.invalid.\n"
        "@ SOA localhost. hostmaster.localhost. 7 3600 600 604800 300\n"
        "@ NS localhost.\n"
        "cheap-pills.example CNAME .\n"
        "*.cheap-pills.example CNAME .\n"
        "shop.only.example CNAME .\n"
        "info.cheap-pills.example CNAME rpz-passthru.\n"
        "safe.cheap-pills.example CNAME rpz-passthru.\n"
        "*.safe.cheap-pills.example CNAME rpz-passthru.\n"
        "nodata.example CNAME *.\n"
        "*.nodata.example CNAME *.\n"
        "drop.example CNAME rpz-drop.\n");
}

TEST_CASE("rpz export notes actions RPZ cannot express", "[export]") {
  std::string out =
      run(ExportFormat::rpz, {entry("r.example", Policy::block, Scope::exact, Action::redirect)});
  CHECK_THAT(out, Catch::Contains("; action redirect has no RPZ form; blocking\n"
                                  "r.example CNAME .\n"));
}

TEST_CASE("hosts export", "[export]") {
  CHECK(run(ExportFormat::hosts, sample()) ==
        "# Exported by pangea test: 6 entries\n"
        "# hosts files block single names: subdomains of subtree entries are not covered,\n"
        "# and allow entries (exceptions) cannot be expressed; they are listed as comments.\n"
        "0.0.0.0 cheap-pills.example\n"
        "0.0.0.0 shop.only.example\n"
        "# allow info.cheap-pills.example\n"
        "# allow safe.cheap-pills.example\n"
        "0.0.0.0 nodata.example\n"
        "0.0.0.0 drop.example\n");
}

TEST_CASE("unbound export", "[export]") {
  std::vector<Entry> entries = sample();
  entries.push_back(entry("log.example", Policy::block, Scope::subtree, Action::log_only));
  entries.push_back(entry("refused.example", Policy::block, Scope::subtree, Action::refuse));
  entries.push_back(entry("cname.example", Policy::block, Scope::subtree, Action::cname));
  CHECK(run(ExportFormat::unbound, entries) ==
        "# Exported by pangea test: 9 entries\n"
        "server:\n"
        "    local-zone: \"cheap-pills.example.\" always_nxdomain\n"
        "    local-zone: \"shop.only.example.\" transparent\n"
        "    local-data: \"shop.only.example. 300 IN A 0.0.0.0\"\n"
        "    local-data: \"shop.only.example. 300 IN AAAA ::\"\n"
        "    # exact allow widened to its subtree\n"
        "    local-zone: \"info.cheap-pills.example.\" always_transparent\n"
        "    local-zone: \"safe.cheap-pills.example.\" always_transparent\n"
        "    local-zone: \"nodata.example.\" always_nodata\n"
        "    local-zone: \"drop.example.\" transparent\n"
        "    local-data: \"drop.example. 300 IN A 0.0.0.0\"\n"
        "    local-data: \"drop.example. 300 IN AAAA ::\"\n"
        "    local-zone: \"log.example.\" inform\n"
        "    local-zone: \"refused.example.\" always_refuse\n"
        "    # action cname has no local-zone type\n"
        "    local-zone: \"cname.example.\" always_nxdomain\n");
}

TEST_CASE("csv export round-trips every field through parse_csv", "[export]") {
  std::vector<Entry> entries = sample();
  std::string csv = run(ExportFormat::csv, entries);
  CHECK_THAT(csv, Catch::StartsWith("domain,policy,scope,action,list,category,agency,referral,"
                                    "legal_basis,referral_date,not_before,not_after\n"
                                    "cheap-pills.example,block,subtree,,fr-customs,"
                                    "illegal-pharmacy,DNRED Cyberdouane,\"CYB-2026-0042, "
                                    "\"\"urgent\"\"\",\"Code de la santé publique, art. "
                                    "L.5125-34\",2026-11-02T00:00:00Z,2026-11-02T00:00:00Z,"
                                    "2026-12-31T23:59:59Z\r\n"));
  auto parsed = run_parser(parse_csv, csv);
  CHECK(parsed.messages.empty());
  CHECK(parsed.entries == entries);
}

TEST_CASE("text export round-trips names, policies and scopes", "[export]") {
  std::vector<Entry> entries = sample();
  auto parsed = run_parser(parse_text, run(ExportFormat::text, entries));
  CHECK(parsed.messages.empty());
  REQUIRE(parsed.entries.size() == entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    CHECK(parsed.entries[i] == shape(entries[i], false));
  }
}

TEST_CASE("rpz export round-trips names, policies, scopes and RPZ actions", "[export]") {
  std::vector<Entry> entries = sample();
  auto parsed = run_parser(parse_rpz, run(ExportFormat::rpz, entries));
  CHECK(parsed.messages.empty());
  REQUIRE(parsed.entries.size() == entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    CHECK(parsed.entries[i] == shape(entries[i], true));
  }
}
