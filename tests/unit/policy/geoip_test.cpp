#include "pangea/policy/geoip.h"

#include <catch2/catch.hpp>

#include "support.h"

using namespace pangea::policy;
using pangea::policy::test::kMmdbDir;

namespace {

std::shared_ptr<const GeoIp> open_test_db() {
  std::string error;
  auto geoip = GeoIp::open(kMmdbDir + "/GeoIP2-Country-Test.mmdb", error);
  INFO(error);
  REQUIRE(geoip);
  return geoip;
}

std::string country_of(const GeoIp& geoip, const char* text) {
  auto address = Address::parse(text);
  REQUIRE(address.has_value());
  return std::string(to_string_view(geoip.country(*address)));
}

}  // namespace

TEST_CASE("countries from MaxMind's test database", "[geoip]") {
  auto geoip = open_test_db();
  // Networks and countries from tests/data/mmdb/GeoIP2-Country-Test.json.
  struct Case {
    const char* address;
    const char* country;
  };
  const Case cases[] = {
      {"81.2.69.142", "GB"},        {"81.2.69.143", "GB"},   {"81.2.69.141", "unknown"},
      {"89.160.20.112", "SE"},      {"216.160.83.56", "US"}, {"2001:218::1", "JP"},
      {"2001:220::1", "KR"},        {"2a02:cfc0::1", "FR"},  {"2a02:d500::1", "unknown"},
      {"::ffff:81.2.69.142", "GB"},  // mapped: looked up as IPv4
      {"192.0.2.1", "unknown"},
  };
  for (const auto& c : cases) {
    INFO(c.address);
    CHECK(country_of(*geoip, c.address) == c.country);
  }
  CHECK(geoip->country(Address()) == kUnknownCountry);
  CHECK(geoip->describe().find("GeoIP2-Country") == 0);
}

TEST_CASE("a client looks its country up once per database", "[geoip]") {
  auto geoip = open_test_db();
  Client client(*Address::parse("2a02:cfc0::1"));
  CHECK(client.country(geoip.get()) == CountryCode{'F', 'R'});
  CHECK(client.country(geoip.get()) == CountryCode{'F', 'R'});
  CHECK(client.country(nullptr) == kUnknownCountry);
}

TEST_CASE("missing, corrupt and country-less databases are refused", "[geoip]") {
  struct Case {
    std::string file;
    const char* reason;
  };
  const Case cases[] = {
      {kMmdbDir + "/no-such.mmdb", "Error opening the specified MaxMind DB file"},
      {kMmdbDir + "/GeoLite2-ASN-Test.mmdb", "expected a Country, City or Enterprise database"},
      {kMmdbDir + "/MaxMind-DB-test-broken-search-tree-24.mmdb", ""},
      {kMmdbDir + "/MaxMind-DB-test-broken-pointers-24.mmdb", ""},
      {kMmdbDir + "/README.md", "The MaxMind DB file"},
  };
  for (const auto& c : cases) {
    INFO(c.file);
    std::string error;
    CHECK_FALSE(GeoIp::open(c.file, error));
    INFO(error);
    CHECK(error.find(c.file) != std::string::npos);
    CHECK(error.find(c.reason) != std::string::npos);
  }
}
