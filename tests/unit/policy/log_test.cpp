#include "pangea/policy/log.h"

#include <catch2/catch.hpp>

using namespace pangea::policy;

TEST_CASE("log levels round-trip through their names", "[log]") {
  for (Level level : {Level::error, Level::warning, Level::info, Level::debug}) {
    CHECK(level_from_string(to_string(level)) == level);
  }
  CHECK(to_string(Level::warning) == "warning");
  CHECK_FALSE(level_from_string("warn").has_value());
  CHECK_FALSE(level_from_string("").has_value());
}
