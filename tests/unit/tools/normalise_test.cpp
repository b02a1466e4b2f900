#include "normalise.h"

#include <catch2/catch.hpp>

#include <span>
#include <string>

using namespace pangea::tools;

namespace {

// An input that must be accepted, and the normalised name it must give.
struct Accepted {
  const char* input;
  const char* expected;
};

void expect_normalised(std::span<const Accepted> cases) {
  for (const Accepted& c : cases) {
    NameError error;
    auto name = normalise_name(c.input, error);
    INFO(c.input << " -> " << error.message);
    REQUIRE(name.has_value());
    CHECK(*name == c.expected);
  }
}

}  // namespace

TEST_CASE("names are lowercased, trimmed and lose one trailing dot", "[normalise]") {
  const Accepted cases[] = {
      {"cheap-pills.example", "cheap-pills.example"},
      {"Cheap-Pills.EXAMPLE.", "cheap-pills.example"},
      {"  www.pharma.example \t", "www.pharma.example"},
      {"_dmarc.pharma.example", "_dmarc.pharma.example"},  // underscores kept
      {"-edge-.example", "-edge-.example"},                // hyphens anywhere: seen in the wild
      {"123.example", "123.example"},                      // digits-only label, not an address
      {"xn--bcher-kva.example", "xn--bcher-kva.example"},  // A-labels pass as they are
      {"XN--I-7IQ.ws", "xn--i-7iq.ws"},  // IDNA2003-only (emoji) names stay blockable
  };
  expect_normalised(cases);
}

TEST_CASE("U-labels become A-labels with IDNA2008 non-transitional rules", "[normalise]") {
  const Accepted cases[] = {
      {"bücher.example", "xn--bcher-kva.example"},
      {"BÜCHER.example", "xn--bcher-kva.example"},  // UTS #46 maps case
      {"straße.example", "xn--strae-oqa.example"},  // non-transitional: not "strasse"
      {"pharmacie-en-ligne.公司", "pharmacie-en-ligne.xn--55qx5d"},
      {"例え。テスト", "xn--r8jz45g.xn--zckzah"},                       // ideographic full stop
      {"_srv.médicaments.example", "_srv.xn--mdicaments-b7a.example"},  // ASCII label untouched
  };
  expect_normalised(cases);
}

TEST_CASE("bad names are rejected with what was found and what was expected", "[normalise]") {
  struct Case {
    std::string input;
    const char* kind;
    std::string message;
  };
  const std::string long_label(64, 'a');
  const std::string long_name = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                                std::string(63, 'c') + "." + std::string(61, 'd') + ".example";
  const Case cases[] = {
      {"", "empty-name", "empty name, expected a domain name"},
      {"   ", "empty-name", "empty name, expected a domain name"},
      {".", "empty-name", "the root '.', expected a domain name below a top-level domain"},
      {"a..example", "empty-label",
       "empty label in 'a..example', expected labels of 1 to 63 octets"},
      {".example", "empty-label", "empty label in '.example', expected labels of 1 to 63 octets"},
      {"example..", "empty-label", "empty label in 'example..', expected labels of 1 to 63 octets"},
      {long_label + ".example", "label-too-long",
       "label of 64 octets in '" + long_label + ".example', expected at most 63"},
      {long_name, "name-too-long",
       "name of 261 octets ('" + std::string(40, 'a') + "...'), expected at most 253"},
      {"192.0.2.1", "ip-address",
       "IP address '192.0.2.1', expected a domain name (addresses cannot be blocked by a DNS "
       "blocklist)"},
      {"2001:db8::1", "ip-address",
       "IP address '2001:db8::1', expected a domain name (addresses cannot be blocked by a DNS "
       "blocklist)"},
      {"[2001:db8::1]", "ip-address",
       "IP address '[2001:db8::1]', expected a domain name (addresses cannot be blocked by a DNS "
       "blocklist)"},
      {"ph%rma.example", "bad-character",
       "character '%' in 'ph%rma.example', expected letters, digits, '-' or '_'"},
      {"a b.example", "bad-character",
       "character space in 'a b.example', expected letters, digits, '-' or '_'"},
      {"*.example", "bad-character",
       "character '*' in '*.example', expected letters, digits, '-' or '_'"},
      {"a\x01.example", "bad-character",
       "character '\\x01' in 'a\\x01.example', expected letters, digits, '-' or '_'"},
      {"com", "single-label",
       "single-label name 'com' (a whole top-level domain), expected a name with at least two "
       "labels"},
      {"Pharmacy.", "single-label",
       "single-label name 'pharmacy' (a whole top-level domain), expected a name with at least "
       "two labels"},
      // Found by fuzzing (fuzz/FINDINGS.md F1): a NUL in a non-ASCII label must not cut it
      // short, a label IDNA maps to nothing is empty, and mapped digits are an address.
      {std::string("shop\0\xc3\xa9.example", 15), "bad-character",
       "character '\\x00' in 'shop\\x00\xc3\xa9.example', expected letters, digits, '-' or '_'"},
      {"\xc2\xad.example", "empty-label",
       "label '\xc2\xad' in '\xc2\xad.example' is empty once mapped by IDNA, expected labels of 1 "
       "to 63 octets"},
      {"\xef\xbc\x91\xef\xbc\x99\xef\xbc\x92.0.2.1", "ip-address",
       "IP address '\xef\xbc\x91\xef\xbc\x99\xef\xbc\x92.0.2.1' (192.0.2.1 once mapped by IDNA), "
       "expected a domain name (addresses cannot be blocked by a DNS blocklist)"},
  };
  for (const Case& c : cases) {
    NameError error;
    auto name = normalise_name(c.input, error);
    INFO(c.input);
    CHECK_FALSE(name.has_value());
    CHECK(error.kind == c.kind);
    CHECK(error.message == c.message);
  }
}

TEST_CASE("a 253-octet name is accepted, 254 is not", "[normalise]") {
  // Nearest non-match next to the match: 4 labels of 63 + 3 dots = 255 is over; build 253.
  std::string name = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                     std::string(63, 'c') + "." + std::string(61, 'd');
  REQUIRE(name.size() == 253);
  NameError error;
  CHECK(normalise_name(name, error).has_value());
  CHECK_FALSE(normalise_name(name + "d", error).has_value());
  CHECK(error.kind == "name-too-long");
  // 63-octet label in, 64 out.
  CHECK(normalise_name(std::string(63, 'x') + ".example", error).has_value());
}

TEST_CASE("invalid internationalised labels are rejected by libidn2", "[normalise]") {
  NameError error;
  // U+2764 HEAVY BLACK HEART is DISALLOWED in IDNA2008.
  CHECK_FALSE(normalise_name("i\xE2\x9D\xA4pills.example", error).has_value());
  CHECK(error.kind == "idn");
  CHECK_THAT(error.message,
             Catch::StartsWith("internationalised label 'i\xE2\x9D\xA4pills' in "
                               "'i\xE2\x9D\xA4pills.example' rejected by IDNA2008 ("));
  CHECK_THAT(error.message, Catch::EndsWith("), expected a valid internationalised domain name"));
  // Invalid UTF-8.
  CHECK_FALSE(normalise_name("a\xFF\xFE.example", error).has_value());
  CHECK(error.kind == "idn");
}

TEST_CASE("single-label names are accepted when asked (lookup)", "[normalise]") {
  NameError error;
  NormaliseOptions options;
  options.allow_single_label = true;
  auto name = normalise_name("Example.", error, options);
  REQUIRE(name.has_value());
  CHECK(*name == "example");
}

TEST_CASE("is_ip_address recognises IPv4 and IPv6, bracketed or not", "[normalise]") {
  CHECK(is_ip_address("0.0.0.0"));
  CHECK(is_ip_address("::"));
  CHECK(is_ip_address("[::1]"));
  CHECK(is_ip_address("fe80::1"));
  CHECK_FALSE(is_ip_address("1.2.3"));
  CHECK_FALSE(is_ip_address("1.2.3.4.example"));
  CHECK_FALSE(is_ip_address(""));
  CHECK_FALSE(is_ip_address("[]"));
}
