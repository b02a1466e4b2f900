#include "tokens.h"

#include <algorithm>
#include <unordered_map>

#include "format.h"

namespace pangea::trie::format {
namespace {

constexpr size_t kGenerations = 5;
// Learning looks at about this many octets (every n-th segment): enough to find
// the recurring words, and it keeps compile time flat for big lists.
constexpr size_t kSampleOctets = 1u << 20;
// A token must be used at least this often in the whole list (estimated from the
// sample) to pay for its entry in the tokens section and its code lengths.
constexpr uint64_t kMinUses = 48;

size_t bucket_of(uint8_t a, uint8_t b) {
  return (size_t{a} << 8) | b;
}

}  // namespace

TokenTable::TokenTable(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {
  index();
}

void TokenTable::index() {
  single_.fill(-1);
  std::vector<uint32_t> count(65536 + 1, 0);
  for (size_t id = 0; id < tokens_.size(); ++id) {
    const std::string& t = tokens_[id];
    if (t.size() == 1) {
      single_[static_cast<uint8_t>(t[0])] = static_cast<int32_t>(id);
    } else if (t.size() > 1) {
      count[bucket_of(static_cast<uint8_t>(t[0]), static_cast<uint8_t>(t[1])) + 1]++;
    }
  }
  for (size_t b = 0; b < 65536; ++b)
    count[b + 1] += count[b];
  bucket_start_ = count;
  bucket_.assign(bucket_start_.back(), 0);
  std::vector<uint32_t> fill(bucket_start_.begin(), bucket_start_.end() - 1);
  for (size_t id = 0; id < tokens_.size(); ++id) {
    const std::string& t = tokens_[id];
    if (t.size() > 1)
      bucket_[fill[bucket_of(static_cast<uint8_t>(t[0]), static_cast<uint8_t>(t[1]))]++] =
          static_cast<uint16_t>(id);
  }
  for (size_t b = 0; b < 65536; ++b) {
    std::stable_sort(bucket_.begin() + bucket_start_[b], bucket_.begin() + bucket_start_[b + 1],
                     [&](uint16_t x, uint16_t y) { return tokens_[x].size() > tokens_[y].size(); });
  }
}

void TokenTable::tokenize(std::string_view segment, std::vector<uint16_t>& out) const {
  size_t pos = 0;
  while (pos < segment.size()) {
    const size_t rem = segment.size() - pos;
    int32_t id = -1;
    size_t len = 1;
    if (rem >= 2) {
      size_t b =
          bucket_of(static_cast<uint8_t>(segment[pos]), static_cast<uint8_t>(segment[pos + 1]));
      for (uint32_t i = bucket_start_[b]; i < bucket_start_[b + 1]; ++i) {
        const std::string& t = tokens_[bucket_[i]];
        if (t.size() <= rem && segment.compare(pos, t.size(), t) == 0) {
          id = bucket_[i];
          len = t.size();
          break;
        }
      }
    }
    if (id < 0)
      id = single_[static_cast<uint8_t>(segment[pos])];
    out.push_back(static_cast<uint16_t>(id));
    pos += len;
  }
}

TokenTable TokenTable::learn(std::span<const std::string_view> segments, size_t max_tokens) {
  // Every octet that occurs needs a one-octet token.
  std::array<uint64_t, 256> octets{};
  size_t total = 0;
  for (std::string_view s : segments) {
    for (char c : s)
      octets[static_cast<uint8_t>(c)]++;
    total += s.size();
  }
  std::vector<std::string> singles;
  for (size_t c = 0; c < 256; ++c) {
    if (octets[c] != 0)
      singles.emplace_back(1, static_cast<char>(c));
  }
  const size_t stride = std::max<size_t>(1, total / kSampleOctets);
  const uint64_t min_uses = (kMinUses + stride - 1) / stride;  // in the sample
  const size_t max_multi = max_tokens > singles.size() ? max_tokens - singles.size() : 0;

  TokenTable table(singles);
  std::vector<uint16_t> ids;
  for (size_t generation = 0; generation < kGenerations && max_multi > 0; ++generation) {
    // Count how often each token and each adjacent pair is used when splitting
    // the sample with the current table; a pair that fits becomes a candidate.
    std::vector<uint64_t> used(table.size(), 0);
    std::unordered_map<uint32_t, uint64_t> pairs;
    for (size_t i = 0; i < segments.size(); i += stride) {
      ids.clear();
      table.tokenize(segments[i], ids);
      for (size_t k = 0; k < ids.size(); ++k) {
        used[ids[k]]++;
        if (k > 0 && table.token(ids[k - 1]).size() + table.token(ids[k]).size() <= kMaxTokenLength)
          pairs[(uint32_t{ids[k - 1]} << 16) | ids[k]]++;
      }
    }
    // Gain: octets a candidate would cover (FSST's count x length).
    std::unordered_map<std::string, uint64_t> gain;
    for (size_t id = 0; id < table.size(); ++id) {
      if (table.token(id).size() > 1 && used[id] > 0)
        gain[table.token(id)] += used[id] * table.token(id).size();
    }
    for (const auto& [pair, count] : pairs) {
      std::string joined = table.token(pair >> 16) + table.token(pair & 0xffff);
      gain[joined] += count * joined.size();
    }
    std::vector<std::pair<uint64_t, std::string>> ranked;
    for (auto& [token, g] : gain) {
      if (g >= min_uses * token.size())
        ranked.emplace_back(g, token);
    }
    const size_t keep = std::min(max_multi, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep),
                      ranked.end(), [](const auto& a, const auto& b) {
                        return a.first != b.first ? a.first > b.first : a.second < b.second;
                      });
    std::vector<std::string> next = singles;
    for (size_t r = 0; r < keep; ++r)
      next.push_back(std::move(ranked[r].second));
    table = TokenTable(std::move(next));
  }
  return table;
}

}  // namespace pangea::trie::format
