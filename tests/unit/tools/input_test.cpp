#include "input.h"

#include <catch2/catch.hpp>

using namespace pangea::tools;

TEST_CASE("formats round-trip through their names", "[input]") {
  for (Format f : {Format::text, Format::csv, Format::hosts, Format::rpz, Format::urls}) {
    CHECK(format_from_string(to_string(f)) == f);
  }
  CHECK_FALSE(format_from_string("zone").has_value());
  CHECK_FALSE(format_from_string("CSV").has_value());
}

TEST_CASE("detection: the extension first", "[input]") {
  CHECK(detect_format("list.CSV", "whatever") == Format::csv);
  CHECK(detect_format("x.rpz", "") == Format::rpz);
  CHECK(detect_format("db.zone", "") == Format::rpz);
  CHECK(detect_format("/etc/hosts", "") == Format::hosts);
  CHECK(detect_format("feed.hosts", "") == Format::hosts);
}

TEST_CASE("detection: then the first meaningful line", "[input]") {
  struct Case {
    const char* data;
    Format expected;
  };
  const Case cases[] = {
      {"# comment\n\ncheap-pills.example\n", Format::text},
      {"*.cheap-pills.example\n", Format::text},
      {"!allowed.example\n", Format::text},
      {"$ORIGIN rpz.example.\n", Format::rpz},
      {"; zone\n$TTL 300\n", Format::rpz},
      {"@ IN SOA ns. admin. 1 2 3 4 5\n", Format::rpz},
      {"a.example CNAME .\n", Format::rpz},
      {"# hosts\n0.0.0.0 a.example\n", Format::hosts},
      {"::1 localhost\n", Format::hosts},
      {"https://www.cheap-pills.example/buy\n", Format::urls},
      {"domain,agency\na.example,X\n", Format::csv},
      {"\"Domain\";\"Referral\"\n", Format::csv},
      {"url\n", Format::text},  // one column: no delimiter, a name list of one odd name
      {"a.example,b.example\n", Format::text},  // commas but no header
      {"", Format::text},
      {"192.0.2.1\n", Format::text},  // an address alone is a bad text line, not hosts
  };
  for (const Case& c : cases) {
    INFO(c.data);
    CHECK(detect_format("-", c.data) == c.expected);
    CHECK(detect_format("list.txt", c.data) == c.expected);
  }
}

TEST_CASE("LineReader: LF, CRLF, last line without newline, BOM", "[input]") {
  LineReader lines(
      "\xEF\xBB\xBF"
      "a\r\nb\n\nc");
  std::string_view line;
  std::vector<std::string> seen;
  while (lines.next(line))
    seen.emplace_back(line);
  CHECK(seen == std::vector<std::string>{"a", "b", "", "c"});
  CHECK(lines.line_number() == 4);
}

TEST_CASE("strip_comment and trim", "[input]") {
  CHECK(strip_comment("  a.example  # note") == "a.example");
  CHECK(strip_comment("# all comment") == "");
  CHECK(trim("\t x \r\n") == "x");
  CHECK(trim("") == "");
}

TEST_CASE("parse dispatches on the format", "[input]") {
  Diagnostics diagnostics(nullptr);
  std::vector<std::string> names;
  ParseContext context;
  context.diagnostics = &diagnostics;
  context.sink = [&](pangea::trie::Entry&& e, const Location&) { names.push_back(e.name); };
  parse(Format::hosts, {"h", "0.0.0.0 a.example\n"}, context);
  parse(Format::urls, {"u", "https://b.example/x\n"}, context);
  parse(Format::csv, {"c", "domain\nc.example\n"}, context);
  parse(Format::rpz, {"r", "$ORIGIN z.\nd.example CNAME .\n"}, context);
  parse(Format::text, {"t", "e.example\n"}, context);
  CHECK(names ==
        std::vector<std::string>{"a.example", "b.example", "c.example", "d.example", "e.example"});
  CHECK(diagnostics.errors() == 0);
}
