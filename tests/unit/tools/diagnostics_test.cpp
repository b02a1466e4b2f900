#include "diagnostics.h"

#include <catch2/catch.hpp>

#include <sstream>

using namespace pangea::tools;

TEST_CASE("diagnostics are formatted file:line: severity: message", "[diagnostics]") {
  CHECK(format({Severity::error, {"list.csv", 12}, "x", "bad thing, expected good"}) ==
        "list.csv:12: error: bad thing, expected good");
  CHECK(format({Severity::warning, {"z.rpz", 0}, "x", "whole file"}) ==
        "z.rpz: warning: whole file");
}

TEST_CASE("diagnostics are counted by kind and printed up to a limit", "[diagnostics]") {
  std::ostringstream out;
  Diagnostics diagnostics(&out, 2);
  diagnostics.keep_all(true);
  diagnostics.error({"f", 1}, "empty-label", "one");
  diagnostics.error({"f", 2}, "empty-label", "two");
  diagnostics.warning({"f", 3}, "unsupported", "three");
  diagnostics.error({"f", 4}, "ip-address", "four");
  diagnostics.finish();
  CHECK(diagnostics.errors() == 3);
  CHECK(diagnostics.warnings() == 1);
  CHECK(diagnostics.error_kinds() ==
        std::map<std::string, size_t>{{"empty-label", 2}, {"ip-address", 1}});
  CHECK(diagnostics.warning_kinds() == std::map<std::string, size_t>{{"unsupported", 1}});
  CHECK(diagnostics.kept().size() == 4);
  CHECK(out.str() ==
        "f:1: error: one\n"
        "f:2: error: two\n"
        "pangea: 2 more diagnostics not shown\n");
}

TEST_CASE("a null stream prints nothing", "[diagnostics]") {
  Diagnostics diagnostics(nullptr);
  diagnostics.error({"f", 1}, "k", "m");
  diagnostics.finish();
  CHECK(diagnostics.errors() == 1);
  CHECK(diagnostics.kept().empty());  // not kept unless asked
}

TEST_CASE("quote escapes control characters and cuts long text", "[diagnostics]") {
  CHECK(quote("plain") == "plain");
  CHECK(quote("a\tb\x7f") == "a\\x09b\\x7F");
  CHECK(quote("bücher") == "bücher");
  CHECK(quote("abcdef", 3) == "abc...");
  CHECK(quote("abc", 3) == "abc");
}
