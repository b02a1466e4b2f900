#include "key.h"

#include <array>

#include <catch2/catch.hpp>

using namespace pangea::trie::format;

TEST_CASE("key_from_name: reversed, length-prefixed labels", "[key]") {
  struct Case {
    const char* name;
    bool valid;
    std::string key;
  };
  const std::vector<Case> cases = {
      {"shop.example", true, std::string("\7example\4shop")},
      {"example", true, std::string("\7example")},
      {"a-b_c.d0", true, std::string("\2d0\5a-b_c")},
      {"Shop.example", false, ""},  // not normalised: uppercase
      {"shop.example.", false, ""},
      {".example", false, ""},
      {"a..b", false, ""},
      {"", false, ""},
      {"a*.b", false, ""},
      {"caf\xc3\xa9.fr", false, ""},
  };
  for (const auto& c : cases) {
    INFO("name: " << c.name);
    std::string key;
    REQUIRE(key_from_name(c.name, key) == c.valid);
    if (c.valid) {
      CHECK(key == c.key);
      CHECK(name_from_key({reinterpret_cast<const uint8_t*>(key.data()), key.size()}) == c.name);
    }
  }
  std::string key;
  CHECK(key_from_name(std::string(63, 'a'), key));
  CHECK_FALSE(key_from_name(std::string(64, 'a'), key));
}

TEST_CASE("key_from_wire: lowercases and counts labels per prefix", "[key]") {
  const uint8_t wire[] = {3, 'W', 'w', 'W', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0};
  std::array<uint8_t, kMaxKey + 1> key{};
  std::array<uint8_t, kMaxKey + 1> labels{};
  int len = key_from_wire(wire, key.data(), labels.data());
  REQUIRE(len == 12);
  CHECK(std::string(key.begin(), key.begin() + len) == std::string("\7example\3www"));
  CHECK(labels[8] == 1);
  CHECK(labels[12] == 2);
  const uint8_t root[] = {0};
  CHECK(key_from_wire(root, key.data(), labels.data()) == 0);
  const uint8_t no_root[] = {1, 'a'};
  CHECK(key_from_wire(no_root, key.data(), labels.data()) == -1);
}

TEST_CASE("key order: an ancestor's key is a prefix, and the index prefix is monotone", "[key]") {
  std::string a, b, c;
  REQUIRE(key_from_name("example", a));
  REQUIRE(key_from_name("shop.example", b));
  REQUIRE(key_from_name("example2", c));
  CHECK(b.compare(0, a.size(), a) == 0);
  CHECK(c.compare(0, a.size(), a) != 0);
  auto prefix = [](const std::string& k) {
    return key_prefix(reinterpret_cast<const uint8_t*>(k.data()), k.size());
  };
  CHECK(prefix(a) <= prefix(b));
  std::string shorter("\1a"), zero_label("\1a\1\0", 4);
  CHECK(shorter < zero_label);
  CHECK(prefix(shorter) <= prefix(zero_label));
}
