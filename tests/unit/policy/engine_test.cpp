#include "pangea/policy/engine.h"

#include <catch2/catch.hpp>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "pangea/trie/signature.h"
#include "support.h"

using namespace pangea::policy;
using pangea::trie::Action;
namespace trie = pangea::trie;

namespace {

// Collects log lines from any thread.
class Log {
 public:
  Logger logger() {
    return [this](Level level, const std::string& message) {
      std::lock_guard lock(mutex_);
      lines_.push_back(std::string(to_string(level)) + ": " + message);
    };
  }
  bool contains(const std::string& text) const {
    std::lock_guard lock(mutex_);
    for (const auto& line : lines_) {
      if (line.find(text) != std::string::npos)
        return true;
    }
    return false;
  }
  std::string all() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& line : lines_)
      out += line + "\n";
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

struct World {
  test::TempDir dir;
  Log log;

  std::string list_path(const std::string& name) const { return dir.file(name + ".pbl"); }

  void write_list(const std::string& name, const std::vector<trie::Entry>& entries,
                  uint64_t serial) {
    test::replace_file(list_path(name), test::build_list(entries, serial));
  }

  Config config(const std::string& lists_yaml, const std::string& extra = "") {
    const std::string path = dir.file("pangea.yaml");
    test::write_text(path,
                     "version: 1\nreload: { interval_ms: 0 }\n" + extra + "lists:\n" + lists_yaml);
    return load_config(path);
  }
};

std::string verdict(const Engine& engine, const char* name) {
  const auto snapshot = engine.snapshot();
  const auto qname = test::wire(name);
  const Decision d = snapshot->decide(qname, 1, Client(), snapshot->now());
  return d.matched() ? std::string(trie::to_string(d.action)) : "none";
}

const char* kOneList = "  - { name: main, file: main.pbl, action: nxdomain }\n";

// Waits up to 10 s for the swap hook to have run once.
void wait_for_swap(const std::atomic<int>& swaps) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (swaps == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

// Writes main.pbl (old.example, serial 1) and a configuration that watches it
// every `interval_ms`; returns the configuration's path.
std::string watching_config(World& w, int interval_ms) {
  w.write_list("main", {test::entry("old.example")}, 1);
  const std::string path = w.dir.file("pangea.yaml");
  test::write_text(path, "version: 1\nreload: { interval_ms: " + std::to_string(interval_ms) +
                             " }\nlists:\n" + kOneList);
  return path;
}

}  // namespace

TEST_CASE("start loads the lists and publishes the first snapshot", "[engine]") {
  World w;
  w.write_list("main", {test::entry("pills.example")}, 7);
  Engine engine(w.log.logger());
  CHECK(engine.snapshot() == nullptr);
  engine.start(w.config(kOneList));
  REQUIRE(engine.snapshot() != nullptr);
  CHECK(engine.snapshot()->generation() == 1);
  CHECK(verdict(engine, "www.pills.example") == "nxdomain");
  CHECK(verdict(engine, "other.example") == "none");
  CHECK(w.log.contains("info: main: serial 7, built 2025-11-24T16:00:00Z, 1 entries, unsigned"));

  const auto status = engine.status();
  REQUIRE(status.size() == 1);
  CHECK(status[0].name == "main");
  CHECK(status[0].loaded);
  CHECK(status[0].serial == 7);
  CHECK(status[0].entry_count == 1);
  CHECK(status[0].build_time == 1764000000);
  CHECK(status[0].load_time > 0);
  CHECK(status[0].last_error.empty());
  CHECK_THROWS_AS(engine.start(w.config(kOneList)), StartError);
}

TEST_CASE("a required list that cannot be loaded stops the start (fail closed)", "[engine]") {
  World w;
  Engine engine(w.log.logger());
  const Config config = w.config(kOneList);
  try {
    engine.start(config);
    FAIL("start() succeeded without the list");
  } catch (const StartError& e) {
    const std::string message = e.what();
    INFO(message);
    CHECK(message == w.dir.file("pangea.yaml") + ":4:25: error: list 'main': cannot load " +
                         w.list_path("main") +
                         ": No such file or directory (required: true, refusing to start)");
    CHECK(message.find("(required: true, refusing to start)") != std::string::npos);
  }
  CHECK(engine.snapshot() == nullptr);
}

TEST_CASE("an optional list may be missing at start and is loaded when it appears", "[engine]") {
  World w;
  Engine engine(w.log.logger());
  engine.start(w.config("  - { name: main, file: main.pbl, action: nxdomain, required: false }\n"));
  CHECK(w.log.contains("error: "));
  CHECK(w.log.contains("(required: false, starting without it"));
  CHECK(verdict(engine, "pills.example") == "none");
  CHECK_FALSE(engine.status()[0].loaded);
  CHECK_FALSE(engine.poll_now());

  w.write_list("main", {test::entry("pills.example")}, 1);
  CHECK(engine.poll_now());
  CHECK(verdict(engine, "pills.example") == "nxdomain");
  CHECK(engine.snapshot()->generation() == 2);
}

TEST_CASE("a replaced file is swapped in, a corrupt one is refused", "[engine]") {
  World w;
  w.write_list("main", {test::entry("old.example")}, 1);
  Engine engine(w.log.logger());
  std::vector<std::pair<uint64_t, uint64_t>> swaps;
  std::vector<bool> newly;
  engine.set_on_swap([&](std::shared_ptr<const Snapshot> old, std::shared_ptr<const Snapshot> now) {
    swaps.emplace_back(old->generation(), now->generation());
    const auto qname = test::wire("new.example");
    newly.push_back(newly_blocked(*old, *now, qname, now->now()));
  });
  engine.start(w.config(kOneList));
  CHECK_FALSE(engine.poll_now());  // nothing changed

  w.write_list("main", {test::entry("old.example"), test::entry("new.example")}, 2);
  CHECK(engine.poll_now());
  CHECK(verdict(engine, "new.example") == "nxdomain");
  REQUIRE(swaps.size() == 1);
  CHECK(swaps[0] == std::pair<uint64_t, uint64_t>{1, 2});
  CHECK(newly == std::vector<bool>{true});
  CHECK(w.log.contains("info: generation 2: reloaded main: serial 2"));

  // A half-written or damaged file: refused, the last good list stays.
  auto bytes = test::build_list({test::entry("bad.example")}, 3);
  bytes[bytes.size() / 2] ^= 0xff;
  test::replace_file(w.list_path("main"), bytes);
  CHECK_FALSE(engine.poll_now());
  CHECK(w.log.contains("error: list 'main': refusing the new version of " + w.list_path("main") +
                       ": checksum mismatch"));
  CHECK(w.log.contains("keeping the loaded version"));
  CHECK(verdict(engine, "new.example") == "nxdomain");
  CHECK(verdict(engine, "bad.example") == "none");
  CHECK(engine.status()[0].serial == 2);
  CHECK_FALSE(engine.status()[0].last_error.empty());
  CHECK_FALSE(engine.poll_now());  // the same bad file is not retried

  test::replace_file(w.list_path("main"), {'n', 'o', 't', ' ', 'a', ' ', 'l', 'i', 's', 't'});
  CHECK_FALSE(engine.poll_now());
  CHECK(verdict(engine, "new.example") == "nxdomain");

  // The file disappears: keep what is loaded.
  std::filesystem::remove(w.list_path("main"));
  CHECK_FALSE(engine.poll_now());
  CHECK(w.log.contains("warning: list 'main': " + w.list_path("main") + " disappeared"));
  CHECK(verdict(engine, "new.example") == "nxdomain");

  w.write_list("main", {test::entry("fixed.example")}, 4);
  CHECK(engine.poll_now());
  CHECK(verdict(engine, "fixed.example") == "nxdomain");
  CHECK(verdict(engine, "new.example") == "none");
  CHECK(engine.status()[0].last_error.empty());
  CHECK(swaps.size() == 2);
}

TEST_CASE("serial checks: older serials and serials below min_serial are refused", "[engine]") {
  World w;
  w.write_list("main", {test::entry("ten.example")}, 10);
  w.write_list("loose", {test::entry("loose.example")}, 10);
  Engine engine(w.log.logger());
  engine.start(w.config(std::string(kOneList) +
                        "  - { name: loose, file: loose.pbl, action: refuse, "
                        "refuse_older_serial: false, min_serial: 5 }\n"));

  w.write_list("main", {test::entry("nine.example")}, 9);
  CHECK_FALSE(engine.poll_now());
  CHECK(w.log.contains("error: list 'main': refusing the new version of " + w.list_path("main") +
                       ": serial 9 is older than the loaded serial 10 (refuse_older_serial: true); "
                       "keeping the loaded version"));
  CHECK(verdict(engine, "ten.example") == "nxdomain");

  w.write_list("loose", {test::entry("rollback.example")}, 6);
  CHECK(engine.poll_now());
  CHECK(verdict(engine, "rollback.example") == "refuse");

  w.write_list("loose", {test::entry("ancient.example")}, 4);
  CHECK_FALSE(engine.poll_now());
  CHECK(w.log.contains("refusing the new version of " + w.list_path("loose") +
                       ": serial 4 is below min_serial 5"));
  CHECK(verdict(engine, "rollback.example") == "refuse");
}

TEST_CASE("pinned keys: unsigned or wrongly signed files are refused", "[engine]") {
  World w;
  const auto trusted = trie::generate_key_pair();
  const auto other = trie::generate_key_pair();
  test::write_text(w.dir.file("trusted.pub"), trusted.public_pem);
  auto sign = [](const std::vector<uint8_t>& file, const trie::KeyPair& key) {
    std::vector<uint8_t> signed_file;
    std::string error;
    REQUIRE(trie::sign_list(file, key.private_pem, signed_file, error));
    return signed_file;
  };
  const char* lists = "  - { name: main, file: main.pbl, action: nxdomain, keys: [trusted.pub] }\n";

  {
    w.write_list("main", {test::entry("pills.example")}, 1);
    Engine engine(w.log.logger());
    CHECK_THROWS_AS(engine.start(w.config(lists)), StartError);
  }
  test::replace_file(w.list_path("main"),
                     sign(test::build_list({test::entry("pills.example")}, 1), trusted));
  Engine engine(w.log.logger());
  engine.start(w.config(lists));
  CHECK(verdict(engine, "pills.example") == "nxdomain");
  CHECK(w.log.contains(", signed, loaded "));

  test::replace_file(w.list_path("main"),
                     sign(test::build_list({test::entry("evil.example")}, 2), other));
  CHECK_FALSE(engine.poll_now());
  CHECK(verdict(engine, "evil.example") == "none");

  test::replace_file(w.list_path("main"), test::build_list({test::entry("evil.example")}, 3));
  CHECK_FALSE(engine.poll_now());
  CHECK(verdict(engine, "pills.example") == "nxdomain");

  test::replace_file(w.list_path("main"),
                     sign(test::build_list({test::entry("next.example")}, 4), trusted));
  CHECK(engine.poll_now());
  CHECK(verdict(engine, "next.example") == "nxdomain");
}

TEST_CASE("allowlist files are loaded and watched like lists", "[engine]") {
  World w;
  w.write_list("main", {test::entry("pills.example")}, 1);
  w.write_list("allow", {test::entry("good.pills.example")}, 1);
  Engine engine(w.log.logger());
  engine.start(w.config(kOneList, "allowlist: { files: [allow.pbl] }\n"));
  CHECK(verdict(engine, "good.pills.example") == "passthru");
  CHECK(verdict(engine, "bad.pills.example") == "nxdomain");
  w.write_list("allow", {test::entry("bad.pills.example")}, 2);
  CHECK(engine.poll_now());
  CHECK(verdict(engine, "bad.pills.example") == "passthru");
  CHECK(verdict(engine, "good.pills.example") == "nxdomain");
  const auto status = engine.status();
  REQUIRE(status.size() == 2);
  CHECK(status[1].allowlist);
  CHECK(status[1].name == "allowlist:allow");
  CHECK(status[1].serial == 2);
}

TEST_CASE("a missing GeoIP database stops the start", "[engine]") {
  World w;
  w.write_list("main", {test::entry("pills.example")}, 1);
  Engine engine(w.log.logger());
  try {
    engine.start(w.config(kOneList, "geoip: { database: nope.mmdb }\n"));
    FAIL("start() succeeded without the database");
  } catch (const StartError& e) {
    INFO(e.what());
    CHECK(std::string(e.what()) == w.dir.file("pangea.yaml") +
                                       ":3:20: error: cannot open GeoIP database " +
                                       w.dir.file("nope.mmdb") +
                                       ": Error opening the specified MaxMind DB file (No such "
                                       "file or directory)");
  }
}

TEST_CASE("the watcher thread swaps a replaced file and stops promptly", "[engine]") {
  World w;
  const std::string path = watching_config(w, 20);
  Engine engine(w.log.logger());
  std::atomic<int> swaps{0};
  engine.set_on_swap([&](auto, auto) { ++swaps; });
  engine.start(load_config(path));

  // Readers keep deciding while the watcher reloads.
  std::atomic<bool> done{false};
  std::thread reader([&] {
    const auto qname = test::wire("old.example");
    while (!done) {
      auto snapshot = engine.snapshot();
      (void)snapshot->decide(qname, 1, Client(), 0);
    }
  });
  w.write_list("main", {test::entry("new.example")}, 2);
  wait_for_swap(swaps);
  done = true;
  reader.join();
  CHECK(swaps == 1);
  CHECK(verdict(engine, "new.example") == "nxdomain");

  const auto before = std::chrono::steady_clock::now();
  engine.stop();
  CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(1));
  engine.stop();  // idempotent
}

TEST_CASE("a replaced file is swapped in without waiting for the interval", "[engine]") {
  World w;
  const std::string path = watching_config(w, 3600000);
  Engine engine(w.log.logger());
  std::atomic<int> swaps{0};
  engine.set_on_swap([&](auto, auto) { ++swaps; });
  engine.start(load_config(path));
  w.write_list("main", {test::entry("new.example")}, 2);  // rename into place
  wait_for_swap(swaps);
  CHECK(swaps == 1);  // an hour before the next poll
  CHECK(verdict(engine, "new.example") == "nxdomain");
}

TEST_CASE("stop does not wait for a long interval", "[engine]") {
  World w;
  const std::string path = watching_config(w, 3600000);
  const auto before = std::chrono::steady_clock::now();
  {
    Engine engine(w.log.logger());
    engine.start(load_config(path));
  }  // the destructor stops the watcher
  CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(2));
}

TEST_CASE("open_list applies the configuration's checks", "[engine]") {
  World w;
  w.write_list("main", {test::entry("a.example")}, 3);
  ListConfig config;
  config.name = "main";
  config.file = w.list_path("main");
  std::string error;
  CHECK(open_list(config, nullptr, error));
  config.min_serial = 4;
  CHECK_FALSE(open_list(config, nullptr, error));
  CHECK(error == w.list_path("main") + ": serial 3 is below min_serial 4");
  config.file = w.list_path("missing");
  CHECK_FALSE(open_list(config, nullptr, error));
  CHECK_FALSE(error.empty());
}
