#include "huffman.h"

#include <algorithm>
#include <queue>

namespace pangea::trie::format {
namespace {

// Plain Huffman lengths (may exceed the limit).
std::vector<uint8_t> unlimited_lengths(std::span<const uint64_t> freqs) {
  std::vector<uint8_t> lengths(freqs.size(), 0);
  struct Node {
    uint64_t weight;
    int left, right;  // -1 for leaves
  };
  std::vector<Node> nodes;
  using Item = std::pair<uint64_t, int>;  // weight, node index; ties by index: deterministic
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  std::vector<int> leaf_symbol;
  for (size_t s = 0; s < freqs.size(); ++s) {
    if (freqs[s] == 0)
      continue;
    nodes.push_back({freqs[s], -1, -1});
    leaf_symbol.push_back(static_cast<int>(s));
    heap.push({freqs[s], static_cast<int>(nodes.size() - 1)});
  }
  if (nodes.empty())
    return lengths;
  if (nodes.size() == 1) {
    lengths[leaf_symbol[0]] = 1;
    return lengths;
  }
  while (heap.size() > 1) {
    auto [wa, a] = heap.top();
    heap.pop();
    auto [wb, b] = heap.top();
    heap.pop();
    nodes.push_back({wa + wb, a, b});
    heap.push({wa + wb, static_cast<int>(nodes.size() - 1)});
  }
  // Depth-first walk from the root (the last node).
  std::vector<std::pair<int, uint8_t>> stack{{static_cast<int>(nodes.size() - 1), 0}};
  while (!stack.empty()) {
    auto [n, depth] = stack.back();
    stack.pop_back();
    if (nodes[n].left < 0) {
      lengths[leaf_symbol[n]] = std::min<uint8_t>(depth, 255);
    } else {
      stack.push_back({nodes[n].left, static_cast<uint8_t>(depth + 1)});
      stack.push_back({nodes[n].right, static_cast<uint8_t>(depth + 1)});
    }
  }
  return lengths;
}

}  // namespace

std::vector<uint8_t> code_lengths(std::span<const uint64_t> freqs) {
  std::vector<uint64_t> scaled(freqs.begin(), freqs.end());
  for (;;) {
    auto lengths = unlimited_lengths(scaled);
    if (lengths.empty() || *std::max_element(lengths.begin(), lengths.end()) <= kMaxCodeLength)
      return lengths;
    // Flatten the distribution and retry; converges since equal weights give
    // lengths of ceil(log2(used symbols)) <= 12 for our alphabets (kMaxTokens).
    for (auto& f : scaled) {
      if (f != 0)
        f = (f >> 1) | 1;
    }
  }
}

bool valid_code_lengths(std::span<const uint8_t> lengths, std::string& error) {
  uint64_t kraft = 0;
  size_t used = 0;
  for (uint8_t len : lengths) {
    if (len > kMaxCodeLength) {
      error = "code length " + std::to_string(len) + " over the limit";
      return false;
    }
    if (len == 0)
      continue;
    ++used;
    kraft += uint64_t{1} << (kMaxCodeLength - len);
  }
  if (used == 0)
    return true;
  if (used == 1) {
    if (kraft != (uint64_t{1} << (kMaxCodeLength - 1))) {
      error = "lone symbol must have code length 1";
      return false;
    }
    return true;
  }
  if (kraft != (uint64_t{1} << kMaxCodeLength)) {
    error = "code lengths do not form a complete prefix code";
    return false;
  }
  return true;
}

namespace {

// Canonical codes (MSB-first values), 0 for unused symbols.
std::vector<uint16_t> canonical(std::span<const uint8_t> lengths) {
  std::array<uint16_t, kMaxCodeLength + 2> count{};
  for (uint8_t len : lengths)
    ++count[len];
  count[0] = 0;
  std::array<uint16_t, kMaxCodeLength + 2> next{};
  uint16_t code = 0;
  for (unsigned bits = 1; bits <= kMaxCodeLength; ++bits) {
    code = static_cast<uint16_t>((code + count[bits - 1]) << 1);
    next[bits] = code;
  }
  std::vector<uint16_t> codes(lengths.size(), 0);
  for (size_t s = 0; s < lengths.size(); ++s) {
    if (lengths[s] != 0)
      codes[s] = next[lengths[s]]++;
  }
  return codes;
}

uint16_t reverse_bits(uint16_t v, unsigned n) {
  uint16_t r = 0;
  for (unsigned i = 0; i < n; ++i)
    r = static_cast<uint16_t>((r << 1) | ((v >> i) & 1));
  return r;
}

size_t used_symbols(std::span<const uint8_t> lengths) {
  return static_cast<size_t>(
      std::count_if(lengths.begin(), lengths.end(), [](uint8_t l) { return l != 0; }));
}

}  // namespace

Encoder::Encoder(std::span<const uint8_t> lengths) : code(lengths.size()), length(lengths.size()) {
  auto codes = canonical(lengths);
  bool lone = used_symbols(lengths) == 1;
  for (size_t s = 0; s < lengths.size(); ++s) {
    if (lengths[s] == 0)
      continue;
    length[s] = lone ? 0 : lengths[s];
    code[s] = lone ? 0 : reverse_bits(codes[s], lengths[s]);
  }
}

namespace {

// Calls visit(symbol, length, code) for every used symbol, the code bit-reversed
// (LSB-first, as read); a lone symbol is coded in zero bits: length 0, code 0.
// A decoding table then maps every index whose low `length` bits are `code`.
template <typename Visit>
void for_each_code(std::span<const uint8_t> lengths, Visit&& visit) {
  const size_t used = used_symbols(lengths);
  if (used == 0)
    return;
  if (used == 1) {
    for (size_t s = 0; s < lengths.size(); ++s) {
      if (lengths[s] != 0)
        visit(s, 0u, uint32_t{0});
    }
    return;
  }
  const auto codes = canonical(lengths);
  for (size_t s = 0; s < lengths.size(); ++s) {
    if (lengths[s] != 0)
      visit(s, unsigned{lengths[s]}, uint32_t{reverse_bits(codes[s], lengths[s])});
  }
}

}  // namespace

void Decoder::init(std::span<const uint8_t> lengths) {
  table_.fill(static_cast<uint16_t>(kInvalid << 9));
  fast_.fill(static_cast<uint16_t>(kSlow << 9));
  for_each_code(lengths, [&](size_t s, unsigned len, uint32_t code) {
    const auto e = static_cast<uint16_t>(s | (len << 9));
    for (uint32_t fill = code; fill < table_.size(); fill += 1u << len)
      table_[fill] = e;
    if (len <= kFastBits) {
      for (uint32_t fill = code; fill < fast_.size(); fill += 1u << len)
        fast_[fill] = e;
    }
  });
}

void TokenDecoder::init(std::span<const uint8_t> lengths, std::span<const uint8_t> token_lengths,
                        std::span<const uint8_t> next_context) {
  table_.fill(kInvalid << 12);
  for_each_code(lengths, [&](size_t s, unsigned len, uint32_t code) {
    const auto e = static_cast<uint32_t>(s | (len << 12) | (uint32_t{token_lengths[s]} << 16) |
                                         (uint32_t{next_context[s]} << 24));
    for (uint32_t fill = code; fill < table_.size(); fill += 1u << len)
      table_[fill] = e;
  });
}

}  // namespace pangea::trie::format
