// Client scope: lists limited to networks and countries (GeoIP). A decision
// that depends on the client must never reach another client through the
// cache, whichever client asks first.

#include <catch2/catch.hpp>

#include "harness/test_resolver.h"
#include "list_files.h"

using namespace pangea::integration;
using Strings = std::vector<std::string>;

namespace {

const Strings kRealAddress{"198.51.100.7"};

// 127.0.0.2 is in France and 127.0.0.3 in Germany in the test database
// (tests/enforcement/data/write-test-mmdb); 127.0.0.4 is in no country.
QueryOptions from(const char* address) {
  QueryOptions options;
  options.source_address = address;
  return options;
}

ResolverOptions scoped(const std::string& clients) {
  ResolverOptions options;
  options.files["fr.pbl"] = compile_list({block("cheap-pills.example")});
  options.pangea_config =
      "version: 1\n"
      "geoip: { database: \"" PANGEA_TEST_COUNTRIES_MMDB
      "\" }\n"
      "lists:\n"
      "  - name: fr\n"
      "    file: fr.pbl\n"
      "    action: nxdomain\n"
      "    clients: " +
      clients + "\n";
  return options;
}

bool blocked(const TestResolver& r, const char* client) {
  Response a = r.query("www.cheap-pills.example", "A", from(client));
  INFO("client " << client << "\n" << a);
  if (a.rcode == "NXDOMAIN")
    return true;
  CHECK(a.answer_rdata("A") == kRealAddress);
  return false;
}

}  // namespace

TEST_CASE("a country-scoped list blocks its country's clients only, blocked client first",
          "[enforce][scope]") {
  TestResolver r(scoped("{ countries: [FR] }"));
  CHECK(blocked(r, "127.0.0.2"));
  CHECK_FALSE(blocked(r, "127.0.0.3"));
  CHECK(blocked(r, "127.0.0.2"));
  CHECK_FALSE(blocked(r, "127.0.0.3"));
}

TEST_CASE("a country-scoped list blocks its country's clients only, allowed client first",
          "[enforce][scope]") {
  TestResolver r(scoped("{ countries: [FR] }"));
  // The German client's real answer must not be cached and then served to the
  // French client.
  CHECK_FALSE(blocked(r, "127.0.0.3"));
  CHECK(blocked(r, "127.0.0.2"));
  CHECK_FALSE(blocked(r, "127.0.0.3"));
  CHECK(blocked(r, "127.0.0.2"));
}

TEST_CASE("clients of unknown country follow unknown_country", "[enforce][scope]") {
  {
    TestResolver r(scoped("{ countries: [FR], unknown_country: skip }"));
    CHECK_FALSE(blocked(r, "127.0.0.4"));
    CHECK(blocked(r, "127.0.0.2"));
  }
  {
    TestResolver r(scoped("{ countries: [FR], unknown_country: apply }"));
    CHECK(blocked(r, "127.0.0.4"));
    CHECK_FALSE(blocked(r, "127.0.0.3"));
  }
}

TEST_CASE("a network-scoped list with an exclusion", "[enforce][scope]") {
  TestResolver r(scoped("{ networks: [127.0.0.0/29], exclude: [127.0.0.3/32] }"));
  CHECK(blocked(r, "127.0.0.2"));
  CHECK_FALSE(blocked(r, "127.0.0.3"));  // the regulator's monitoring network
  CHECK_FALSE(blocked(r, "127.0.0.9"));  // outside the networks
  CHECK(blocked(r, "127.0.0.4"));
  CHECK_FALSE(blocked(r, "127.0.0.3"));
}
