#include "pangea/policy/clock.h"

#include <catch2/catch.hpp>

using namespace pangea::policy;

TEST_CASE("PANGEA_FAKE_NOW values: absolute freezes, signed shifts", "[clock]") {
  std::string error;
  auto frozen = Clock::parse("1767225600", error);
  REQUIRE(frozen.has_value());
  CHECK(frozen->now() == 1767225600);
  CHECK(frozen->is_fake());
  CHECK(frozen->describe() == "frozen at 1767225600 (2026-01-01T00:00:00Z)");

  const int64_t real = Clock().now();
  auto ahead = Clock::parse("+86400", error);
  REQUIRE(ahead.has_value());
  CHECK(ahead->now() >= real + 86400);
  CHECK(ahead->now() <= real + 86400 + 5);
  CHECK(ahead->describe() == "real +86400 s");
  auto behind = Clock::parse("-60", error);
  REQUIRE(behind.has_value());
  CHECK(behind->now() <= real - 60 + 5);
  CHECK(behind->describe() == "real -60 s");

  CHECK_FALSE(Clock().is_fake());
  CHECK(Clock().describe() == "real");
}

TEST_CASE("malformed PANGEA_FAKE_NOW values are refused", "[clock]") {
  for (const char* text : {"", "+", "-", "12x", "1.5", " 12", "+-3", "99999999999999999999"}) {
    INFO(text);
    std::string error;
    CHECK_FALSE(Clock::parse(text, error).has_value());
    CHECK(error.find("expected Unix seconds") != std::string::npos);
  }
}

TEST_CASE("UTC formatting", "[clock]") {
  CHECK(format_utc(0) == "1970-01-01T00:00:00Z");
  CHECK(format_utc(1764450333) == "2025-11-29T21:05:33Z");
}
