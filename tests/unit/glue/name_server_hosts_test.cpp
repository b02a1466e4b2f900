#include "name_server_hosts.h"
#include "wire_names.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

using pangea::unbound::NameServerHosts;

namespace {

constexpr int64_t kStart = 1'000'000;
constexpr int64_t kRetention = 86400;

std::vector<uint8_t> wire(const std::string& dotted) {
  const auto name = pangea::unbound::test::wire_keep_case(dotted);
  return {name.begin(), name.end()};
}

std::string random_host(std::mt19937_64& rng) {
  return "ns" + std::to_string(rng() % 1000) + ".h" + std::to_string(rng()) + ".test";
}

}  // namespace

TEST_CASE("a name server host added is found, in any letter case", "[glue][ns-hosts]") {
  NameServerHosts hosts(kRetention, kStart);
  CHECK_FALSE(hosts.may_contain(wire("ns1.leaky.test")));
  hosts.add(wire("NS1.Leaky.TEST"), kStart);
  CHECK(hosts.may_contain(wire("ns1.leaky.test")));
  CHECK(hosts.may_contain(wire("Ns1.LEAKY.test")));
  CHECK_FALSE(hosts.may_contain(wire("ns2.leaky.test")));
  CHECK_FALSE(hosts.may_contain(wire("leaky.test")));
}

TEST_CASE("no name server host added is ever reported absent", "[glue][ns-hosts]") {
  // A false negative would let a blocked answer for a host be stored; the
  // filter must answer true for every name added, at any load.
  NameServerHosts hosts(kRetention, kStart, 14);  // small: heavily loaded
  std::mt19937_64 rng(7);
  std::vector<std::vector<uint8_t>> added;
  for (int i = 0; i < 20000; ++i) {
    added.push_back(wire(random_host(rng)));
    hosts.add(added.back(), kStart + i % 100);
  }
  size_t missing = 0;
  for (const auto& name : added)
    missing += hosts.may_contain(name) ? 0 : 1;
  CHECK(missing == 0);
}

TEST_CASE("false positives stay rare at the default size", "[glue][ns-hosts]") {
  // 100,000 hosts in 2^21 bits with two bits each: (1 - e^(-0.095))^2 is about
  // 0.8% per generation. A false positive only makes a blocked name miss
  // the cache shortcut; this pins that the filter is sized as documented.
  NameServerHosts hosts(kRetention, kStart);
  std::mt19937_64 rng(11);
  for (int i = 0; i < 100000; ++i)
    hosts.add(wire(random_host(rng)), kStart);
  std::mt19937_64 other(12345);
  size_t positives = 0;
  const size_t probes = 20000;
  for (size_t i = 0; i < probes; ++i)
    positives += hosts.may_contain(wire("other" + random_host(other))) ? 1 : 0;
  INFO(positives << " of " << probes);
  CHECK(positives < probes * 2 / 100);
}

TEST_CASE("a host is kept for at least one retention after it was added, then dropped",
          "[glue][ns-hosts]") {
  NameServerHosts hosts(kRetention, kStart);
  const auto host = wire("ns1.leaky.test");
  const auto other = wire("ns.elsewhere.test");
  // Added just before the first rotation is due.
  hosts.add(host, kStart + kRetention - 1);
  SECTION("kept across the first rotation") {
    hosts.add(other, kStart + kRetention);  // rotates
    CHECK(hosts.may_contain(host));
    hosts.add(other, kStart + 2 * kRetention - 2);  // not due yet
    CHECK(hosts.may_contain(host));
  }
  SECTION("dropped at the second rotation, one retention after the first") {
    hosts.add(other, kStart + kRetention);      // rotation 1
    hosts.add(other, kStart + 2 * kRetention);  // rotation 2
    CHECK_FALSE(hosts.may_contain(host));
    CHECK(hosts.may_contain(other));  // added again just now
  }
  SECTION("added again, it stays") {
    hosts.add(host, kStart + kRetention);       // rotation 1, and added to the new generation
    hosts.add(other, kStart + 2 * kRetention);  // rotation 2
    CHECK(hosts.may_contain(host));
  }
}

TEST_CASE("time going backwards neither rotates nor loses hosts", "[glue][ns-hosts]") {
  NameServerHosts hosts(kRetention, kStart);
  const auto host = wire("ns1.leaky.test");
  hosts.add(host, kStart);
  for (int64_t back = 1; back < 5; ++back)
    hosts.add(wire("ns" + std::to_string(back) + ".test"), kStart - back * kRetention);
  CHECK(hosts.may_contain(host));
}
