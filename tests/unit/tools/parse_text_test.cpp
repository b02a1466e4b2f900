#include <catch2/catch.hpp>

#include "parse_helpers.h"

using namespace pangea::tools;
using namespace pangea::tools::testing;
using pangea::trie::Policy;
using pangea::trie::Scope;

TEST_CASE("text: prefixes set policy and scope", "[parse_text]") {
  auto parsed = run_parser(parse_text,
                           "# referral list\n"
                           "cheap-pills.example\n"
                           "*.pharma-discount.example   # trailing comment\n"
                           "=shop.only.example\n"
                           "!info.cheap-pills.example\n"
                           "@@*.safe.cheap-pills.example\n"
                           "!=exact-allow.cheap-pills.example\n"
                           "\n"
                           "   \t\n"
                           "Bücher.Example.\r\n");
  CHECK(parsed.errors == 0);
  REQUIRE(parsed.entries.size() == 7);
  struct Expected {
    const char* name;
    Policy policy;
    Scope scope;
    size_t line;
  };
  const Expected expected[] = {
      {"cheap-pills.example", Policy::block, Scope::subtree, 2},
      {"pharma-discount.example", Policy::block, Scope::subtree, 3},
      {"shop.only.example", Policy::block, Scope::exact, 4},
      {"info.cheap-pills.example", Policy::allow, Scope::subtree, 5},
      {"safe.cheap-pills.example", Policy::allow, Scope::subtree, 6},
      {"exact-allow.cheap-pills.example", Policy::allow, Scope::exact, 7},
      {"xn--bcher-kva.example", Policy::block, Scope::subtree, 10},
  };
  for (size_t i = 0; i < parsed.entries.size(); ++i) {
    INFO(i);
    CHECK(parsed.entries[i].name == expected[i].name);
    CHECK(parsed.entries[i].policy == expected[i].policy);
    CHECK(parsed.entries[i].scope == expected[i].scope);
    CHECK(parsed.lines[i] == expected[i].line);
  }
}

TEST_CASE("text: list-wide defaults apply to every entry", "[parse_text]") {
  Defaults defaults;
  defaults.scope = Scope::exact;
  defaults.meta.agency = "DNRED Cyberdouane";
  defaults.meta.not_after = 1796083200;
  auto parsed = run_parser(parse_text, "a.example\n*.b.example\n", defaults);
  REQUIRE(parsed.entries.size() == 2);
  CHECK(parsed.entries[0].scope == Scope::exact);
  CHECK(parsed.entries[1].scope == Scope::subtree);  // an explicit "*." wins
  CHECK(parsed.entries[0].meta.agency == "DNRED Cyberdouane");
  CHECK(parsed.entries[1].meta.not_after == 1796083200);
}

TEST_CASE("text: each bad line is one error at its line, and parsing goes on", "[parse_text]") {
  auto parsed = run_parser(parse_text,
                           "good.example\n"
                           "bad..example\n"
                           "192.0.2.1\n"
                           "two names.example\n"
                           "0.0.0.0 hosts-line.example\n"
                           "com\n"
                           "*.\n"
                           "!\n"
                           "also-good.example\n",
                           {}, "list.txt");
  CHECK(names(parsed) == std::vector<std::string>{"good.example", "also-good.example"});
  CHECK(
      parsed.messages ==
      std::vector<std::string>{
          "list.txt:2: error: empty label in 'bad..example', expected labels of 1 to 63 octets",
          "list.txt:3: error: IP address '192.0.2.1', expected a domain name (addresses cannot be "
          "blocked by a DNS blocklist)",
          "list.txt:4: error: unexpected text 'names.example' after the name, expected one name "
          "per "
          "line",
          "list.txt:5: error: unexpected text 'hosts-line.example' after the name, expected one "
          "name "
          "per line",
          "list.txt:6: error: single-label name 'com' (a whole top-level domain), expected a name "
          "with at least two labels",
          "list.txt:7: error: empty name, expected a domain name",
          "list.txt:8: error: empty name, expected a domain name",
      });
}
