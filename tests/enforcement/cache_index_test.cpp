// The cache index (module/unbound/cached_names.h): a list swap looks the cached
// messages its changes affect up by name instead of walking the message cache,
// and walks (rebuilding the index) whenever the index cannot stand in for it.

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "harness/temp_dir.h"
#include "harness/test_resolver.h"
#include "delegation_zones.h"
#include "list_files.h"

using namespace pangea::integration;
using Strings = std::vector<std::string>;

namespace {

// The purge line of generation `serial`, logged after `from`.
std::string purge_line(const TestResolver& r, uint64_t serial, size_t from) {
  const std::string log = r.log();
  const size_t at = log.find("generation " + std::to_string(serial) + " in force", from);
  REQUIRE(at != std::string::npos);
  return log.substr(at, log.find('\n', at) - at);
}

// Swaps in `entries` as generation `serial`; returns the purge's log line.
std::string swap_and_report(TestResolver& r, const std::vector<pangea::trie::Entry>& entries,
                            uint64_t serial) {
  const size_t from = r.log_size();
  swap_list(r, entries, serial);
  return purge_line(r, serial, from);
}

// mem.mod.dynlibmod of `unbound-control stats_noreset`: the module's get_mem().
uint64_t module_memory(const TestResolver& r) {
  const ControlResult result = r.control({"stats_noreset"});
  REQUIRE(result.exit_code == 0);
  const std::string key = "mem.mod.dynlibmod=";
  const size_t at = result.output.find(key);
  REQUIRE(at != std::string::npos);
  return std::stoull(result.output.substr(at + key.size()));
}

QueryOptions with_cd() {
  QueryOptions options;
  options.checking_disabled = true;
  return options;
}

// Caches answers of every kind the index must find: a plain answer, AAAA with
// and without CD (they hash apart), and a CNAME chain across zones (the chain's
// target is cached as a message of its own too).
void cache_answers(const TestResolver& r) {
  REQUIRE(r.query("www.test", "A").answer_rdata("A") == Strings{"192.0.2.1"});
  REQUIRE(r.query("www.test", "AAAA").rcode == "NOERROR");
  REQUIRE(r.query("www.test", "AAAA", with_cd()).rcode == "NOERROR");
  REQUIRE(r.query("pharma-alias.test", "A").answer_rdata("A") == Strings{"198.51.100.8"});
  REQUIRE(r.query("multi.test", "A").rcode == "NOERROR");
}

// What a resolver serves after www.test and pharma-test.example were listed.
void expect_newly_listed_blocked(const TestResolver& r) {
  CHECK(r.query("www.test", "A").rcode == "NXDOMAIN");
  CHECK(r.query("www.test", "AAAA").rcode == "NXDOMAIN");
  CHECK(r.query("www.test", "AAAA", with_cd()).rcode == "NXDOMAIN");
  Response chain = r.query("pharma-alias.test", "A");
  INFO(chain);
  CHECK(chain.rcode == "NXDOMAIN");
  CHECK(r.query("shop.pharma-test.example", "A").rcode == "NXDOMAIN");
}

// Lists www.test and pharma-test.example (generation 2) after cache_answers();
// returns the purge's log line, having checked the answers.
std::string list_cached_names(TestResolver& r) {
  const std::string line = swap_and_report(
      r, {block("unrelated.example"), block("www.test"), block("pharma-test.example")}, 2);
  INFO(line);
  expect_newly_listed_blocked(r);
  return line;
}

}  // namespace

TEST_CASE("a swap looks the cached answers it affects up in the index, and only those",
          "[enforce][cache][cache-index]") {
  ResolverOptions options = watched_list({block("unrelated.example")});
  options.server_options.push_back("extended-statistics: yes");  // for mem.mod.dynlibmod
  TestResolver r(options);
  cache_answers(r);
  // Let the cached TTLs tick, so a cache hit is visible as TTL < 3600.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const std::string line = list_cached_names(r);
  CHECK_THAT(line, Catch::Contains("looked up in the index"));
  // www.test A, AAAA, AAAA+CD; pharma-alias.test A; shop.pharma-test.example A.
  CHECK_THAT(line, Catch::Contains("removed 5 cached answer(s)"));
  Response other = r.query("multi.test", "A");
  INFO(other);
  REQUIRE(other.answer.size() == 2);
  CHECK(other.answer[0].ttl < 3600);
  // The index's memory shows in Unbound's statistics, as the module's.
  CHECK(module_memory(r) > 1000);
}

TEST_CASE("an unlisted name's stored blocked answer is found in the index",
          "[enforce][cache][cache-index][answer-cache]") {
  TestResolver r(watched_list({block("www.test"), block("multi.test")}));
  REQUIRE(r.query("www.test", "A").rcode == "NXDOMAIN");
  REQUIRE(r.query("multi.test", "A").rcode == "NXDOMAIN");
  const std::string line = swap_and_report(r, {block("multi.test")}, 2);
  INFO(line);
  CHECK_THAT(line, Catch::Contains("looked up in the index"));
  CHECK_THAT(line, Catch::Contains("removed 1 cached answer(s)"));
  CHECK(r.query("www.test", "A").answer_rdata("A") == Strings{"192.0.2.1"});
  CHECK(r.query("multi.test", "A").rcode == "NXDOMAIN");
}

TEST_CASE("a name server host the iterator looked up itself is found in the index",
          "[enforce][cache][cache-index][ns-hosts]") {
  // Without a validator the worker serves the iterator's own message from the
  // cache; with one it holds it back as not validated: test both.
  const std::string modules =
      GENERATE(std::string("dynlib iterator"), std::string("dynlib validator iterator"));
  INFO(modules);
  ResolverOptions options = watched_list({block("unrelated.example")});
  options.module_config = modules;
  options.extra_zones = glueless_delegation_zones();
  TestResolver r(options);
  resolve_under_glueless_delegation(r);
  // The iterator's own lookup of the delegation's host, which starts below the
  // module, left a message that clients get from the cache.
  const ControlResult dump = r.control({"dump_cache"});
  REQUIRE(dump.exit_code == 0);
  INFO(dump.output);
  REQUIRE(dump.output.find("msg ns1.leaky.test. IN A") != std::string::npos);
  const std::string line = swap_and_report(r, {block("leaky.test")}, 2);
  INFO(line);
  CHECK_THAT(line, Catch::Contains("looked up in the index"));
  Response blocked = r.query("ns1.leaky.test", "A");
  INFO(blocked);
  CHECK(blocked.rcode == "NXDOMAIN");
}

TEST_CASE("an index past its limit is dropped: the purge walks the cache and is as exact",
          "[enforce][cache][cache-index]") {
  TestResolver r(
      watched_list({block("unrelated.example")}, "cache: { purge_index_max_names: 2 }\n"));
  cache_answers(r);
  const std::string line = list_cached_names(r);
  CHECK_THAT(line, Catch::Contains(", walked"));
  CHECK_THAT(line, Catch::Contains("removed 5 cached answer(s)"));
  // The cache alone holds more than 2 names: a background rebuild overflows
  // again, says so, and backs off instead of walking the cache over and over.
  CHECK(r.wait_for_log("holds more names than cache.purge_index_max_names (2)"));
}

TEST_CASE("an index past its limit is rebuilt in the background: swaps look up again",
          "[enforce][cache][cache-index]") {
  // A message cache too small for the names queried, as on a busy resolver:
  // the index (it never hears of evictions) passes its limit with names the
  // cache no longer holds, and the rebuild finds fewer than the limit there.
  ResolverOptions options =
      watched_list({block("unrelated.example")}, "cache: { purge_index_max_names: 300 }\n");
  options.server_options.push_back("msg-cache-size: 50k");
  options.server_options.push_back("msg-cache-slabs: 1");  // one LRU: the latest stay
  TestResolver r(options);
  // 350 names overflow the index once, and only once: the cache keeps ~200
  // messages, so a rebuild finds at most ~200 names, and 50 more follow.
  for (int i = 0; i < 350; ++i)
    REQUIRE(r.query("n" + std::to_string(i) + ".wild.test", "A").rcode == "NOERROR");
  const auto overflow_then_rebuild = [&] {
    const std::string log = r.log();
    const size_t overflow = log.rfind("cache index past its limit of 300 names");
    const size_t rebuilt = log.rfind("cache index rebuilt from");
    return overflow != std::string::npos && rebuilt != std::string::npos && rebuilt > overflow;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!overflow_then_rebuild() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  INFO(r.log_tail());
  REQUIRE(overflow_then_rebuild());
  CHECK_THAT(r.log(), !Catch::Contains("holds more names than"));
  cache_answers(r);
  const std::string line = list_cached_names(r);
  CHECK_THAT(line, Catch::Contains("looked up in the index"));
  CHECK_THAT(line, Catch::Contains("removed 5 cached answer(s)"));
}

TEST_CASE("with the index off every purge walks the cache", "[enforce][cache][cache-index]") {
  TestResolver r(watched_list({block("unrelated.example")}, "cache: { purge_index: false }\n"));
  cache_answers(r);
  CHECK_THAT(list_cached_names(r), Catch::Contains(", walked"));
}

TEST_CASE("a cache kept across a reload is walked at start and the index rebuilt from it",
          "[enforce][cache][cache-index][reload]") {
  TestResolver r(watched_list({block("unrelated.example")}));
  cache_answers(r);
  const size_t from = r.log_size();
  const ControlResult reload = r.control({"reload_keep_cache"});
  INFO(reload.output << "\n" << r.log_tail());
  REQUIRE(reload.exit_code == 0);
  REQUIRE(r.wait_for_log("ready (instance", std::chrono::milliseconds(5000), from));
  // The new instance recorded none of what is cached; the purge at its start
  // walked the cache, and the index it rebuilt finds www.test's three answers.
  std::string line = swap_and_report(r, {block("unrelated.example"), block("www.test")}, 2);
  INFO(line);
  CHECK_THAT(line, Catch::Contains("looked up in the index"));
  CHECK_THAT(line, Catch::Contains("removed 3 cached answer(s)"));
  CHECK(r.query("www.test", "A").rcode == "NXDOMAIN");
  // And the chain cached before the reload, by its target.
  line = swap_and_report(r, {block("www.test"), block("pharma-test.example")}, 3);
  INFO(line);
  CHECK_THAT(line, Catch::Contains("looked up in the index"));
  CHECK(r.query("pharma-alias.test", "A").rcode == "NXDOMAIN");
}

TEST_CASE("messages loaded with unbound-control load_cache make the purge walk",
          "[enforce][cache][cache-index]") {
  // A dump from another resolver, loaded into one whose index never saw those
  // names: the cache then holds more messages than the index can account for.
  std::string dump;
  {
    TestResolver source(watched_list({block("unrelated.example")}));
    cache_answers(source);
    const ControlResult result = source.control({"dump_cache"});
    REQUIRE(result.exit_code == 0);
    dump = result.output;
  }
  TestResolver r(watched_list({block("unrelated.example")}));
  TempDir::write_file(r.path("cache.dump"), dump);
  const ControlResult load =
      r.unbound().control({"load_cache"}, std::chrono::milliseconds(10000), r.path("cache.dump"));
  INFO(load.output);
  REQUIRE(load.exit_code == 0);
  CHECK_THAT(list_cached_names(r), Catch::Contains(", walked"));
}

TEST_CASE("a stored blocked answer is dropped from the index's account when its tag comes back",
          "[enforce][cache][cache-index][answer-cache]") {
  // Generation 1 stores the answer with tag 1; tags are generations modulo 64,
  // so the swap to generation 64 removes every answer tagged 1 (answer_records.h).
  TestResolver r(watched_list({block("www.test")}));
  REQUIRE(r.query("www.test", "A").rcode == "NXDOMAIN");
  for (uint64_t generation = 2; generation < 64; ++generation) {
    const std::string name = "unrelated" + std::to_string(generation) + ".example";
    const std::string line = swap_and_report(r, {block("www.test"), block(name)}, generation);
    INFO(line);
    REQUIRE_THAT(line, Catch::Contains("removed 0 cached answer(s)"));
  }
  const std::string line = swap_and_report(r, {block("www.test")}, 64);
  INFO(line);
  CHECK_THAT(line, Catch::Contains("looked up in the index"));
  CHECK_THAT(line, Catch::Contains("removed 1 cached answer(s)"));
  CHECK(r.query("www.test", "A").rcode == "NXDOMAIN");
}
