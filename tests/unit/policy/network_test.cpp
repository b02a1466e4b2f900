#include "pangea/policy/network.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <catch2/catch.hpp>
#include <cstring>

using namespace pangea::policy;

namespace {

Address addr(const char* text) {
  auto address = Address::parse(text);
  REQUIRE(address.has_value());
  return *address;
}

Network net(const char* text) {
  std::string error;
  auto network = Network::parse(text, error);
  INFO(error);
  REQUIRE(network.has_value());
  return *network;
}

}  // namespace

TEST_CASE("addresses parse and print", "[network]") {
  CHECK(addr("192.0.2.1").family == Address::Family::v4);
  CHECK(addr("192.0.2.1").to_string() == "192.0.2.1");
  CHECK(addr("2001:DB8::1").to_string() == "2001:db8::1");
  // Dual-stack sockets report IPv4 clients as mapped addresses: they are IPv4.
  CHECK(addr("::ffff:192.0.2.1") == addr("192.0.2.1"));
  CHECK_FALSE(Address::parse("").has_value());
  CHECK_FALSE(Address::parse("192.0.2.256").has_value());
  CHECK_FALSE(Address::parse("192.0.2.1/32").has_value());
  CHECK_FALSE(Address::parse("example.com").has_value());
  CHECK(Address().empty());
}

TEST_CASE("addresses from sockaddr", "[network]") {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  inet_pton(AF_INET, "10.1.2.3", &in.sin_addr);
  CHECK(Address::from_sockaddr(reinterpret_cast<const sockaddr*>(&in), sizeof in) ==
        addr("10.1.2.3"));
  CHECK(Address::from_sockaddr(reinterpret_cast<const sockaddr*>(&in), sizeof in - 1).empty());

  sockaddr_in6 in6{};
  in6.sin6_family = AF_INET6;
  inet_pton(AF_INET6, "::ffff:10.1.2.3", &in6.sin6_addr);
  CHECK(Address::from_sockaddr(reinterpret_cast<const sockaddr*>(&in6), sizeof in6) ==
        addr("10.1.2.3"));
  inet_pton(AF_INET6, "2001:db8::7", &in6.sin6_addr);
  CHECK(Address::from_sockaddr(reinterpret_cast<const sockaddr*>(&in6), sizeof in6) ==
        addr("2001:db8::7"));

  sockaddr unix_like{};
  unix_like.sa_family = AF_UNIX;
  CHECK(Address::from_sockaddr(&unix_like, sizeof unix_like).empty());
  CHECK(Address::from_sockaddr(nullptr, 0).empty());
}

TEST_CASE("network membership, each match next to its nearest non-match", "[network]") {
  struct Case {
    const char* network;
    const char* address;
    bool contained;
  };
  const Case cases[] = {
      {"10.0.0.0/8", "10.0.0.0", true},
      {"10.0.0.0/8", "10.255.255.255", true},
      {"10.0.0.0/8", "11.0.0.0", false},
      {"10.0.0.0/8", "9.255.255.255", false},
      {"192.0.2.128/25", "192.0.2.128", true},
      {"192.0.2.128/25", "192.0.2.127", false},
      {"192.0.2.1", "192.0.2.1", true},  // a bare address is a /32
      {"192.0.2.1", "192.0.2.2", false},
      {"0.0.0.0/0", "203.0.113.9", true},
      {"0.0.0.0/0", "2001:db8::1", false},  // families never mix
      {"10.0.0.0/8", "::ffff:10.1.1.1", true},
      {"2001:db8::/32", "2001:db8:ffff::1", true},
      {"2001:db8::/32", "2001:db9::1", false},
      {"2001:db8::/33", "2001:db8:7fff::1", true},
      {"2001:db8::/33", "2001:db8:8000::1", false},
      {"::/0", "::1", true},
      {"::/0", "127.0.0.1", false},
      {"2001:db8::1", "2001:db8::1", true},
      {"2001:db8::1", "2001:db8::2", false},
  };
  for (const auto& c : cases) {
    INFO(c.network << " contains " << c.address);
    CHECK(net(c.network).contains(addr(c.address)) == c.contained);
  }
  CHECK_FALSE(net("0.0.0.0/0").contains(Address()));
}

TEST_CASE("bad networks say what is wrong", "[network]") {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"10.0.0.1/8", "found host bits set in '10.0.0.1/8', expected 10.0.0.0/8"},
      {"2001:db8::1/32", "found host bits set in '2001:db8::1/32', expected 2001:db8::/32"},
      {"10.0.0.0/33", "found prefix length '33' in '10.0.0.0/33', expected 0 to 32"},
      {"10.0.0.0/", "found prefix length '' in '10.0.0.0/', expected 0 to 32"},
      {"10.0.0.0/8x", "found prefix length '8x' in '10.0.0.0/8x', expected 0 to 32"},
      {"intranet",
       "found 'intranet', expected an IPv4 or IPv6 network such as 10.0.0.0/8 or "
       "2001:db8::/32"},
      {"::ffff:10.0.0.0/104",
       "found '::ffff:10.0.0.0/104', expected an IPv4 network in dotted "
       "form, not an IPv4-mapped IPv6 one"},
  };
  for (const auto& c : cases) {
    std::string error;
    CHECK_FALSE(Network::parse(c.text, error).has_value());
    CHECK(error == c.error);
  }
}

TEST_CASE("a client without a database or an address has no country", "[network]") {
  CHECK(Client(addr("81.2.69.142")).country(nullptr) == kUnknownCountry);
  CHECK(Client().country(nullptr) == kUnknownCountry);
  CHECK(to_string_view(kUnknownCountry) == "unknown");
  CHECK(to_string_view(CountryCode{'F', 'R'}) == "FR");
}
