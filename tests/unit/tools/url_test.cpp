#include "url.h"

#include <catch2/catch.hpp>

using namespace pangea::tools;

TEST_CASE("the host is taken out of pasted URLs", "[url]") {
  struct Case {
    const char* url;
    const char* host;
  };
  const Case cases[] = {
      {"https://www.cheap-pills.example/buy?x=1", "www.cheap-pills.example"},
      {"http://Cheap-Pills.example", "Cheap-Pills.example"},
      {"https://user:pass@shop.example:8443/path", "shop.example"},
      {"https://user@shop.example", "shop.example"},
      {"https://a:b@c@shop.example/", "shop.example"},  // last '@' ends the userinfo
      {"https://shop.example#frag", "shop.example"},
      {"https://shop.example?q", "shop.example"},
      {"https://shop.example:/x", nullptr},  // empty port
      {"hxxp://shop.example/", "shop.example"},
      {"shop.example/path", "shop.example"},  // without a scheme
      {"shop.example:80", "shop.example"},
      {"https://bücher.example/", "bücher.example"},
  };
  for (const Case& c : cases) {
    INFO(c.url);
    UrlError error;
    auto host = host_from_url(c.url, error);
    if (c.host == nullptr) {
      CHECK_FALSE(host.has_value());
    } else {
      REQUIRE(host.has_value());
      CHECK(*host == c.host);
    }
  }
}

TEST_CASE("IP literals, bad ports and missing hosts are errors", "[url]") {
  struct Case {
    const char* url;
    const char* kind;
    const char* message;
  };
  const Case cases[] = {
      {"https://[2001:db8::1]/buy", "ip-address",
       "IPv6 literal '[2001:db8::1]' in URL 'https://[2001:db8::1]/buy', expected a host name"},
      {"https://[2001:db8::1]:8080/", "ip-address",
       "IPv6 literal '[2001:db8::1]:8080' in URL 'https://[2001:db8::1]:8080/', expected a host "
       "name"},
      {"http://192.0.2.7:8080/x", "ip-address",
       "IP address '192.0.2.7' in URL 'http://192.0.2.7:8080/x', expected a host name"},
      {"https://shop.example:http/", "url",
       "port 'http' in URL 'https://shop.example:http/', expected a number"},
      {"https://shop.example:123456/", "url",
       "port '123456' in URL 'https://shop.example:123456/', expected a number"},
      {"https:///path", "url", "URL 'https:///path' without a host, expected scheme://host/..."},
      {"https://user@/", "url", "URL 'https://user@/' without a host, expected scheme://host/..."},
  };
  for (const Case& c : cases) {
    INFO(c.url);
    UrlError error;
    CHECK_FALSE(host_from_url(c.url, error).has_value());
    CHECK(error.kind == c.kind);
    CHECK(error.message == c.message);
  }
}

TEST_CASE("has_url_scheme", "[url]") {
  CHECK(has_url_scheme("https://x"));
  CHECK(has_url_scheme("svn+ssh://x"));
  CHECK_FALSE(has_url_scheme("x.example"));
  CHECK_FALSE(has_url_scheme("://x"));
  CHECK_FALSE(has_url_scheme("1http://x"));
  CHECK_FALSE(has_url_scheme("http:/x"));
}
