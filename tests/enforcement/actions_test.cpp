// Each action against the real Unbound + nsd, asserting on whole answers:
// rcode, flags, question, every record, TTLs and the EDE option.

#include <algorithm>
#include <thread>

#include <catch2/catch.hpp>

#include "harness/log_file.h"
#include "harness/test_resolver.h"
#include "list_files.h"

using namespace pangea::integration;
using Strings = std::vector<std::string>;

namespace {

const ExtendedError kCensored{16, "blocked by order of DNRED Cyberdouane, referral CYB-2026-0042"};
const std::string kSoaRdata = "pangea.invalid. hostmaster.pangea.invalid. 1 3600 600 86400 120";

// One list, `cheap-pills.example` and everything under it, with `action`.
ResolverOptions one_list(const std::string& action, const std::string& extra = "") {
  ResolverOptions options;
  options.files["fr.pbl"] = compile_list({block("cheap-pills.example")});
  options.pangea_config =
      "version: 1\n"
      "lists:\n"
      "  - name: fr-customs\n"
      "    file: fr.pbl\n"
      "    action: " +
      action +
      "\n"
      "    ttl: 120\n"
      "    ede: { code: censored, text: \"blocked by order of {agency}, referral {referral}\" }\n" +
      extra;
  return options;
}

void check_policy_flags(const Response& r) {
  CHECK(r.qr);
  CHECK(r.rd);
  CHECK(r.ra);
  CHECK_FALSE(r.aa);
  CHECK_FALSE(r.ad);
  CHECK_FALSE(r.tc);
}

}  // namespace

TEST_CASE("nxdomain: the listed name and names under it, with SOA and EDE", "[enforce][nxdomain]") {
  TestResolver r(one_list("nxdomain"));
  for (const char* name : {"cheap-pills.example", "shop.cheap-pills.example",
                           "deep.sub.cheap-pills.example", "not-in-zone.cheap-pills.example"}) {
    Response nx = r.query(name, "A");
    INFO(nx);
    CHECK(nx.rcode == "NXDOMAIN");
    check_policy_flags(nx);
    CHECK(nx.answer.empty());
    REQUIRE(nx.authority.size() == 1);
    CHECK(nx.authority[0] == Record{"cheap-pills.example.", "IN", "SOA", 120, kSoaRdata});
    CHECK(nx.extended_errors == std::vector<ExtendedError>{kCensored});
  }
}

TEST_CASE("nxdomain: nearest non-matches resolve normally", "[enforce][nxdomain]") {
  TestResolver r(one_list("nxdomain"));
  const struct {
    const char* name;
    const char* address;
  } passes[] = {
      {"notcheap-pills.example", "192.0.2.70"},    // same suffix, no label boundary
      {"pills.example", "192.0.2.71"},             // the parent's other child
      {"cheap-pills-shop.example", "192.0.2.73"},  // starts with the listed label
      {"cheap-pills.example.test", "192.0.2.80"},  // listed labels under another suffix
  };
  for (const auto& pass : passes) {
    Response a = r.query(pass.name, "A");
    INFO(a);
    CHECK(a.rcode == "NOERROR");
    CHECK(a.answer_rdata("A") == Strings{pass.address});
    CHECK(a.extended_errors.empty());
  }
}

TEST_CASE("the query name's case is preserved in a blocked answer", "[enforce][nxdomain]") {
  TestResolver r(one_list("nxdomain"));
  Response nx = r.query("Shop.CHEAP-pills.Example", "A");
  INFO(nx);
  CHECK(nx.rcode == "NXDOMAIN");
  CHECK(nx.question == "Shop.CHEAP-pills.Example. IN A");
}

TEST_CASE("nodata: NOERROR, no answer, SOA and EDE for every type", "[enforce][nodata]") {
  TestResolver r(one_list("nodata"));
  for (const char* type : {"A", "AAAA", "MX", "TXT"}) {
    Response nodata = r.query("www.cheap-pills.example", type);
    INFO(nodata);
    CHECK(nodata.rcode == "NOERROR");
    check_policy_flags(nodata);
    CHECK(nodata.answer.empty());
    REQUIRE(nodata.authority.size() == 1);
    CHECK(nodata.authority[0] == Record{"cheap-pills.example.", "IN", "SOA", 120, kSoaRdata});
    CHECK(nodata.extended_errors == std::vector<ExtendedError>{kCensored});
  }
}

TEST_CASE("redirect: A and AAAA of the landing page, NODATA for other types",
          "[enforce][redirect]") {
  TestResolver r(one_list(
      "redirect", "    redirect: { a: [192.0.2.10, 192.0.2.11], aaaa: [\"2001:db8::10\"] }\n"));
  Response a = r.query("www.cheap-pills.example", "A");
  INFO(a);
  CHECK(a.rcode == "NOERROR");
  check_policy_flags(a);
  // Unbound rotates the records of an RRset (rrset-roundrobin): compare as a set.
  std::vector<Record> records = a.answer;
  std::sort(records.begin(), records.end(),
            [](const Record& x, const Record& y) { return x.rdata < y.rdata; });
  CHECK(records == std::vector<Record>{{"www.cheap-pills.example.", "IN", "A", 120, "192.0.2.10"},
                                       {"www.cheap-pills.example.", "IN", "A", 120, "192.0.2.11"}});
  CHECK(a.authority.empty());
  CHECK(a.extended_errors == std::vector<ExtendedError>{kCensored});

  Response aaaa = r.query("www.cheap-pills.example", "AAAA");
  INFO(aaaa);
  CHECK(aaaa.answer ==
        std::vector<Record>{{"www.cheap-pills.example.", "IN", "AAAA", 120, "2001:db8::10"}});

  Response mx = r.query("www.cheap-pills.example", "MX");
  INFO(mx);
  CHECK(mx.rcode == "NOERROR");
  CHECK(mx.answer.empty());
  CHECK(mx.has_soa());
  CHECK(mx.extended_errors == std::vector<ExtendedError>{kCensored});
}

TEST_CASE("redirect with IPv4 only answers AAAA with NODATA", "[enforce][redirect]") {
  TestResolver r(one_list("redirect", "    redirect: { a: [192.0.2.10] }\n"));
  Response aaaa = r.query("cheap-pills.example", "AAAA");
  INFO(aaaa);
  CHECK(aaaa.rcode == "NOERROR");
  CHECK(aaaa.answer.empty());
  CHECK(aaaa.has_soa());
}

TEST_CASE("cname: a CNAME to the landing name, which then resolves normally", "[enforce][cname]") {
  TestResolver r(one_list("cname", "    cname: www.test.\n"));
  Response a = r.query("shop.cheap-pills.example", "A");
  INFO(a);
  CHECK(a.rcode == "NOERROR");
  check_policy_flags(a);
  CHECK(a.answer ==
        std::vector<Record>{{"shop.cheap-pills.example.", "IN", "CNAME", 120, "www.test."},
                            {"www.test.", "IN", "A", 3600, "192.0.2.1"}});
  CHECK(a.extended_errors == std::vector<ExtendedError>{kCensored});

  Response aaaa = r.query("shop.cheap-pills.example", "AAAA");
  INFO(aaaa);
  CHECK(aaaa.answer_rdata("CNAME") == Strings{"www.test."});
  CHECK(aaaa.answer_rdata("AAAA") == Strings{"2001:db8::1"});
}

TEST_CASE("refuse: REFUSED with EDE", "[enforce][refuse]") {
  TestResolver r(one_list("refuse"));
  Response refused = r.query("www.cheap-pills.example", "A");
  INFO(refused);
  CHECK(refused.rcode == "REFUSED");
  CHECK(refused.answer.empty());
  CHECK(refused.extended_errors == std::vector<ExtendedError>{kCensored});
}

TEST_CASE("drop: no answer at all, while other names still resolve", "[enforce][drop]") {
  TestResolver r(one_list("drop"));
  QueryOptions quick;
  quick.timeout = std::chrono::milliseconds(700);
  CHECK_FALSE(r.client().try_query("www.cheap-pills.example", "A", quick).has_value());
  Response a = r.query("www.test", "A");
  CHECK(a.answer_rdata("A") == Strings{"192.0.2.1"});
}

TEST_CASE("log-only: the real answer, and the hit in the hit log", "[enforce][log-only]") {
  TestResolver r(one_list("log-only", "hit_log: { file: hits.log, rate: 100 }\n"));
  Response a = r.query("www.cheap-pills.example", "A");
  INFO(a);
  CHECK(a.rcode == "NOERROR");
  CHECK(a.answer_rdata("A") == Strings{"198.51.100.7"});
  CHECK(a.extended_errors.empty());
  // The hit log is written by a background thread: wait for the line (bounded).
  std::string hits;
  for (int i = 0; i < 100 && hits.find('\n') == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    hits = read_file(r.path("hits.log"));
  }
  CHECK_THAT(hits, Catch::Contains("\"qname\":\"www.cheap-pills.example\""));
  CHECK_THAT(hits, Catch::Contains("\"entry\":\"cheap-pills.example\""));
  CHECK_THAT(hits, Catch::Contains("\"referral\":\"CYB-2026-0042\""));
  CHECK_THAT(hits, Catch::Contains("\"action\":\"log-only\""));
  CHECK_THAT(hits, Catch::Contains("\"client\":\"127.0.0.1\""));
}

TEST_CASE("EDE only when the client sent EDNS, and never with ede: none", "[enforce][ede]") {
  {
    TestResolver r(one_list("nxdomain"));
    QueryOptions plain;
    plain.edns = false;
    Response nx = r.query("www.cheap-pills.example", "A", plain);
    INFO(nx);
    CHECK(nx.rcode == "NXDOMAIN");
    CHECK_FALSE(nx.edns);
    CHECK(nx.extended_errors.empty());
  }
  {
    ResolverOptions options;
    options.files["fr.pbl"] = compile_list({block("cheap-pills.example")});
    options.pangea_config =
        "version: 1\nlists:\n  - name: fr\n    file: fr.pbl\n    action: nxdomain\n    ede: none\n";
    TestResolver r(options);
    Response nx = r.query("www.cheap-pills.example", "A");
    INFO(nx);
    CHECK(nx.rcode == "NXDOMAIN");
    CHECK(nx.edns);
    CHECK(nx.extended_errors.empty());
  }
}

TEST_CASE("EDE codes 15 and 17 are selectable per list", "[enforce][ede]") {
  ResolverOptions options;
  options.files["a.pbl"] = compile_list({block("cheap-pills.example")});
  options.files["b.pbl"] = compile_list({block("pharma-test.example")});
  options.pangea_config =
      "version: 1\nlists:\n"
      "  - { name: a, file: a.pbl, action: nxdomain, ede: { code: blocked, text: \"list {list}\" } "
      "}\n"
      "  - { name: b, file: b.pbl, action: nxdomain, ede: { code: filtered } }\n";
  TestResolver r(options);
  Response a = r.query("cheap-pills.example", "A");
  INFO(a);
  CHECK(a.extended_errors == std::vector<ExtendedError>{{15, "list fr-customs"}});
  Response b = r.query("www.pharma-test.example", "A");
  INFO(b);
  REQUIRE(b.extended_errors.size() == 1);
  CHECK(b.extended_errors[0].info_code == 17);
}

TEST_CASE("DO set: still blocked, never AD", "[enforce][dnssec]") {
  TestResolver r(one_list("nxdomain"));
  QueryOptions dnssec;
  dnssec.dnssec_ok = true;
  Response nx = r.query("www.cheap-pills.example", "A", dnssec);
  INFO(nx);
  CHECK(nx.rcode == "NXDOMAIN");
  CHECK_FALSE(nx.ad);
  CHECK(nx.dnssec_ok);
  QueryOptions cd = dnssec;
  cd.checking_disabled = true;
  Response nx_cd = r.query("www.cheap-pills.example", "A", cd);
  INFO(nx_cd);
  CHECK(nx_cd.rcode == "NXDOMAIN");
  CHECK_FALSE(nx_cd.ad);
}

TEST_CASE("blocked answers over TCP are the same as over UDP", "[enforce][tcp]") {
  TestResolver r(one_list("redirect", "    redirect: { a: [192.0.2.10] }\n"));
  QueryOptions tcp;
  tcp.transport = Transport::tcp;
  Response over_tcp = r.query("www.cheap-pills.example", "A", tcp);
  Response over_udp = r.query("www.cheap-pills.example", "A");
  INFO(over_tcp);
  CHECK(over_tcp.answer == over_udp.answer);
  CHECK(over_tcp.extended_errors == over_udp.extended_errors);
  CHECK(over_tcp.answer_rdata("A") == Strings{"192.0.2.10"});
}
