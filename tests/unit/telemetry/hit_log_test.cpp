#include "pangea/telemetry/hit_log.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "temp_dir.h"

using namespace pangea::telemetry;

namespace {

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("hit log writes every submitted line once, in order", "[hit_log]") {
  TempDir dir;
  const auto path = dir.file("hits.log");
  {
    HitLog log({path, 1000, 64});
    for (int i = 0; i < 50; ++i)
      REQUIRE(log.submit("line " + std::to_string(i)));
  }
  auto lines = read_lines(path);
  REQUIRE(lines.size() == 50);
  CHECK(lines.front() == "line 0");
  CHECK(lines.back() == "line 49");
}

TEST_CASE("hit log drops and counts lines over the rate limit", "[hit_log]") {
  TempDir dir;
  const auto path = dir.file("hits.log");
  HitLogCounters counters;
  {
    HitLog log({path, 10, 1000});
    int accepted = 0;
    for (int i = 0; i < 100; ++i)
      accepted += log.submit("x") ? 1 : 0;
    // A second boundary may fall inside the loop: at most two windows' worth.
    CHECK(accepted >= 10);
    CHECK(accepted <= 20);
    counters = log.counters();
    CHECK(counters.dropped_rate == static_cast<uint64_t>(100 - accepted));
  }
  CHECK(read_lines(path).size() + counters.dropped_rate == 100);
}

TEST_CASE("a rate of 0 means no limit", "[hit_log]") {
  TempDir dir;
  HitLog log({dir.file("hits.log"), 0, 5000});
  int accepted = 0;
  for (int i = 0; i < 3000; ++i)
    accepted += log.submit("z") ? 1 : 0;
  CHECK(accepted == 3000);
  CHECK(log.counters().dropped_rate == 0);
}

TEST_CASE("hit log counts lines dropped when the queue is full", "[hit_log]") {
  TempDir dir;
  HitLog log({dir.file("hits.log"), 1'000'000, 1});
  uint64_t rejected = 0;
  for (int i = 0; i < 10000; ++i)
    rejected += log.submit("y") ? 0 : 1;
  CHECK(log.counters().dropped_queue == rejected);
  CHECK(log.counters().dropped_rate == 0);
}

TEST_CASE("hit log truncates long lines at a UTF-8 boundary", "[hit_log]") {
  TempDir dir;
  const auto path = dir.file("hits.log");
  {
    HitLog log({path, 1000, 4});
    std::string longline;
    while (longline.size() < 2 * HitLog::kMaxLine)
      longline += "\xc3\xa9";  // é
    REQUIRE(log.submit(longline));
  }
  auto lines = read_lines(path);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].size() < HitLog::kMaxLine);
  CHECK(lines[0].size() % 2 == 0);  // never half a two-byte sequence
}

TEST_CASE("hit log follows a rotated file", "[hit_log]") {
  TempDir dir;
  const auto path = dir.file("hits.log");
  HitLog log({path, 1000, 16});
  REQUIRE(log.submit("before"));
  for (int i = 0; i < 100 && read_lines(path).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(std::rename(path.c_str(), dir.file("hits.log.1").c_str()) == 0);
  // The writer checks for rotation about once a second; keep submitting until
  // a line lands in the new file (bounded).
  for (int i = 0; i < 150 && read_lines(path).empty(); ++i) {
    log.submit("after");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(read_lines(dir.file("hits.log.1")).front() == "before");
  CHECK_FALSE(read_lines(path).empty());
}

TEST_CASE("hit log reports an unopenable path", "[hit_log]") {
  CHECK_THROWS_WITH(HitLog({"/nonexistent-dir/hits.log", 1, 1}),
                    Catch::Contains("/nonexistent-dir/hits.log"));
}

TEST_CASE("line buffer escapes JSON strings", "[hit_log]") {
  const struct {
    std::string input;
    std::string expected;
  } cases[] = {
      {"plain.example", "\"plain.example\""},
      {"quo\"te", "\"quo\\\"te\""},
      {"back\\slash", "\"back\\\\slash\""},
      {std::string("new\nline", 8), "\"new\\u000aline\""},
      {std::string("nul\0x", 5), "\"nul\\u0000x\""},
  };
  for (const auto& c : cases) {
    LineBuffer line;
    line.json_string(c.input);
    CHECK(line.view() == c.expected);
  }
}

TEST_CASE("line buffer formats numbers and stops at its capacity", "[hit_log]") {
  LineBuffer line;
  line.number(0).raw(" ").number(18446744073709551615ULL);
  CHECK(line.view() == "0 18446744073709551615");
  LineBuffer full;
  for (int i = 0; i < 2000; ++i)
    full.raw("ab");
  CHECK(full.view().size() == HitLog::kMaxLine);
}
