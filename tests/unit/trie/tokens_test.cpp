#include "tokens.h"

#include <random>

#include <catch2/catch.hpp>

#include "huffman.h"

using namespace pangea::trie::format;

namespace {

std::string joined(const TokenTable& table, const std::vector<uint16_t>& ids) {
  std::string out;
  for (uint16_t id : ids)
    out += table.token(id);
  return out;
}

}  // namespace

TEST_CASE("tokens: tokenize takes the longest token that fits", "[tokens]") {
  TokenTable table({"p", "h", "a", "r", "m", "c", "y", "ph", "pharm", "pharmacy", "ar"});
  std::vector<uint16_t> ids;
  table.tokenize("pharmacy", ids);
  CHECK(ids == std::vector<uint16_t>{9});
  ids.clear();
  table.tokenize("pharmar", ids);  // "pharmacy" does not fit: "pharm", then "ar"
  CHECK(ids == std::vector<uint16_t>{8, 10});
  ids.clear();
  table.tokenize("y", ids);
  CHECK(ids == std::vector<uint16_t>{6});
}

TEST_CASE("tokens: learnt tables cover every octet and split losslessly", "[tokens]") {
  std::mt19937 rng(7);
  const char* words[] = {"cheap", "pills", "pharmacy", "rx", "online", "viagra", "-", "24"};
  std::vector<std::string> storage;
  for (int i = 0; i < 5000; ++i) {
    std::string s;
    for (int w = 0; w < 3; ++w)
      s += words[rng() % 8];
    s.push_back(static_cast<char>('a' + rng() % 26));  // a random tail octet
    storage.push_back(s);
  }
  std::vector<std::string_view> segments(storage.begin(), storage.end());
  const TokenTable table = TokenTable::learn(segments, 64);
  CHECK(table.size() <= 64 + 26 + 20);  // singles are always added
  bool has_word = false;
  for (size_t id = 0; id < table.size(); ++id) {
    CHECK(!table.token(id).empty());
    CHECK(table.token(id).size() <= kMaxTokenLength);
    has_word = has_word || table.token(id) == "pharmacy";
  }
  CHECK(has_word);  // a recurring word becomes one token
  size_t tokens = 0, octets = 0;
  for (std::string_view s : segments) {
    std::vector<uint16_t> ids;
    table.tokenize(s, ids);
    CHECK(joined(table, ids) == s);
    tokens += ids.size();
    octets += s.size();
  }
  CHECK(tokens * 3 < octets);  // words, not octets
  // Deterministic: the same input learns the same table.
  const TokenTable again = TokenTable::learn(segments, 64);
  REQUIRE(again.size() == table.size());
  for (size_t id = 0; id < table.size(); ++id)
    CHECK(again.token(id) == table.token(id));
}

TEST_CASE("tokens: the token decoder returns symbol, length and next context", "[tokens]") {
  const std::vector<uint8_t> lengths = {1, 2, 2};
  const std::vector<uint8_t> token_lengths = {3, 1, 16};
  const std::vector<uint8_t> next = {1, 2, 3};
  TokenDecoder dec;
  dec.init(lengths, token_lengths, next);
  Encoder enc(lengths);
  BitWriter out;
  for (size_t s : {2u, 0u, 1u})
    out.put(enc.code[s], enc.length[s]);
  out.flush();
  BitReader in(out.bytes());
  CHECK(dec.decode(in) == (2 | 16 << 16 | 3 << 24));
  CHECK(dec.decode(in) == (0 | 3 << 16 | 1 << 24));
  CHECK(dec.decode(in) == (1 | 1 << 16 | 2 << 24));
  CHECK_FALSE(in.overrun());
}
