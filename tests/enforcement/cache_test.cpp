// Names already in Unbound's cache, CNAME chains into listed names, and
// pass-through equality with a resolver that has no module.

#include <algorithm>
#include <ctime>
#include <future>
#include <thread>
#include <utility>

#include <catch2/catch.hpp>

#include "harness/free_port.h"
#include "harness/held_relay.h"
#include "harness/log_file.h"
#include "harness/test_resolver.h"
#include "delegation_zones.h"
#include "list_files.h"

using namespace pangea::integration;
using Strings = std::vector<std::string>;

namespace {

// A watched list (list_files.h) that logs its hits to <test dir>/hits.log.
ResolverOptions logged_list(const std::vector<pangea::trie::Entry>& entries,
                            const std::string& module_config = "dynlib validator iterator") {
  return watched_list(entries, "hit_log: { file: hits.log }\n", module_config);
}

std::string hit_log(const TestResolver& r) {
  std::string hits;
  for (int i = 0; i < 100 && hits.find('\n') == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    hits = read_file(r.path("hits.log"));
  }
  return hits;
}

}  // namespace

TEST_CASE("a cached name is blocked by the very next query after its list is loaded",
          "[enforce][cache]") {
  TestResolver r(logged_list({block("cheap-pills.example")}));
  REQUIRE(r.query("www.test", "A").answer_rdata("A") == Strings{"192.0.2.1"});
  REQUIRE(r.query("multi.test", "A").rcode == "NOERROR");
  // Let the cached TTLs tick, so a cache hit is visible as TTL < 3600.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  swap_list(r, {block("cheap-pills.example"), block("www.test")}, 2);

  Response blocked = r.query("www.test", "A");
  INFO(blocked);
  CHECK(blocked.rcode == "NXDOMAIN");
  CHECK(blocked.authority.size() == 1);

  // Only the newly listed name left the cache, not everything.
  Response other = r.query("multi.test", "A");
  INFO(other);
  REQUIRE(other.answer.size() == 2);
  CHECK(other.answer[0].ttl < 3600);
}

TEST_CASE("with serve-expired a newly listed cached name is still blocked", "[enforce][cache]") {
  ResolverOptions options = logged_list({block("cheap-pills.example")});
  options.server_options = {"serve-expired: yes", "serve-expired-ttl: 86400"};
  TestResolver r(options);
  REQUIRE(r.query("www.test", "A").rcode == "NOERROR");
  swap_list(r, {block("www.test")}, 2);
  for (int i = 0; i < 3; ++i) {
    Response blocked = r.query("www.test", "A");
    INFO(blocked);
    CHECK(blocked.rcode == "NXDOMAIN");
  }
}

TEST_CASE("a name that CNAMEs into a listed name is blocked, the hit attributed to the target",
          "[enforce][cname-chain]") {
  TestResolver r(logged_list({block("cheap-pills.example")}));
  Response alias = r.query("alias.test", "A");
  INFO(alias);
  CHECK(alias.rcode == "NXDOMAIN");
  CHECK(alias.answer ==
        std::vector<Record>{{"alias.test.", "IN", "CNAME", 3600, "www.cheap-pills.example."}});
  REQUIRE(alias.authority.size() == 1);
  CHECK(alias.authority[0].owner == "cheap-pills.example.");
  CHECK(alias.authority[0].type == "SOA");

  const std::string hits = hit_log(r);
  CHECK_THAT(hits, Catch::Contains("\"qname\":\"alias.test\""));
  CHECK_THAT(hits, Catch::Contains("\"entry\":\"cheap-pills.example\""));
  CHECK_THAT(hits, Catch::Contains("\"via\":\"cname\",\"target\":\"www.cheap-pills.example\""));

  // Two hops; a chain into an upstream NXDOMAIN; a chain into a blocked zone's
  // wildcard; and a chain that stays allowed.
  CHECK(r.query("alias2.test", "A").rcode == "NXDOMAIN");
  CHECK(r.query("dangling.test", "A").rcode == "NXDOMAIN");
  Response good = r.query("good-alias.test", "A");
  INFO(good);
  CHECK(good.answer_rdata("A") == Strings{"192.0.2.1"});
}

TEST_CASE("after a chain hit the target is not served from cache either (no validator)",
          "[enforce][cname-chain]") {
  // Without a validator Unbound serves the iterator's cached target answer
  // directly: the module must remove it when it blocks the chain.
  TestResolver r(logged_list({block("cheap-pills.example")}, "dynlib iterator"));
  REQUIRE(r.query("alias.test", "A").rcode == "NXDOMAIN");
  Response direct = r.query("www.cheap-pills.example", "A");
  INFO(direct);
  CHECK(direct.rcode == "NXDOMAIN");
  // And the chain itself, asked again, is blocked again (not cached).
  CHECK(r.query("alias.test", "A").rcode == "NXDOMAIN");
}

TEST_CASE("a cached CNAME chain into a newly listed name is blocked after the swap",
          "[enforce][cname-chain][cache]") {
  TestResolver r(logged_list({block("unrelated.example")}));
  Response before = r.query("pharma-alias.test", "A");
  INFO(before);
  REQUIRE(before.answer_rdata("A") == Strings{"198.51.100.8"});
  swap_list(r, {block("pharma-test.example")}, 2);
  Response after = r.query("pharma-alias.test", "A");
  INFO(after);
  CHECK(after.rcode == "NXDOMAIN");
  CHECK(after.answer_rdata("CNAME") == Strings{"shop.pharma-test.example."});
}

// Sends queries for multi.test. through `relay`, which holds nsd's replies
// (options.nsd_port must be the relay's upstream).
void route_through(ResolverOptions& options, const HeldRelay& relay) {
  // Unbound must wait out the hold instead of retrying (and dropping the late
  // reply), and still answer a client that waited that long.
  options.server_options.push_back("infra-cache-min-rtt: 8000");
  options.server_options.push_back("discard-timeout: 10000");
  options.extra_config += "stub-zone:\n  name: \"multi.test.\"\n  stub-addr: 127.0.0.1@" +
                          std::to_string(relay.port()) + "\n";
}

std::future<Response> query_in_flight(const TestResolver& r, const std::string& name) {
  QueryOptions patient;
  patient.timeout = std::chrono::milliseconds(10000);
  return std::async(std::launch::async, [client = r.client(), name, patient] {
    return client.query(name, "A", patient);
  });
}

// Lets the held reply go: the query in flight and the next one for the same
// name must both get the current lists' answer.
void expect_blocked_once_released(const TestResolver& r, HeldRelay& relay,
                                  std::future<Response> in_flight) {
  relay.release();
  const Response first = in_flight.get();
  INFO(first);
  CHECK(first.rcode == "NXDOMAIN");
  const Response again = r.query("multi.test", "A");
  INFO(again);
  CHECK(again.rcode == "NXDOMAIN");
}

// The query is decided under the old list, its upstream reply held until the
// new list (which lists the name) is in force: the purge after the swap ran
// before the iterator stored the real answer.
TEST_CASE("a name listed while its resolution is in flight is not served from cache after it",
          "[enforce][cache][in-flight]") {
  ResolverOptions options = logged_list({block("unrelated.example")});
  options.nsd_port = pick_free_port();
  HeldRelay relay(options.nsd_port, std::chrono::milliseconds(5000));
  route_through(options, relay);
  TestResolver r(options);
  auto in_flight = query_in_flight(r, "multi.test");
  REQUIRE(relay.wait_for_query(std::chrono::milliseconds(4000)));
  swap_list(r, {block("unrelated.example"), block("multi.test")}, 2);
  // Decided before the swap, answered after it: the new list decides.
  expect_blocked_once_released(r, relay, std::move(in_flight));
  CHECK(relay.queries() == 1);
}

// The same with no swap: the entry's not_before passes while the reply is held
// (the module's clock set ~2 s before it).
TEST_CASE("a name whose entry turns valid while its resolution is in flight is then blocked",
          "[enforce][cache][in-flight][validity]") {
  constexpr int64_t kDecember2026 = 1764547200;  // 2026-12-01T00:00:00Z
  pangea::trie::Entry midnight = block("multi.test");
  midnight.meta.not_before = kDecember2026;
  ResolverOptions options = logged_list({midnight});
  const int64_t offset = kDecember2026 - static_cast<int64_t>(std::time(nullptr)) - 2;
  options.environment["PANGEA_FAKE_NOW"] = (offset >= 0 ? "+" : "") + std::to_string(offset);
  options.nsd_port = pick_free_port();
  HeldRelay relay(options.nsd_port, std::chrono::milliseconds(5000));
  route_through(options, relay);
  TestResolver r(options);
  const size_t from = r.log_size();
  auto in_flight = query_in_flight(r, "multi.test");
  REQUIRE(relay.wait_for_query(std::chrono::milliseconds(4000)));
  REQUIRE(r.wait_for_log("validity windows changed", std::chrono::milliseconds(5000), from));
  expect_blocked_once_released(r, relay, std::move(in_flight));
}

TEST_CASE("names not listed get exactly the answers of a resolver without the module",
          "[enforce][passthrough-equality]") {
  ResolverOptions with_module =
      logged_list({block("cheap-pills.example"), block("pharma-test.example")});
  ResolverOptions without_module;
  without_module.module_config = "validator iterator";
  TestResolver pangea(with_module);
  TestResolver bare(without_module);

  const struct {
    const char* name;
    const char* type;
    Transport transport;
  } questions[] = {
      {"www.test", "A", Transport::udp},
      {"www.test", "AAAA", Transport::udp},
      {"www.test", "TXT", Transport::udp},
      {"test", "MX", Transport::udp},
      {"multi.test", "A", Transport::udp},
      {"nothere.test", "A", Transport::udp},
      {"www.test", "MX", Transport::udp},
      {"ent.test", "A", Transport::udp},
      {"x.wild.test", "A", Transport::udp},
      {"good-alias.test", "A", Transport::udp},
      {"loop1.test", "A", Transport::udp},
      {"big.test", "TXT", Transport::tcp},
      {"notcheap-pills.example", "A", Transport::udp},
      {"cheap-pills.example.test", "A", Transport::udp},
  };
  auto sorted = [](std::vector<Record> records) {
    std::sort(records.begin(), records.end(),
              [](const Record& a, const Record& b) { return a.text() < b.text(); });
    return records;
  };
  for (const auto& q : questions) {
    QueryOptions options;
    options.transport = q.transport;
    Response a = pangea.query(q.name, q.type, options);
    Response b = bare.query(q.name, q.type, options);
    INFO(q.name << " " << q.type << "\nwith the module:\n" << a << "\nwithout:\n" << b);
    CHECK(a.rcode == b.rcode);
    CHECK(a.qr == b.qr);
    CHECK(a.aa == b.aa);
    CHECK(a.ra == b.ra);
    CHECK(a.ad == b.ad);
    CHECK(a.tc == b.tc);
    CHECK(a.question == b.question);
    CHECK(sorted(a.answer) == sorted(b.answer));
    CHECK(sorted(a.authority) == sorted(b.authority));
    CHECK(a.extended_errors == b.extended_errors);
  }
}

TEST_CASE("Unbound's own lookup of a listed name does not put its real answer in the cache",
          "[enforce][cache]") {
  // site.hosting.test is delegated to ns1.leaky.test without glue, so resolving
  // a name under it makes the iterator look up ns1.leaky.test itself (a query
  // without a client, which must resolve). leaky.test is listed: had that
  // lookup stored its answer in the message cache, a client asking for
  // ns1.leaky.test would get the real address from the cache, never reaching
  // the module. Without a validator in the stack the worker serves such a
  // message as it is (with one, it sends the unchecked message through the
  // modules first): test both.
  const std::string modules =
      GENERATE(std::string("dynlib iterator"), std::string("dynlib validator iterator"));
  INFO(modules);
  ResolverOptions options = logged_list({block("leaky.test")}, modules);
  options.extra_zones = glueless_delegation_zones();
  TestResolver r(options);
  resolve_under_glueless_delegation(r);
  INFO(r.log_tail());
  const ControlResult dump = r.control({"dump_cache"});
  REQUIRE(dump.exit_code == 0);
  INFO(dump.output);
  // The iterator got the referral to ns1.leaky.test (and so had to look it
  // up: no glue) but left no message for clients to be served from.
  CHECK(dump.output.find("site.hosting.test.\t") != std::string::npos);
  CHECK(dump.output.find("msg ns1.leaky.test. IN A") == std::string::npos);

  Response blocked = r.query("ns1.leaky.test", "A");
  INFO(blocked);
  CHECK(blocked.rcode == "NXDOMAIN");
  CHECK(blocked.answer.empty());
}
