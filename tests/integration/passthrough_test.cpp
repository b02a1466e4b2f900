// The resolver with pangea.so in front of the iterator, while the module
// passes every query through: whole answers must be exactly what nsd serves.

#include <algorithm>

#include <catch2/catch.hpp>

#include "harness/test_resolver.h"

using namespace pangea::integration;
using Strings = std::vector<std::string>;

TEST_CASE("a name from the test zone resolves through the module", "[passthrough]") {
  TestResolver r;
  Response a = r.query("www.test", "A");
  INFO(a);
  CHECK(a.rcode == "NOERROR");
  CHECK(a.qr);
  CHECK(a.ra);
  CHECK(a.rd);
  CHECK_FALSE(a.aa);
  CHECK_FALSE(a.tc);
  CHECK(a.question == "www.test. IN A");
  REQUIRE(a.answer.size() == 1);
  CHECK(a.answer[0] == Record{"www.test.", "IN", "A", 3600, "192.0.2.1"});
  CHECK(a.edns);

  Response aaaa = r.query("www.test", "AAAA");
  CHECK(aaaa.answer_rdata("AAAA") == Strings{"2001:db8::1"});
  Response mx = r.query("test", "MX");
  CHECK(mx.answer_rdata("MX") == Strings{"10 mail.test."});
  Response txt = r.query("www.test", "TXT");
  CHECK(txt.answer_rdata("TXT") == Strings{"\"pangea integration test\""});
}

TEST_CASE("the module announces itself in the unbound log", "[passthrough]") {
  TestResolver r;
  INFO(r.log_tail());
  CHECK(r.wait_for_log("pangea: module"));
}

TEST_CASE("NXDOMAIN for a missing name passes through with the zone's SOA", "[passthrough]") {
  TestResolver r;
  Response nx = r.query("nothere.test", "A");
  INFO(nx);
  CHECK(nx.rcode == "NXDOMAIN");
  CHECK(nx.answer.empty());
  REQUIRE(nx.authority.size() == 1);
  CHECK(nx.authority[0].owner == "test.");
  CHECK(nx.authority[0].type == "SOA");
  CHECK(nx.authority[0].rdata == "ns.test. hostmaster.test. 2026112901 3600 900 604800 300");

  // NODATA (the name exists, the type does not) is NOERROR with the SOA, too.
  Response nodata = r.query("www.test", "MX");
  INFO(nodata);
  CHECK(nodata.rcode == "NOERROR");
  CHECK(nodata.answer.empty());
  CHECK(nodata.has_soa());
}

TEST_CASE("CNAME chains are followed to the end", "[passthrough]") {
  TestResolver r;
  Response a = r.query("alias2.test", "A");
  INFO(a);
  CHECK(a.rcode == "NOERROR");
  REQUIRE(a.answer.size() == 3);
  CHECK(a.answer[0] == Record{"alias2.test.", "IN", "CNAME", 3600, "alias.test."});
  CHECK(a.answer[1] == Record{"alias.test.", "IN", "CNAME", 3600, "www.cheap-pills.example."});
  CHECK(a.answer[2] == Record{"www.cheap-pills.example.", "IN", "A", 3600, "198.51.100.7"});

  Response wild = r.query("anything.pharma-test.example", "A");
  CHECK(wild.answer_rdata("A") == Strings{"198.51.100.8"});
}

TEST_CASE("TCP works, and a truncated UDP answer says so", "[passthrough]") {
  TestResolver r;
  QueryOptions tcp;
  tcp.transport = Transport::tcp;
  Response a = r.query("www.test", "A", tcp);
  INFO(a);
  CHECK(a.rcode == "NOERROR");
  CHECK(a.answer_rdata("A") == Strings{"192.0.2.1"});

  // Larger than 512 bytes: without EDNS, UDP gets TC; TCP gets all 7 records.
  QueryOptions plain_udp;
  plain_udp.edns = false;
  Response truncated = r.query("big.test", "TXT", plain_udp);
  INFO(truncated);
  CHECK(truncated.tc);
  CHECK_FALSE(truncated.edns);
  QueryOptions plain_tcp = plain_udp;
  plain_tcp.transport = Transport::tcp;
  Response big = r.query("big.test", "TXT", plain_tcp);
  CHECK_FALSE(big.tc);
  CHECK(big.answer_rdata("TXT").size() == 7);
  CHECK(big.wire_size > 512);
}

TEST_CASE("unbound-control reload keeps the resolver answering", "[passthrough]") {
  TestResolver r;
  REQUIRE(r.query("www.test", "A").answer_rdata("A") == Strings{"192.0.2.1"});
  size_t before = r.log_size();
  ControlResult reload = r.control({"reload"});
  INFO(reload.output << r.log_tail());
  REQUIRE(reload.exit_code == 0);
  CHECK(reload.output.find("ok") != std::string::npos);
  // reload runs the module's deinit and init again.
  CHECK(r.wait_for_log("pangea: module", std::chrono::milliseconds(5000), before));
  Response a = r.query("www.test", "A");
  CHECK(a.rcode == "NOERROR");
  CHECK(a.answer_rdata("A") == Strings{"192.0.2.1"});
  CHECK(r.control({"status"}).exit_code == 0);
}

TEST_CASE("flags and source addresses reach the resolver", "[passthrough]") {
  // Only 127.0.0.3 may read the cache without recursion (RD=0).
  ResolverOptions options;
  options.server_options.push_back("access-control: 127.0.0.3/32 allow_snoop");
  TestResolver r(options);

  QueryOptions cd;
  cd.checking_disabled = true;
  cd.dnssec_ok = true;
  cd.source_address = "127.0.0.2";
  Response multi = r.query("multi.test", "A", cd);
  INFO(multi);
  CHECK(multi.cd);
  CHECK(multi.dnssec_ok);
  CHECK_FALSE(multi.ad);  // nothing is signed
  auto rdata = multi.answer_rdata("A");
  std::sort(rdata.begin(), rdata.end());
  CHECK(rdata == Strings{"192.0.2.11", "192.0.2.12"});

  QueryOptions no_rd;
  no_rd.recursion_desired = false;
  no_rd.source_address = "127.0.0.2";
  Response refused = r.query("multi.test", "A", no_rd);
  INFO(refused);
  CHECK(refused.rcode == "REFUSED");
  CHECK_FALSE(refused.rd);

  no_rd.source_address = "127.0.0.3";
  Response snooped = r.query("multi.test", "A", no_rd);
  INFO(snooped);
  CHECK(snooped.rcode == "NOERROR");
  CHECK(snooped.answer_rdata("A").size() == 2);
  CHECK(snooped.answer[0].ttl <= 3600);
}

TEST_CASE("a dead upstream delays only its own names", "[passthrough]") {
  TestResolver r;
  QueryOptions quick;
  quick.timeout = std::chrono::milliseconds(300);
  CHECK_THROWS_AS(r.query("www.unreachable.test", "A", quick), DnsError);
  Response a = r.query("www.test", "A", quick);
  CHECK(a.answer_rdata("A") == Strings{"192.0.2.1"});
  Response loop = r.query("loop1.test", "A");
  CHECK(loop.rcode == "SERVFAIL");
}
