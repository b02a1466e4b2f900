#include "pangea/trie/entry.h"

#include <catch2/catch.hpp>

using namespace pangea::trie;

TEST_CASE("actions round-trip through their names", "[entry]") {
  for (int i = 0; i <= static_cast<int>(Action::log_only); ++i) {
    auto action = static_cast<Action>(i);
    auto parsed = action_from_string(to_string(action));
    REQUIRE(parsed.has_value());
    CHECK(*parsed == action);
  }
  CHECK(action_from_string("log_only") == Action::log_only);
  CHECK_FALSE(action_from_string("NXDOMAIN").has_value());
  CHECK_FALSE(action_from_string("").has_value());
}

TEST_CASE("validity windows are inclusive at both ends", "[entry]") {
  Metadata meta;
  CHECK(is_active(meta, 0));
  meta.not_before = 100;
  meta.not_after = 200;
  CHECK_FALSE(is_active(meta, 99));
  CHECK(is_active(meta, 100));
  CHECK(is_active(meta, 200));
  CHECK_FALSE(is_active(meta, 201));
}
