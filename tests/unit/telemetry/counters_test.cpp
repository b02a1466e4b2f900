#include "pangea/telemetry/counters.h"

#include "pangea/trie/name.h"

#include <catch2/catch.hpp>

#include <thread>
#include <vector>

using namespace pangea::telemetry;
using pangea::trie::Action;

namespace {

std::vector<uint8_t> wire(const std::string& name) {
  return *pangea::trie::wire_from_text(name);
}

}  // namespace

TEST_CASE("counters count per list and action", "[counters]") {
  Counters counters({"fr", "de"});
  counters.count(0, Action::nxdomain);
  counters.count(0, Action::nxdomain);
  counters.count(1, Action::redirect);
  counters.count(7, Action::redirect);  // out of range: ignored
  auto snap = counters.read();
  REQUIRE(snap.lists == std::vector<std::string>{"fr", "de"});
  CHECK(snap.hits[0][static_cast<size_t>(Action::nxdomain)] == 2);
  CHECK(snap.hits[0][static_cast<size_t>(Action::redirect)] == 0);
  CHECK(snap.hits[1][static_cast<size_t>(Action::redirect)] == 1);
}

TEST_CASE("counters are exact under concurrent workers", "[counters]") {
  Counters counters({"fr"});
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < 10000; ++i)
        counters.count(0, Action::nodata);
    });
  }
  for (auto& w : workers)
    w.join();
  CHECK(counters.read().hits[0][static_cast<size_t>(Action::nodata)] == 40000);
}

TEST_CASE("every entry hit is counted in the top entries or as skipped, under concurrent workers",
          "[counters]") {
  Counters counters({"fr", "de"});  // 64 counters for 100 names: entries replace each other
  std::vector<std::vector<uint8_t>> names;
  for (int i = 0; i < 100; ++i)
    names.push_back(wire("name" + std::to_string(i) + ".example"));
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i)
        counters.count_entry(static_cast<size_t>(t % 2),
                             names[static_cast<size_t>(i * 7 + t) % 100]);
    });
  }
  for (auto& w : workers)
    w.join();
  const auto snap = counters.read();
  uint64_t counted = 0;
  for (const auto& entry : snap.top)
    counted += entry.hits;
  CHECK(snap.top.size() == 64);
  CHECK(counted + snap.top_skipped == 40000);
}

TEST_CASE("top entries keep the heavy hitters", "[counters]") {
  Counters counters({"fr"}, 4);
  for (int i = 0; i < 100; ++i)
    counters.count_entry(0, wire("heavy.example"));
  for (int i = 0; i < 50; ++i)
    counters.count_entry(0, wire("second.example"));
  for (int i = 0; i < 30; ++i)
    counters.count_entry(0, wire("noise" + std::to_string(i) + ".example"));
  auto top = counters.read().top;
  REQUIRE(top.size() == 4);
  CHECK(top[0].entry == "heavy.example");
  CHECK(top[0].hits == 100);
  CHECK(top[1].entry == "second.example");
  CHECK(top[1].list == "fr");
}
