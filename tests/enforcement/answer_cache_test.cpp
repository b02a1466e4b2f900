// Blocked answers in Unbound's message cache (cache.blocked_answers): a
// repeated blocked query is a cache hit that still carries the EDE and is still
// counted and logged, and nothing makes a cached blocked answer outlive the
// decision it came from: list swaps, the end of a validity window, serve-expired,
// prefetch, a reload that keeps the cache, client scopes.

#include <chrono>
#include <ctime>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "harness/log_file.h"
#include "harness/test_resolver.h"
#include "delegation_zones.h"
#include "list_files.h"

using namespace pangea::integration;
using Strings = std::vector<std::string>;

namespace {

const Strings kRealAddress{"198.51.100.7"};

std::string config_with(const std::string& list_line, const std::string& extra = "") {
  return "version: 1\n"
         "lists:\n"
         "  - " +
         list_line +
         "\n"
         "reload: { interval_ms: 50 }\n"
         "hit_log: { file: hits.log, rate: 0 }\n" +
         (extra.empty() ? "cache: { blocked_answers: true }\n" : extra);
}

ResolverOptions cached_list(const std::vector<pangea::trie::Entry>& entries,
                            const std::string& list_line =
                                "{ name: fr, file: fr.pbl, action: "
                                "nxdomain, ttl: 60 }") {
  ResolverOptions options;
  options.files["fr.pbl"] = compile_list(entries, 1);
  options.pangea_config = config_with(list_line);
  return options;
}

// Unbound's own count of answers from its message cache (unbound-control stats).
uint64_t cache_hits(const TestResolver& r) {
  const ControlResult result = r.control({"stats_noreset"});
  REQUIRE(result.exit_code == 0);
  std::istringstream lines(result.output);
  std::string line;
  while (std::getline(lines, line)) {
    const std::string key = "total.num.cachehits=";
    if (line.rfind(key, 0) == 0)
      return std::stoull(line.substr(key.size()));
  }
  FAIL("no total.num.cachehits in\n" << result.output);
  return 0;
}

size_t count_lines(const std::string& text, const std::string& needle) {
  size_t n = 0;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line))
    n += line.find(needle) != std::string::npos ? 1 : 0;
  return n;
}

// The hit log once it has `lines` lines containing `needle` (bounded wait).
std::string hit_log_with(const TestResolver& r, const std::string& needle, size_t lines) {
  std::string hits;
  for (int i = 0; i < 100; ++i) {
    hits = read_file(r.path("hits.log"));
    if (count_lines(hits, needle) >= lines)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return hits;
}

// The same answer, but for the TTLs (a cache hit counts them down).
void check_same_answer(const Response& cached, const Response& first) {
  auto without_ttl = [](std::vector<Record> records) {
    for (auto& record : records)
      record.ttl = 0;
    return records;
  };
  CHECK(cached.rcode == first.rcode);
  CHECK(cached.question == first.question);
  CHECK(cached.ra == first.ra);
  CHECK(cached.aa == first.aa);
  CHECK_FALSE(cached.ad);
  CHECK(without_ttl(cached.answer) == without_ttl(first.answer));
  CHECK(without_ttl(cached.authority) == without_ttl(first.authority));
  CHECK(cached.extended_errors == first.extended_errors);
}

}  // namespace

TEST_CASE("a repeated blocked query is answered from the cache, with the same answer and EDE",
          "[enforce][answer-cache]") {
  TestResolver r(cached_list({block("cheap-pills.example")}));
  const uint64_t hits_before = cache_hits(r);
  Response first = r.query("www.cheap-pills.example", "A");
  INFO(first);
  REQUIRE(first.rcode == "NXDOMAIN");
  REQUIRE(first.extended_errors.size() == 1);
  CHECK(cache_hits(r) == hits_before);

  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  Response cached = r.query("www.cheap-pills.example", "A");
  INFO(cached);
  check_same_answer(cached, first);
  REQUIRE(cached.authority.size() == 1);
  CHECK(cached.authority[0].ttl < 60);  // counted down: it came from the cache
  CHECK(cache_hits(r) == hits_before + 1);

  // Another case of the same name is the same cache entry; the question is
  // still the client's.
  Response upper = r.query("WWW.Cheap-Pills.Example", "A");
  INFO(upper);
  CHECK(upper.rcode == "NXDOMAIN");
  CHECK(upper.question == "WWW.Cheap-Pills.Example. IN A");
  CHECK(upper.extended_errors == first.extended_errors);
  CHECK(cache_hits(r) == hits_before + 2);

  // Every answer, from the module or from the cache, is counted and logged.
  // (The entry is named as it appears in the query name.)
  const std::string hits = hit_log_with(r, "\"list\":\"fr\"", 3);
  CHECK(count_lines(hits, "\"list\":\"fr\"") == 3);
  CHECK(count_lines(hits, "\"entry\":\"cheap-pills.example\"") == 2);
  CHECK(count_lines(hits, "\"qname\":\"WWW.Cheap-Pills.Example\"") == 1);
  CHECK(count_lines(hits, "\"client\":\"127.0.0.1\"") == 3);
}

TEST_CASE("cache hits take the EDE, hit log and counters of their own name and decision",
          "[enforce][answer-cache]") {
  // Two names under one entry share a remembered decision; another entry has
  // its own. The EDE text names the entry and the entry's metadata.
  TestResolver r(
      cached_list({block("cheap-pills.example", "Customs", "R-1"),
                   block("pharma-test.example", "Health", "R-2")},
                  "{ name: fr, file: fr.pbl, action: nxdomain, ttl: 60, "
                  "ede: { code: censored, text: \"{entry} by {agency}, {referral}\" } }"));
  const std::vector<std::pair<std::string, std::string>> names{
      {"www.cheap-pills.example", "cheap-pills.example by Customs, R-1"},
      {"SHOP.Cheap-Pills.example", "Cheap-Pills.example by Customs, R-1"},
      {"pharma-test.example", "pharma-test.example by Health, R-2"}};
  for (int round = 0; round < 3; ++round) {
    for (const auto& [name, text] : names) {
      Response response = r.query(name, "A");
      INFO(round << " " << response);
      CHECK(response.rcode == "NXDOMAIN");
      REQUIRE(response.extended_errors.size() == 1);
      CHECK(response.extended_errors[0].extra_text == text);
    }
    if (round == 1) {
      // A swap that changes neither decision: the answers stay cached with a
      // decision of the previous generation, which is then taken again.
      swap_list(r,
                {block("cheap-pills.example", "Customs", "R-1"),
                 block("pharma-test.example", "Health", "R-2"), block("other.example")},
                2);
    }
  }
  const std::string hits = hit_log_with(r, "\"list\":\"fr\"", 9);
  CHECK(count_lines(hits, "\"entry\":\"cheap-pills.example\",\"referral\":\"R-1\"") == 3);
  CHECK(count_lines(hits, "\"entry\":\"Cheap-Pills.example\",\"referral\":\"R-1\"") == 3);
  CHECK(count_lines(hits, "\"entry\":\"pharma-test.example\",\"referral\":\"R-2\"") == 3);
}

TEST_CASE("cached redirect and NODATA answers, with DO and CD set or not",
          "[enforce][answer-cache]") {
  TestResolver r(cached_list({block("cheap-pills.example")},
                             "{ name: fr, file: fr.pbl, action: redirect, ttl: 60, "
                             "redirect: { a: [192.0.2.10], aaaa: [\"2001:db8::10\"] } }"));
  QueryOptions dnssec;
  dnssec.dnssec_ok = true;
  QueryOptions checking;
  checking.checking_disabled = true;
  QueryOptions no_edns;
  no_edns.edns = false;
  const struct {
    const char* type;
    const QueryOptions* options;
    const char* rdata;  // nullptr: NODATA
  } cases[] =
      {
          {"A", nullptr, "192.0.2.10"},
          {"AAAA", nullptr, "2001:db8::10"},
          {"MX", nullptr, nullptr},
          {"A", &dnssec, "192.0.2.10"},
          {"AAAA", &checking, "2001:db8::10"},  // AAAA with CD is a cache entry of its own
          {"A", &checking, "192.0.2.10"},
      };
  for (const auto& c : cases) {
    const QueryOptions options = c.options ? *c.options : QueryOptions{};
    Response first = r.query("shop.cheap-pills.example", c.type, options);
    const uint64_t hits = cache_hits(r);
    Response cached = r.query("shop.cheap-pills.example", c.type, options);
    INFO(c.type << (options.dnssec_ok ? " +do" : "") << (options.checking_disabled ? " +cd" : "")
                << "\n"
                << first << "\n"
                << cached);
    CHECK(first.rcode == "NOERROR");
    if (c.rdata != nullptr) {
      CHECK(cached.answer_rdata(c.type) == Strings{c.rdata});
    } else {
      CHECK(cached.answer.empty());
      CHECK(cached.has_soa());
    }
    check_same_answer(cached, first);
    CHECK(cached.extended_errors.size() == 1);
    CHECK(cache_hits(r) == hits + 1);
  }
  // A client without EDNS gets the cached answer without an OPT record.
  Response plain = r.query("shop.cheap-pills.example", "A", no_edns);
  INFO(plain);
  CHECK(plain.answer_rdata("A") == Strings{"192.0.2.10"});
  CHECK_FALSE(plain.edns);
}

TEST_CASE("answers that are not the same for every client, or not replayable, are not cached",
          "[enforce][answer-cache]") {
  SECTION("a client-scoped list") {
    ResolverOptions options;
    options.files["fr.pbl"] = compile_list({block("cheap-pills.example")});
    options.pangea_config = config_with(
        "{ name: fr, file: fr.pbl, action: nxdomain, "
        "clients: { networks: [127.0.0.0/29], exclude: [127.0.0.3/32] } }");
    TestResolver r(options);
    QueryOptions inside;
    inside.source_address = "127.0.0.2";
    QueryOptions excluded;
    excluded.source_address = "127.0.0.3";
    const uint64_t before = cache_hits(r);
    for (int i = 0; i < 3; ++i) {
      CHECK(r.query("www.cheap-pills.example", "A", inside).rcode == "NXDOMAIN");
      CHECK(r.query("www.cheap-pills.example", "A", excluded).answer_rdata("A") == kRealAddress);
    }
    CHECK(cache_hits(r) == before);
  }
  SECTION("refuse") {
    TestResolver r(
        cached_list({block("cheap-pills.example")}, "{ name: fr, file: fr.pbl, action: refuse }"));
    const uint64_t before = cache_hits(r);
    for (int i = 0; i < 3; ++i)
      CHECK(r.query("www.cheap-pills.example", "A").rcode == "REFUSED");
    CHECK(cache_hits(r) == before);
  }
}

TEST_CASE("a swap that unlists or changes a cached blocked name takes effect at once",
          "[enforce][answer-cache]") {
  TestResolver r(cached_list({block("cheap-pills.example"), block("pharma-test.example")}));
  REQUIRE(r.query("www.cheap-pills.example", "A").rcode == "NXDOMAIN");
  REQUIRE(r.query("shop.pharma-test.example", "A").rcode == "NXDOMAIN");
  const uint64_t hits = cache_hits(r);
  REQUIRE(r.query("www.cheap-pills.example", "A").rcode == "NXDOMAIN");
  REQUIRE(r.query("shop.pharma-test.example", "A").rcode == "NXDOMAIN");
  REQUIRE(cache_hits(r) == hits + 2);

  pangea::trie::Entry nodata = block("pharma-test.example");
  nodata.meta.action = pangea::trie::Action::nodata;
  swap_list(r, {block("other.example"), nodata}, 2);
  Response unlisted = r.query("www.cheap-pills.example", "A");
  INFO(unlisted);
  CHECK(unlisted.answer_rdata("A") == kRealAddress);
  CHECK(unlisted.extended_errors.empty());
  Response changed = r.query("shop.pharma-test.example", "A");
  INFO(changed);
  CHECK(changed.rcode == "NOERROR");
  CHECK(changed.answer.empty());
  CHECK(changed.has_soa());
}

TEST_CASE("with serve-expired, the end of a validity window unblocks a cached name at once",
          "[enforce][answer-cache][validity]") {
  // Without the purge at the window's end, serve-expired would keep serving the
  // expired blocked answer: its TTL ends with the window, the entry does not.
  const int64_t not_after = static_cast<int64_t>(std::time(nullptr)) + 2;
  pangea::trie::Entry until = block("cheap-pills.example");
  until.meta.not_after = not_after;
  ResolverOptions options = cached_list({until});
  options.server_options = {"serve-expired: yes", "serve-expired-ttl: 86400"};
  TestResolver r(options);
  Response blocked = r.query("www.cheap-pills.example", "A");
  INFO(blocked);
  REQUIRE(blocked.rcode == "NXDOMAIN");
  REQUIRE(blocked.authority.size() == 1);
  CHECK(blocked.authority[0].ttl <= 2);  // never beyond the window's end
  REQUIRE(r.query("www.cheap-pills.example", "A").rcode == "NXDOMAIN");

  // The window watcher wakes within a second of the boundary (not_after + 1).
  while (static_cast<int64_t>(std::time(nullptr)) < not_after + 1)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  Response after = r.query("www.cheap-pills.example", "A");
  INFO(after << "\n" << r.log_tail());
  CHECK(after.answer_rdata("A") == kRealAddress);
  CHECK(after.extended_errors.empty());
}

TEST_CASE("a refresh of an expired cached blocked answer stores it again, not the real one",
          "[enforce][answer-cache]") {
  // A stale hit (serve-expired), like a hit past 90% of the TTL with prefetch:
  // yes, starts a prefetch: a query without a client, which the iterator would
  // answer with the real records and store over the blocked answer.
  ResolverOptions options = cached_list({block("cheap-pills.example")},
                                        "{ name: fr, file: fr.pbl, action: nxdomain, ttl: 1 }");
  options.server_options = {"serve-expired: yes", "serve-expired-ttl: 86400", "prefetch: yes"};
  TestResolver r(options);
  REQUIRE(r.query("www.cheap-pills.example", "A").rcode == "NXDOMAIN");
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  Response stale = r.query("www.cheap-pills.example", "A");
  INFO(stale);
  CHECK(stale.rcode == "NXDOMAIN");
  const ControlResult stats = r.control({"stats_noreset"});
  INFO(stats.output);
  CHECK_THAT(stats.output, Catch::Contains("total.num.prefetch=1"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const uint64_t hits = cache_hits(r);
  Response refreshed = r.query("www.cheap-pills.example", "A");
  INFO(refreshed);
  CHECK(refreshed.rcode == "NXDOMAIN");
  CHECK(refreshed.extended_errors.size() == 1);
  CHECK(cache_hits(r) == hits + 1);

  // And once the name is unlisted, the expired blocked answer is gone for good.
  swap_list(r, {block("other.example")}, 2);
  for (int i = 0; i < 3; ++i) {
    Response real = r.query("www.cheap-pills.example", "A");
    INFO(real);
    CHECK(real.answer_rdata("A") == kRealAddress);
  }
}

TEST_CASE("unbound-control reload_keep_cache drops the blocked answers of the old configuration",
          "[enforce][answer-cache][reload]") {
  TestResolver r(cached_list({block("cheap-pills.example")}));
  REQUIRE(r.query("www.cheap-pills.example", "A").rcode == "NXDOMAIN");
  REQUIRE(r.query("www.test", "A").answer_rdata("A") == Strings{"192.0.2.1"});
  TempDir::write_file(r.path("pangea.yaml"), "version: 1\nlists: []\n");
  const size_t from = r.log_size();
  const ControlResult reload = r.control({"reload_keep_cache"});
  INFO(reload.output << "\n" << r.log_tail());
  REQUIRE(reload.exit_code == 0);
  REQUIRE(r.wait_for_log("ready (instance", std::chrono::milliseconds(5000), from));
  CHECK(r.log().find("removed 1 cached blocked answer(s) of the previous configuration", from) !=
        std::string::npos);
  Response real = r.query("www.cheap-pills.example", "A");
  INFO(real);
  CHECK(real.answer_rdata("A") == kRealAddress);
  // The rest of the cache was kept.
  const uint64_t hits = cache_hits(r);
  CHECK(r.query("www.test", "A").answer_rdata("A") == Strings{"192.0.2.1"});
  CHECK(cache_hits(r) == hits + 1);
}

TEST_CASE("with cache.blocked_answers off every blocked query reaches the module",
          "[enforce][answer-cache]") {
  ResolverOptions options = cached_list({block("cheap-pills.example")});
  options.pangea_config = config_with("{ name: fr, file: fr.pbl, action: nxdomain, ttl: 60 }",
                                      "cache: { blocked_answers: false }\n");
  TestResolver r(options);
  const uint64_t before = cache_hits(r);
  for (int i = 0; i < 3; ++i) {
    Response blocked = r.query("www.cheap-pills.example", "A");
    CHECK(blocked.rcode == "NXDOMAIN");
    CHECK(blocked.extended_errors.size() == 1);
  }
  CHECK(cache_hits(r) == before);
}

TEST_CASE("blocked answers are stored by default", "[enforce][answer-cache]") {
  ResolverOptions options = cached_list({block("cheap-pills.example")});
  options.pangea_config =
      "version: 1\nlists:\n  - { name: fr, file: fr.pbl, action: nxdomain, ttl: 60 }\n";
  TestResolver r(options);
  REQUIRE(r.query("www.cheap-pills.example", "A").rcode == "NXDOMAIN");
  const uint64_t before = cache_hits(r);
  for (int i = 0; i < 3; ++i) {
    Response blocked = r.query("www.cheap-pills.example", "A");
    CHECK(blocked.rcode == "NXDOMAIN");
    CHECK(blocked.extended_errors.size() == 1);
  }
  CHECK(cache_hits(r) == before + 3);
}

namespace {

constexpr const char* kNxdomainList = "{ name: fr, file: fr.pbl, action: nxdomain, ttl: 60 }";
constexpr const char* kRedirectList =
    "{ name: fr, file: fr.pbl, action: redirect, ttl: 60, redirect: { a: [192.0.2.10] } }";

ResolverOptions listed_ns_host(const std::string& cache_config,
                               const std::string& list_line = kNxdomainList) {
  ResolverOptions options = cached_list({block("leaky.test")});
  options.pangea_config = config_with(list_line, cache_config);
  options.verbosity = 3;  // the iterator's target lookups
  options.extra_zones = glueless_delegation_zones();
  return options;
}

// Resolves a name under site.hosting.test (no server there: SERVFAIL, or no
// answer at all) and returns the resolver's log from that query on, once the
// iterator has looked the name server host up.
std::string resolve_under_hosting(const TestResolver& r, const std::string& name) {
  const size_t from = r.log_size();
  QueryOptions patient;
  patient.timeout = std::chrono::milliseconds(8000);
  try {
    (void)r.query(name, "A", patient);
  } catch (const DnsError&) {
  }
  REQUIRE(
      r.wait_for_log("sending query: ns1.leaky.test. A IN", std::chrono::milliseconds(3000), from));
  return r.log().substr(from);
}

// site.hosting.test is delegated without glue to ns1.leaky.test, under a listed
// domain: to resolve a name under it the iterator looks the host up itself,
// below the module, after filling the delegation's addresses from the caches
// (cache_fill_missing). A client asked for the host first, twice. Returns the
// resolver's log from the delegated query on.
std::string resolve_through_listed_ns_host(const std::string& cache_config,
                                           const std::string& list_line = kNxdomainList) {
  TestResolver r(listed_ns_host(cache_config, list_line));
  const std::string expected = list_line == kNxdomainList ? "NXDOMAIN" : "NOERROR";
  REQUIRE(r.query("ns1.leaky.test", "A").rcode == expected);
  REQUIRE(r.query("ns1.leaky.test", "A").rcode == expected);
  return resolve_under_hosting(r, "www.site.hosting.test");
}

}  // namespace

TEST_CASE("without stored blocked answers the iterator looks a listed name server host up",
          "[enforce][answer-cache]") {
  // The control for the tests below: an ordinary target lookup, not the
  // parent-side last resort.
  const std::string log = resolve_through_listed_ns_host("cache: { blocked_answers: false }\n");
  INFO(log);
  CHECK(log.find("pside target ns1.leaky.test.") == std::string::npos);
}

// A stored NXDOMAIN or NODATA for the host would mark it as having no address
// (delegpt_add_neg_msg), and a stored redirect is no address it can use
// either: both ended in the parent-side last resort before the guard
// (name_server_guard.h). The referral naming the host removes the stored
// answer before the iterator uses the caches.
TEST_CASE("a blocked answer stored before the host served a zone is removed by the referral",
          "[enforce][answer-cache][ns-hosts]") {
  const std::string list = GENERATE(std::string(kNxdomainList), std::string(kRedirectList));
  INFO(list);
  const std::string log =
      resolve_through_listed_ns_host("cache: { blocked_answers: true }\n", list);
  INFO(log);
  CHECK(log.find("pside target ns1.leaky.test.") == std::string::npos);
}

TEST_CASE("a blocked answer for a known name server host is never stored",
          "[enforce][answer-cache][ns-hosts]") {
  TestResolver r(listed_ns_host("cache: { blocked_answers: true }\n"));
  (void)resolve_under_hosting(r, "www.site.hosting.test");
  const uint64_t before = cache_hits(r);
  for (int i = 0; i < 3; ++i) {
    Response blocked = r.query("ns1.leaky.test", "A");
    CHECK(blocked.rcode == "NXDOMAIN");
    CHECK(blocked.extended_errors.size() == 1);
  }
  CHECK(cache_hits(r) == before);  // answered through the module each time
  // Other names under the listed domain are still stored (the control).
  REQUIRE(r.query("www.leaky.test", "A").rcode == "NXDOMAIN");
  REQUIRE(r.query("www.leaky.test", "A").rcode == "NXDOMAIN");
  CHECK(cache_hits(r) == before + 1);
  // And the delegation keeps working through the host.
  const std::string log = resolve_under_hosting(r, "www2.site.hosting.test");
  INFO(log);
  CHECK(log.find("pside target ns1.leaky.test.") == std::string::npos);
}

TEST_CASE("name server hosts are known at start: Unbound's stub hosts and a kept cache",
          "[enforce][answer-cache][ns-hosts]") {
  SECTION("a stub-zone's stub-host") {
    ResolverOptions options = listed_ns_host("cache: { blocked_answers: true }\n");
    options.extra_config =
        "stub-zone:\n  name: \"elsewhere.example\"\n  stub-host: ns1.leaky.test\n";
    TestResolver r(options);
    const uint64_t before = cache_hits(r);
    REQUIRE(r.query("ns1.leaky.test", "A").rcode == "NXDOMAIN");
    REQUIRE(r.query("ns1.leaky.test", "A").rcode == "NXDOMAIN");
    CHECK(cache_hits(r) == before);
  }
  SECTION("an NS RRset kept across unbound-control reload_keep_cache") {
    TestResolver r(listed_ns_host("cache: { blocked_answers: true }\n"));
    (void)resolve_under_hosting(r, "www.site.hosting.test");
    const size_t from = r.log_size();
    REQUIRE(r.control({"reload_keep_cache"}).exit_code == 0);
    REQUIRE(r.wait_for_log("ready (instance", std::chrono::milliseconds(5000), from));
    CHECK(r.log().find("name server host(s) known at start", from) != std::string::npos);
    const uint64_t before = cache_hits(r);
    REQUIRE(r.query("ns1.leaky.test", "A").rcode == "NXDOMAIN");
    REQUIRE(r.query("ns1.leaky.test", "A").rcode == "NXDOMAIN");
    CHECK(cache_hits(r) == before);
  }
}
