#include <catch2/catch.hpp>

#include "parse_helpers.h"
#include "timefmt.h"

using namespace pangea::tools;
using namespace pangea::tools::testing;
using pangea::trie::Action;
using pangea::trie::Policy;
using pangea::trie::Scope;

TEST_CASE("csv: every column lands in its field", "[parse_csv]") {
  auto parsed = run_parser(
      parse_csv,
      "Domain,Category,Agency,Referral,Legal_Basis,Referral_Date,Not_Before,Not_After,Action,"
      "Policy,Scope,List\n"
      "Cheap-Pills.example,illegal-pharmacy,DNRED Cyberdouane,\"CYB-2026-0042, annexe 1\","
      "\"Code de la santé publique, art. L.5125-34\",2026-11-02,2026-11-03T08:00:00Z,2026-12-31,"
      "nxdomain,block,exact,fr-customs\n");
  REQUIRE(parsed.errors == 0);
  REQUIRE(parsed.entries.size() == 1);
  const auto& e = parsed.entries[0];
  CHECK(e.name == "cheap-pills.example");
  CHECK(e.policy == Policy::block);
  CHECK(e.scope == Scope::exact);
  CHECK(e.meta.category == "illegal-pharmacy");
  CHECK(e.meta.agency == "DNRED Cyberdouane");
  CHECK(e.meta.referral == "CYB-2026-0042, annexe 1");
  CHECK(e.meta.legal_basis == "Code de la santé publique, art. L.5125-34");
  CHECK(e.meta.referral_date == parse_time("2026-11-02T00:00:00Z"));
  CHECK(e.meta.not_before == parse_time("2026-11-03T08:00:00Z"));
  CHECK(e.meta.not_after == parse_time("2026-12-31T23:59:59Z"));  // a date: to the end of the day
  CHECK(e.meta.action == Action::nxdomain);
  CHECK(e.meta.list == "fr-customs");
  CHECK(parsed.lines[0] == 2);
}

TEST_CASE("csv: empty cells take the list-wide defaults, filled cells win", "[parse_csv]") {
  Defaults defaults;
  defaults.meta.agency = "DGCCRF";
  defaults.meta.list = "default-list";
  defaults.meta.action = Action::redirect;
  auto parsed = run_parser(parse_csv,
                           "name,agency,action,policy\n"
                           "a.example,,,\n"
                           "b.example,DNRED,nodata,allow\n",
                           defaults);
  REQUIRE(parsed.entries.size() == 2);
  CHECK(parsed.entries[0].meta.agency == "DGCCRF");
  CHECK(parsed.entries[0].meta.action == Action::redirect);
  CHECK(parsed.entries[0].meta.list == "default-list");
  CHECK(parsed.entries[0].policy == Policy::block);
  CHECK(parsed.entries[1].meta.agency == "DNRED");
  CHECK(parsed.entries[1].meta.action == Action::nodata);
  CHECK(parsed.entries[1].policy == Policy::allow);
}

TEST_CASE("csv: url columns, wildcards, semicolons, blank rows, BOM", "[parse_csv]") {
  auto parsed = run_parser(parse_csv,
                           "\xEF\xBB\xBF"
                           "url;referral\r\n"
                           "https://www.Pharma.example/buy?a=1;R1\r\n"
                           ";\r\n"
                           "*.wild.example;R2\r\n"
                           "\r\n");
  CHECK(parsed.errors == 0);
  REQUIRE(parsed.entries.size() == 2);
  CHECK(parsed.entries[0].name == "www.pharma.example");
  CHECK(parsed.entries[0].meta.referral == "R1");
  CHECK(parsed.entries[1].name == "wild.example");
  CHECK(parsed.entries[1].scope == Scope::subtree);
  CHECK(parsed.lines == std::vector<size_t>{2, 4});
}

TEST_CASE("csv: header errors are at line 1 and skip the file", "[parse_csv]") {
  struct Case {
    const char* data;
    std::vector<std::string> messages;
  };
  const Case cases[] = {
      {"domain,expiry\na.example,2026-12-01\n",
       {"f.csv:1: error: unknown column 'expiry', expected one of domain (or name, url), list, "
        "category, agency, referral, legal_basis, referral_date, not_before, not_after, action, "
        "policy, scope"}},
      {"agency,referral\nX,Y\n",
       {"f.csv:1: error: no name column in the header, expected a column named domain, name or "
        "url"}},
      {"domain,url\na.example,https://b.example\n",
       {"f.csv:1: error: second name column 'url', expected exactly one of domain, name or url"}},
      {"domain,agency,Agency\na,b,c\n",
       {"f.csv:1: error: column 'agency' appears twice, expected each column once"}},
      {"", {"f.csv: error: empty file, expected a header row naming the columns"}},
      {"\n\n", {"f.csv: error: empty file, expected a header row naming the columns"}},
      {"\"domain\n",
       {"f.csv:1: error: unterminated quoted field opened on line 1, expected a "
        "closing '\"'"}},
  };
  for (const Case& c : cases) {
    INFO(c.data);
    auto parsed = run_parser(parse_csv, c.data, {}, "f.csv");
    CHECK(parsed.entries.empty());
    CHECK(parsed.messages == c.messages);
  }
}

TEST_CASE("csv: each bad row is one error at its line, and parsing goes on", "[parse_csv]") {
  auto parsed = run_parser(parse_csv,
                           "domain,not_before,not_after,action,policy,scope\n"
                           "ok.example,,,,,\n"                          // 2
                           "short.example,,\n"                          // 3
                           "date.example,2026-13-01,,,,\n"              // 4
                           "zone.example,,2026-12-01T10:00:00,,,\n"     // 5
                           "action.example,,,blackhole,,\n"             // 6
                           "policy.example,,,,deny,\n"                  // 7
                           "scope.example,,,,,below\n"                  // 8
                           "window.example,2026-12-02,2026-12-01,,,\n"  // 9
                           ",,,,,exact\n"                               // 10
                           "bad..example,,,,,\n"                        // 11
                           "*.wild.example,,,,,exact\n"                 // 12
                           "https://[::1]/,,,,,\n"                      // 13
                           "\"multi\nline\".example,,,,,\n"             // 14-15
                           "\"multi\nline.example\",,,,,\n"             // 16-17
                           "last.example,,,,,\n",                       // 18
                           {}, "r.csv");
  CHECK(names(parsed) == std::vector<std::string>{"ok.example", "last.example"});
  CHECK(parsed.lines == std::vector<size_t>{2, 18});
  CHECK(
      parsed.messages ==
      std::vector<std::string>{
          "r.csv:3: error: 3 fields, expected 6 as in the header",
          "r.csv:4: error: not_before '2026-13-01', expected an ISO-8601 UTC time such as "
          "2026-12-01T00:00:00Z or a date such as 2026-12-01",
          "r.csv:5: error: not_after '2026-12-01T10:00:00', expected an ISO-8601 UTC time such as "
          "2026-12-01T00:00:00Z or a date such as 2026-12-01",
          "r.csv:6: error: action 'blackhole', expected one of nxdomain, nodata, redirect, cname, "
          "refuse, drop, passthru, log-only, list-default",
          "r.csv:7: error: policy 'deny', expected block or allow",
          "r.csv:8: error: scope 'below', expected subtree or exact",
          "r.csv:9: error: validity window ending 2026-12-01T23:59:59Z before it starts "
          "2026-12-02T00:00:00Z, expected not_before <= not_after",
          "r.csv:10: error: empty name cell, expected a domain name",
          "r.csv:11: error: empty label in 'bad..example', expected labels of 1 to 63 octets",
          "r.csv:12: error: '*.wild.example' with scope exact, expected either a wildcard or an "
          "exact scope",
          "r.csv:13: error: IPv6 literal '[::1]' in URL 'https://[::1]/', expected a host name",
          "r.csv:14: error: character '.' after a closing quote, expected the delimiter or the end "
          "of "
          "the line",
          "r.csv:16: error: character '\\x0A' in 'multi\\x0Aline.example', expected letters, "
          "digits, "
          "'-' or '_'",
      });
}
