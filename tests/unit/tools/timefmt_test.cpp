#include "timefmt.h"

#include <catch2/catch.hpp>

using namespace pangea::tools;

TEST_CASE("ISO-8601 UTC times and dates parse to epoch seconds", "[timefmt]") {
  struct Case {
    const char* text;
    int64_t expected;
  };
  const Case cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2026-12-01T00:00:00Z", 1796083200},
      {"2026-12-01t00:00:00z", 1796083200},
      {"2026-12-01 00:00:00Z", 1796083200},
      {"2026-12-01T00:00Z", 1796083200},
      {"2026-12-01", 1796083200},
      {"2026-12-01T01:00:00+01:00", 1796083200},
      {"2026-11-30T19:00:00-05:00", 1796083200},
      {"2024-02-29T12:00:00Z", 1709208000},  // leap day
      {"2000-02-29", 951782400},             // divisible by 400: leap
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto value = parse_time(c.text);
    REQUIRE(value.has_value());
    CHECK(*value == c.expected);
  }
}

TEST_CASE("a date as an upper bound means the end of that day", "[timefmt]") {
  CHECK(parse_time("2026-12-31", DateBound::end) == parse_time("2026-12-31T23:59:59Z"));
  CHECK(parse_time("2026-12-31T10:00:00Z", DateBound::end) == parse_time("2026-12-31T10:00:00Z"));
}

TEST_CASE("malformed or zone-less times are rejected", "[timefmt]") {
  const char* bad[] = {
      "",
      "2026",
      "2026-12",
      "2026-13-01",
      "2026-00-10",
      "2026-02-29" /* not leap */,
      "1900-02-29",
      "2026-04-31",
      "2026-12-01T",
      "2026-12-01T00:00:00" /* no zone */,
      "2026-12-01T24:00:00Z",
      "2026-12-01T10:60:00Z",
      "2026-12-01T10:00:60Z",
      "2026-12-01T10:00:00+1",
      "2026-12-01T10:00:00 UTC",
      "26-12-01",
      "2026/12/01",
      "01/12/2026",
      "2026-12-01x",
  };
  for (const char* text : bad) {
    INFO(text);
    CHECK_FALSE(parse_time(text).has_value());
  }
}

TEST_CASE("format_time is the inverse of parse_time", "[timefmt]") {
  CHECK(format_time(0) == "1970-01-01T00:00:00Z");
  CHECK(format_time(1796083200) == "2026-12-01T00:00:00Z");
  CHECK(format_time(1709208000 + 3723) == "2024-02-29T13:02:03Z");
  CHECK(format_time(-1) == "1969-12-31T23:59:59Z");
  for (int64_t t : {int64_t{0}, int64_t{951782399}, int64_t{1796083200}, int64_t{4102444799}}) {
    CHECK(parse_time(format_time(t)) == t);
  }
}

TEST_CASE("days_from_civil", "[timefmt]") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(1969, 12, 31) == -1);
  CHECK(days_from_civil(2000, 3, 1) == 11017);
}
