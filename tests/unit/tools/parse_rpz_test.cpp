#include <catch2/catch.hpp>

#include "parse_helpers.h"

using namespace pangea::tools;
using namespace pangea::tools::testing;
using pangea::trie::Action;
using pangea::trie::Policy;
using pangea::trie::Scope;

TEST_CASE("rpz: QNAME triggers, merged apex and wildcard, actions", "[parse_rpz]") {
  auto parsed = run_parser(parse_rpz,
                           "$TTL 300\n"                                                       // 1
                           "$ORIGIN rpz.example.\n"                                           // 2
                           "@ SOA ns.rpz.example. admin.rpz.example. 1 3600 600 86400 300\n"  // 3
                           "@ NS ns.rpz.example.\n"                                           // 4
                           "cheap-pills.example CNAME .\n"                                    // 5
                           "*.cheap-pills.example CNAME .\n"                                  // 6
                           "exact.example CNAME .\n"                                          // 7
                           "*.wild-only.example CNAME .\n"                                    // 8
                           "nodata.example CNAME *.\n"                                        // 9
                           "drop.example CNAME rpz-drop.\n"                                   // 10
                           "info.cheap-pills.example CNAME rpz-passthru.\n"                   // 11
                           "Upper.Example.rpz.example. CNAME .\n"                             // 12
                           "xn--bcher-kva.example 300 IN CNAME .\n");                         // 13
  CHECK(parsed.messages.empty());
  struct Expected {
    const char* name;
    Policy policy;
    Scope scope;
    Action action;
    size_t line;
  };
  const Expected expected[] = {
      {"cheap-pills.example", Policy::block, Scope::subtree, Action::list_default, 5},
      {"exact.example", Policy::block, Scope::exact, Action::list_default, 7},
      {"wild-only.example", Policy::block, Scope::subtree, Action::list_default, 8},
      {"nodata.example", Policy::block, Scope::exact, Action::nodata, 9},
      {"drop.example", Policy::block, Scope::exact, Action::drop, 10},
      {"info.cheap-pills.example", Policy::allow, Scope::exact, Action::list_default, 11},
      {"upper.example", Policy::block, Scope::exact, Action::list_default, 12},
      {"xn--bcher-kva.example", Policy::block, Scope::exact, Action::list_default, 13},
  };
  REQUIRE(parsed.entries.size() == std::size(expected));
  for (size_t i = 0; i < std::size(expected); ++i) {
    INFO(expected[i].name);
    CHECK(parsed.entries[i].name == expected[i].name);
    CHECK(parsed.entries[i].policy == expected[i].policy);
    CHECK(parsed.entries[i].scope == expected[i].scope);
    CHECK(parsed.entries[i].meta.action == expected[i].action);
    CHECK(parsed.lines[i] == expected[i].line);
  }
}

TEST_CASE("rpz: the origin comes from the SOA when there is no $ORIGIN", "[parse_rpz]") {
  auto parsed = run_parser(parse_rpz,
                           "rpz.example. 300 IN SOA ns. admin. 1 3600 600 86400 300\n"
                           "a.example.rpz.example. 300 IN CNAME .\n"
                           "*.a.example.rpz.example. 300 IN CNAME .\n");
  CHECK(parsed.messages.empty());
  REQUIRE(parsed.entries.size() == 1);
  CHECK(parsed.entries[0].name == "a.example");
  CHECK(parsed.entries[0].scope == Scope::subtree);
}

TEST_CASE("rpz: list-wide metadata applies, the trigger's action wins", "[parse_rpz]") {
  Defaults defaults;
  defaults.meta.agency = "ANSM";
  defaults.meta.action = Action::redirect;
  auto parsed = run_parser(parse_rpz,
                           "$ORIGIN rpz.example.\n"
                           "a.example CNAME .\n"
                           "b.example CNAME *.\n",
                           defaults);
  REQUIRE(parsed.entries.size() == 2);
  CHECK(parsed.entries[0].meta.agency == "ANSM");
  CHECK(parsed.entries[0].meta.action == Action::redirect);
  CHECK(parsed.entries[1].meta.action == Action::nodata);
}

TEST_CASE("rpz: unsupported triggers and actions are warnings at their line", "[parse_rpz]") {
  auto parsed = run_parser(parse_rpz,
                           "$ORIGIN rpz.example.\n"                         // 1
                           "@ SOA ns. admin. 1 3600 600 86400 300\n"        // 2
                           "32.1.2.0.192.rpz-ip CNAME .\n"                  // 3
                           "ns.bad.example.rpz-nsdname CNAME .\n"           // 4
                           "24.0.2.0.192.rpz-client-ip CNAME rpz-drop.\n"   // 5
                           "32.1.0.0.10.rpz-nsip CNAME .\n"                 // 6
                           "local.example A 192.0.2.1\n"                    // 7
                           "garden.example CNAME walled.garden.example.\n"  // 8
                           "tcp.example CNAME rpz-tcp-only.\n"              // 9
                           "@ A 192.0.2.2\n"                                // 10
                           "ok.example CNAME .\n",                          // 11
                           {}, "z.rpz");
  CHECK(names(parsed) == std::vector<std::string>{"ok.example"});
  CHECK(parsed.errors == 0);
  CHECK(
      parsed.messages ==
      std::vector<std::string>{
          "z.rpz:3: warning: unsupported RPZ trigger rpz-ip ('32.1.2.0.192.rpz-ip'), expected a "
          "QNAME trigger; ignored",
          "z.rpz:4: warning: unsupported RPZ trigger rpz-nsdname ('ns.bad.example.rpz-nsdname'), "
          "expected a QNAME trigger; ignored",
          "z.rpz:5: warning: unsupported RPZ trigger rpz-client-ip ('24.0.2.0.192.rpz-client-ip'), "
          "expected a QNAME trigger; ignored",
          "z.rpz:6: warning: unsupported RPZ trigger rpz-nsip ('32.1.0.0.10.rpz-nsip'), expected a "
          "QNAME trigger; ignored",
          "z.rpz:7: warning: unsupported RPZ local data (A record for 'local.example'), expected "
          "CNAME ., *., rpz-drop. or rpz-passthru.; ignored",
          "z.rpz:8: warning: unsupported RPZ local data (CNAME to 'walled.garden.example.') for "
          "'garden.example', expected CNAME ., *., rpz-drop. or rpz-passthru.; ignored",
          "z.rpz:9: warning: unsupported RPZ action rpz-tcp-only. for 'tcp.example', expected "
          "CNAME "
          "., *., rpz-drop. or rpz-passthru.; ignored",
          "z.rpz:10: warning: record at the zone apex 'rpz.example.', expected a trigger name "
          "below "
          "the origin; ignored",
      });
}

TEST_CASE("rpz: syntax errors, bad names and conflicts are reported and skipped", "[parse_rpz]") {
  auto parsed = run_parser(parse_rpz,
                           "$ORIGIN rpz.example.\n"             // 1
                           "a.example CNAME .\n"                // 2
                           "b.example CNAME\n"                  // 3
                           "c.example BOGUS .\n"                // 4
                           "outside.other. CNAME .\n"           // 5
                           "*.a.example CNAME rpz-passthru.\n"  // 6
                           "x_y.example CNAME .\n"              // 7
                           "d.example CNAME .\n",               // 8
                           {}, "z.rpz");
  CHECK(names(parsed) == std::vector<std::string>{"a.example", "x_y.example", "d.example"});
  REQUIRE(parsed.messages.size() == 4);
  CHECK_THAT(parsed.messages[0], Catch::StartsWith("z.rpz:3: error: zone syntax: "));
  CHECK_THAT(parsed.messages[0], Catch::EndsWith(", expected a resource record"));
  CHECK_THAT(parsed.messages[1], Catch::StartsWith("z.rpz:4: error: zone syntax: "));
  CHECK(parsed.messages[2] ==
        "z.rpz:5: error: owner 'outside.other.' outside the origin 'rpz.example.', expected a "
        "name below it");
  CHECK(parsed.messages[3] ==
        "z.rpz:6: warning: '*.a.example' with a different action than line 2, expected the name "
        "and its wildcard to agree; keeping line 2");
  CHECK(parsed.entries[0].scope == Scope::exact);  // the conflicting wildcard was dropped
}

TEST_CASE("rpz: an empty zone gives nothing", "[parse_rpz]") {
  CHECK(run_parser(parse_rpz, "").entries.empty());
  CHECK(run_parser(parse_rpz, "; only a comment\n\n").messages.empty());
}

TEST_CASE("rpz: the last line counts even without a newline", "[parse_rpz]") {
  auto parsed =
      run_parser(parse_rpz, "$ORIGIN z.\nok.example CNAME .\nbroken.example CNAME", {}, "z.rpz");
  CHECK(names(parsed) == std::vector<std::string>{"ok.example"});
  REQUIRE(parsed.messages.size() == 1);
  CHECK_THAT(parsed.messages[0], Catch::StartsWith("z.rpz:3: error: zone syntax: "));
  auto clean = run_parser(parse_rpz, "$ORIGIN z.\nok.example CNAME .\n; last comment\n  \t");
  CHECK(clean.messages.empty());
}

TEST_CASE("rpz: a multi-line SOA does not shift later line numbers", "[parse_rpz]") {
  auto parsed = run_parser(parse_rpz,
                           "$ORIGIN z.\n"
                           "@ SOA ns. h. (\n"
                           "  1 2 3\n"
                           "  4 5 )\n"
                           "ok.example CNAME .\n"
                           "bad.example CNAME\n",
                           {}, "z.rpz");
  CHECK(parsed.lines == std::vector<size_t>{5});
  REQUIRE(parsed.messages.size() == 1);
  CHECK_THAT(parsed.messages[0], Catch::StartsWith("z.rpz:6: error: zone syntax: "));
}

TEST_CASE("rpz: without $ORIGIN or SOA, owner names are taken as written", "[parse_rpz]") {
  auto parsed = run_parser(parse_rpz, "a.example CNAME .\n*.b.example. CNAME .\n");
  CHECK(parsed.messages.empty());
  REQUIRE(parsed.entries.size() == 2);
  CHECK(parsed.entries[0].name == "a.example");
  CHECK(parsed.entries[0].scope == Scope::exact);
  CHECK(parsed.entries[1].name == "b.example");
  CHECK(parsed.entries[1].scope == Scope::subtree);
}

TEST_CASE("rpz: a relative CNAME target is local data, not an action", "[parse_rpz]") {
  // "rpz-passthru" without its dot is rpz-passthru.<origin>: a real name.
  auto parsed = run_parser(parse_rpz, "$ORIGIN z.\na.example CNAME rpz-passthru\n", {}, "z.rpz");
  CHECK(parsed.entries.empty());
  CHECK(parsed.messages ==
        std::vector<std::string>{"z.rpz:2: warning: unsupported RPZ local data (CNAME to "
                                 "'rpz-passthru.z.') for 'a.example', expected CNAME ., *., "
                                 "rpz-drop. or rpz-passthru.; ignored"});
}

TEST_CASE("rpz: $INCLUDE is refused", "[parse_rpz]") {
  auto parsed =
      run_parser(parse_rpz, "$ORIGIN z.\n$INCLUDE other.zone\na.example CNAME .\n", {}, "z.rpz");
  CHECK(names(parsed) == std::vector<std::string>{"a.example"});
  CHECK(parsed.messages ==
        std::vector<std::string>{"z.rpz:2: error: unsupported $INCLUDE, expected the whole zone in "
                                 "one file (pass each file to pangea compile)"});
}
