#pragma once
// Internal (builder side): the token dictionary of format version 2. Label octets
// are coded as tokens, strings of 1 to kMaxTokenLength octets learnt from the list
// itself (like FSST's symbol tables), so that a key decodes in a few table
// look-ups instead of one per octet and recurring words cost one short code.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pangea::trie::format {

class TokenTable {
 public:
  // Learns at most `max_tokens` tokens from `segments` (the runs of label octets
  // the blocks will code). Every octet that occurs in a segment gets a one-octet
  // token, so tokenize() can split any of them.
  static TokenTable learn(std::span<const std::string_view> segments, size_t max_tokens);

  // Builds a table from explicit tokens (tests).
  explicit TokenTable(std::vector<std::string> tokens);
  TokenTable() = default;

  // Appends the ids of a greedy longest-match split of `segment`. Every octet of
  // `segment` must have a one-octet token.
  void tokenize(std::string_view segment, std::vector<uint16_t>& out) const;

  size_t size() const { return tokens_.size(); }
  const std::string& token(size_t id) const { return tokens_[id]; }

 private:
  void index();

  std::vector<std::string> tokens_;
  // Multi-octet tokens by their first two octets (CSR), longest first.
  std::vector<uint32_t> bucket_start_;
  std::vector<uint16_t> bucket_;
  std::array<int32_t, 256> single_{};
};

}  // namespace pangea::trie::format
