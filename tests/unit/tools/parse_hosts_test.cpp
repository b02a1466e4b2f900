#include <catch2/catch.hpp>

#include "parse_helpers.h"

using namespace pangea::tools;
using namespace pangea::tools::testing;

TEST_CASE("hosts: sinkhole lines, several names, localhost entries skipped", "[parse_hosts]") {
  auto parsed = run_parser(parse_hosts,
                           "# hosts\n"
                           "127.0.0.1 localhost\n"
                           "::1 localhost ip6-localhost ip6-loopback\n"
                           "255.255.255.255 broadcasthost\n"
                           "0.0.0.0 0.0.0.0\n"
                           "0.0.0.0 cheap-pills.example www.cheap-pills.example # shop\n"
                           "127.0.0.1\tpharma.example\n"
                           ":: ipv6-sink.example\n");
  CHECK(parsed.errors == 0);
  CHECK(parsed.warnings == 0);
  CHECK(names(parsed) == std::vector<std::string>{"cheap-pills.example", "www.cheap-pills.example",
                                                  "pharma.example", "ipv6-sink.example"});
  CHECK(parsed.lines == std::vector<size_t>{6, 6, 7, 8});
}

TEST_CASE("hosts: errors and the redirect warning", "[parse_hosts]") {
  auto parsed = run_parser(parse_hosts,
                           "cheap-pills.example\n"
                           "0.0.0.0\n"
                           "0.0.0.0 good.example bad..example\n"
                           "192.0.2.10 redirected.example other.example\n"
                           "999.1.1.1 x.example\n",
                           {}, "hosts");
  CHECK(names(parsed) ==
        std::vector<std::string>{"good.example", "redirected.example", "other.example"});
  CHECK(
      parsed.messages ==
      std::vector<std::string>{
          "hosts:1: error: 'cheap-pills.example' at the start of a hosts line, expected an IP "
          "address such as 0.0.0.0",
          "hosts:2: error: address '0.0.0.0' alone, expected names after it",
          "hosts:3: error: empty label in 'bad..example', expected labels of 1 to 63 octets",
          "hosts:4: warning: address '192.0.2.10' redirects rather than blocks, expected 0.0.0.0, "
          "127.0.0.1, :: or ::1; blocking the names anyway",
          "hosts:5: error: '999.1.1.1' at the start of a hosts line, expected an IP address such "
          "as "
          "0.0.0.0",
      });
}
