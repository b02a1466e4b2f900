#include "pangea/telemetry/top_entries.h"

#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <string>
#include <utility>

using pangea::telemetry::TopEntries;

namespace {

using Key = std::pair<size_t, std::string>;

std::span<const uint8_t> octets(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Feeds `stream` to a summary of `capacity` counters, hashing with `hash`, and
// checks the Space-Saving guarantees against the true counts.
template <typename Hash>
void check_against_truth(const std::vector<Key>& stream, size_t capacity, Hash hash) {
  TopEntries top(capacity);
  std::map<Key, uint64_t> truth;
  for (const auto& [list, entry] : stream) {
    top.add(list, octets(entry), hash(entry));
    ++truth[{list, entry}];
  }
  const auto& counters = top.counters();
  REQUIRE(counters.size() == std::min(capacity, truth.size()));
  uint64_t total = 0;
  uint64_t least = UINT64_MAX;
  std::map<Key, uint64_t> reported;
  for (const auto& c : counters) {
    const Key key{c.list, std::string(c.entry().begin(), c.entry().end())};
    INFO(key.second);
    CHECK(reported.emplace(key, c.hits).second);  // each entry once
    CHECK(c.hash == hash(key.second));
    total += c.hits;
    least = std::min(least, c.hits);
  }
  CHECK(total == stream.size());  // every hit is in some counter
  for (const auto& [key, hits] : reported) {
    INFO(key.second);
    CHECK(hits >= truth[key]);          // never under
    CHECK(hits - truth[key] <= least);  // over by at most the least count
  }
  for (const auto& [key, hits] : truth) {
    if (hits > stream.size() / capacity) {  // a heavy hitter is always kept
      INFO(key.second);
      CHECK(reported.count(key) == 1);
    }
  }
}

std::vector<Key> skewed_stream(size_t length, size_t distinct, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Key> stream;
  for (size_t i = 0; i < length; ++i) {
    // Squaring a uniform draw favours the low names: a few heavy hitters, a long tail.
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    const auto n = static_cast<size_t>(u * u * static_cast<double>(distinct));
    stream.push_back({n % 3 == 0 ? 1 : 0, "name" + std::to_string(n) + ".example"});
  }
  return stream;
}

}  // namespace

TEST_CASE("top entries: counts and bounds of the Space-Saving summary", "[counters]") {
  const auto std_hash = [](const std::string& s) { return std::hash<std::string>{}(s); };
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    check_against_truth(skewed_stream(20000, 2000, seed), 64, std_hash);
    check_against_truth(skewed_stream(5000, 30, seed), 64, std_hash);  // never full
    check_against_truth(skewed_stream(3000, 500, seed), 1, std_hash);
  }
}

TEST_CASE("top entries: colliding hashes and long runs of replacements", "[counters]") {
  // Every entry on one probe path: finding, erasing and rebuilding the table
  // must still tell them apart by list and octets.
  check_against_truth(skewed_stream(20000, 3000, 7), 16, [](const std::string&) { return 42u; });
  const auto few = [](const std::string& s) { return std::hash<std::string>{}(s) % 5; };
  check_against_truth(skewed_stream(20000, 3000, 8), 16, few);
}

TEST_CASE("top entries: an entry no wire name can be is not counted", "[counters]") {
  TopEntries top(4);
  const std::string longest(TopEntries::kMaxEntry, 'a');
  top.add(0, octets(longest + "a"), 1);
  top.add(0, {}, 1);
  CHECK(top.counters().empty());
  top.add(0, octets(longest), 1);
  REQUIRE(top.counters().size() == 1);
  CHECK(top.counters()[0].entry().size() == TopEntries::kMaxEntry);
}

TEST_CASE("top entries: the same name in two lists is two entries", "[counters]") {
  TopEntries top(4);
  const std::string name = "shop.example";
  top.add(0, octets(name), 1);
  top.add(1, octets(name), 1);
  top.add(1, octets(name), 1);
  REQUIRE(top.counters().size() == 2);
  std::map<size_t, uint64_t> hits;
  for (const auto& c : top.counters())
    hits[c.list] = c.hits;
  CHECK(hits == std::map<size_t, uint64_t>{{0, 1}, {1, 2}});
}
