#include "json.h"

#include <catch2/catch.hpp>

using namespace pangea::tools;

TEST_CASE("JSON strings are escaped", "[json]") {
  CHECK(json_string("plain") == "\"plain\"");
  CHECK(json_string("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(json_string("l1\nl2\t\r") == "\"l1\\nl2\\t\\r\"");
  CHECK(json_string(std::string_view("\x01", 1)) == "\"\\u0001\"");
  CHECK(json_string("santé") == "\"santé\"");
}

TEST_CASE("JSON times", "[json]") {
  CHECK(json_time(std::nullopt) == "null");
  CHECK(json_time(1796083200) == "\"2026-12-01T00:00:00Z\"");
}
