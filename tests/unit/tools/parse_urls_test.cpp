#include <catch2/catch.hpp>

#include "parse_helpers.h"

using namespace pangea::tools;
using namespace pangea::tools::testing;

TEST_CASE("urls: hosts of pasted URLs become entries", "[parse_urls]") {
  auto parsed = run_parser(parse_urls,
                           "# pasted from the referral\n"
                           "https://www.cheap-pills.example/buy?x=1#top\n"
                           "http://user:secret@Pharma-Discount.example:8080/\n"
                           "\n"
                           "https://médicaments.example/\n"
                           "shop.example/no-scheme\n");
  CHECK(parsed.errors == 0);
  CHECK(names(parsed) == std::vector<std::string>{"www.cheap-pills.example",
                                                  "pharma-discount.example",
                                                  "xn--mdicaments-b7a.example", "shop.example"});
  CHECK(parsed.lines == std::vector<size_t>{2, 3, 5, 6});
}

TEST_CASE("urls: bad URLs are errors at their line", "[parse_urls]") {
  auto parsed = run_parser(parse_urls,
                           "https://[2001:db8::1]/buy\n"
                           "https://a..example/\n"
                           "https://shop.example/ trailing words\n"
                           "https://shop.example:x/\n"
                           "https://ok.example/\n",
                           {}, "urls.txt");
  CHECK(names(parsed) == std::vector<std::string>{"ok.example"});
  CHECK(parsed.messages ==
        std::vector<std::string>{
            "urls.txt:1: error: IPv6 literal '[2001:db8::1]' in URL 'https://[2001:db8::1]/buy', "
            "expected a host name",
            "urls.txt:2: error: empty label in 'a..example', expected labels of 1 to 63 octets",
            "urls.txt:3: error: whitespace in 'https://shop.example/ trailing words', expected one "
            "URL "
            "per line",
            "urls.txt:4: error: port 'x' in URL 'https://shop.example:x/', expected a number",
        });
}
