#include "pangea/trie/name.h"

#include <catch2/catch.hpp>

using namespace pangea::trie;

namespace {

std::vector<uint8_t> bytes(std::initializer_list<int> list) {
  std::vector<uint8_t> out;
  for (int b : list)
    out.push_back(static_cast<uint8_t>(b));
  return out;
}

}  // namespace

TEST_CASE("wire_from_text: valid names, next to their nearest invalid ones", "[name]") {
  struct Case {
    const char* text;
    std::optional<std::vector<uint8_t>> wire;
  };
  const std::vector<Case> cases = {
      {"a.b", bytes({1, 'a', 1, 'b', 0})},
      {"a.b.", bytes({1, 'a', 1, 'b', 0})},  // fully qualified: same name
      {"a..b", std::nullopt},                // empty label
      {".a", std::nullopt},
      {"a.b..", std::nullopt},
      {"", std::nullopt},
      {".", bytes({0})},  // the root
      {"Shop.Example", bytes({4, 's', 'h', 'o', 'p', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0})},
      {"a\\.b", bytes({3, 'a', '.', 'b', 0})},  // escaped dot stays in the label
      {"a\\\\b", bytes({3, 'a', '\\', 'b', 0})},
      {"a\\046b", bytes({3, 'a', '.', 'b', 0})},
      {"\\000", bytes({1, 0, 0})},
      {"\\255", bytes({1, 255, 0})},
      {"\\256", std::nullopt},  // over 255
      {"\\25", std::nullopt},   // short escape
      {"\\2x5", std::nullopt},
      {"a\\", std::nullopt},          // dangling backslash
      {"\\065", bytes({1, 'a', 0})},  // lowercased even when escaped
  };
  for (const auto& c : cases) {
    INFO("text: " << c.text);
    CHECK(wire_from_text(c.text) == c.wire);
  }
}

TEST_CASE("wire_from_text: label and name length limits", "[name]") {
  std::string label63(63, 'a');
  CHECK(wire_from_text(label63).has_value());
  CHECK_FALSE(wire_from_text(label63 + "a").has_value());
  // 4 labels of 63 = 4 * 64 + 1 = 257 octets: too long; 3 labels of 63 + one of 61 = 255.
  std::string name = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');
  REQUIRE(wire_from_text(name).has_value());
  CHECK(wire_from_text(name)->size() == 255);
  CHECK_FALSE(wire_from_text(name + "b").has_value());
}

TEST_CASE("text_from_wire: escapes everything outside [A-Za-z0-9_-]", "[name]") {
  struct Case {
    std::vector<uint8_t> wire;
    const char* text;
  };
  const std::vector<Case> cases = {
      {bytes({1, 'a', 1, 'b', 0}), "a.b"},
      {bytes({0}), ""},
      {bytes({3, 'a', '.', 'b', 0}), "a\\.b"},
      {bytes({2, 'A', '_', 1, '-', 0}), "A_.-"},
      {bytes({3, 'a', '\n', ' ', 0}), "a\\010\\032"},
      {bytes({1, 0, 0}), "\\000"},
      {bytes({2, 0xc3, 0xa9, 0}), "\\195\\169"},
      {bytes({1, '\\', 0}), "\\092"},
      {bytes({1, 'a'}), "<malformed>"},     // no root
      {bytes({2, 'a', 0}), "<malformed>"},  // label runs into the root
      {bytes({0xc0, 0x0c}), "<malformed>"},
      {bytes({}), "<malformed>"},
  };
  for (const auto& c : cases) {
    INFO("expected: " << c.text);
    CHECK(text_from_wire(c.wire) == c.text);
  }
}

TEST_CASE("text and wire forms round-trip", "[name]") {
  for (const char* text : {"a.b", "x\\.y.z", "\\000.\\255", "cheap-pills.example", "a_b.c-d"}) {
    auto w = wire_from_text(text);
    REQUIRE(w.has_value());
    CHECK(text_from_wire(*w) == text);
  }
}

TEST_CASE("count_labels", "[name]") {
  CHECK(count_labels(bytes({0})) == 0u);
  CHECK(count_labels(bytes({1, 'a', 1, 'b', 0})) == 2u);
  CHECK_FALSE(count_labels(bytes({1, 'a', 1, 'b'})).has_value());
  CHECK_FALSE(count_labels(bytes({})).has_value());
  CHECK_FALSE(count_labels(bytes({64})).has_value());
  std::vector<uint8_t> too_long;
  for (int i = 0; i < 128; ++i)
    too_long.insert(too_long.end(), {1, 'a'});
  too_long.push_back(0);  // 257 octets
  CHECK_FALSE(count_labels(too_long).has_value());
  too_long.erase(too_long.begin(), too_long.begin() + 2);  // 255 octets
  CHECK(count_labels(too_long) == 127u);
}
