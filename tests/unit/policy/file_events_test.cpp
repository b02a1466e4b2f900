#include "file_events.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "support.h"

using namespace pangea::policy;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

struct Waited {
  bool woke;
  milliseconds took;
};

// Runs events.wait(timeout) while `act` runs on another thread 50 ms in.
template <typename Act>
Waited wait_during(FileEvents& events, milliseconds timeout, Act act) {
  std::thread actor([&] {
    std::this_thread::sleep_for(milliseconds(50));
    act();
  });
  const auto start = Clock::now();
  const bool woke = events.wait(timeout);
  const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  actor.join();
  return {woke, took};
}

}  // namespace

TEST_CASE("a watched file renamed into place ends the wait at once", "[file-events]") {
  test::TempDir dir;
  const std::string file = dir.file("main.pbl");
  FileEvents events({file});
  REQUIRE(events.watching());
  // replace_file writes main.pbl.tmp (another name: no wake-up), then renames.
  const Waited waited = wait_during(events, milliseconds(20000), [&] {
    test::replace_file(file, {1, 2, 3});
  });
  CHECK(waited.woke);
  CHECK(waited.took < milliseconds(5000));  // not the 20 s timeout
}

TEST_CASE("a watched file rewritten in place ends the wait when it is closed", "[file-events]") {
  test::TempDir dir;
  const std::string file = dir.file("main.pbl");
  test::write_text(file, "old");
  FileEvents events({file});
  const Waited waited = wait_during(events, milliseconds(20000), [&] {
    std::ofstream out(file, std::ios::trunc);
    out << "new";
  });
  CHECK(waited.woke);
  CHECK(waited.took < milliseconds(5000));
}

TEST_CASE("other files in the directory do not end the wait", "[file-events]") {
  test::TempDir dir;
  FileEvents events({dir.file("main.pbl")});
  const Waited waited = wait_during(events, milliseconds(400), [&] {
    test::replace_file(dir.file("other.pbl"), {1});
    test::write_text(dir.file("main.pbl.partial"), "x");
  });
  CHECK(waited.woke);                       // the timeout: poll as usual
  CHECK(waited.took >= milliseconds(390));  // not woken early
}

TEST_CASE("stop ends a wait at once and every later one", "[file-events]") {
  test::TempDir dir;
  FileEvents events({dir.file("main.pbl")});
  const Waited waited = wait_during(events, milliseconds(20000), [&] { events.stop(); });
  CHECK_FALSE(waited.woke);
  CHECK(waited.took < milliseconds(5000));
  CHECK_FALSE(events.wait(milliseconds(20000)));
}

TEST_CASE("a file in a missing directory is only polled", "[file-events]") {
  test::TempDir dir;
  FileEvents events({dir.file("nowhere/main.pbl")});
  CHECK_FALSE(events.watching());
  const auto start = Clock::now();
  CHECK(events.wait(milliseconds(100)));  // a plain timed wait
  CHECK(Clock::now() - start >= milliseconds(95));
}
