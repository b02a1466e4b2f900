// Hostile query names: every byte value, escaped dots, binary labels and
// maximum lengths must neither crash nor mis-match, and must reach the hit log
// escaped (no log-line injection through a query name).

#include <thread>

#include <catch2/catch.hpp>

#include "harness/log_file.h"
#include "harness/test_resolver.h"
#include "list_files.h"

using namespace pangea::integration;

namespace {

ResolverOptions hostile_setup() {
  ResolverOptions options;
  options.files["fr.pbl"] = compile_list({block("cheap-pills.example")});
  options.pangea_config =
      "version: 1\n"
      "lists:\n"
      "  - { name: fr, file: fr.pbl, action: nxdomain, ede: { code: censored, text: \"{entry}\" } "
      "}\n"
      "hit_log: { file: hits.log, rate: 0 }\n";
  return options;
}

bool blocked_by_us(const Response& r) {
  return r.rcode == "NXDOMAIN" && r.extended_errors.size() == 1 &&
         r.extended_errors[0].info_code == 16;
}

std::vector<std::string> hit_lines(const TestResolver& r, size_t expected) {
  std::vector<std::string> lines;
  for (int i = 0; i < 100; ++i) {
    lines.clear();
    const std::string text = read_file(r.path("hits.log"));
    size_t start = 0;
    for (size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', start)) {
      lines.push_back(text.substr(start, nl - start));
      start = nl + 1;
    }
    if (lines.size() >= expected)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return lines;
}

}  // namespace

TEST_CASE("an escaped dot inside a label never matches across a label boundary", "[hostile]") {
  TestResolver r(hostile_setup());
  // One label "cheap-pills.example" directly under the root, and a label
  // "www.cheap-pills" under example: neither is cheap-pills.example or under it.
  for (const char* name :
       {"cheap-pills\\.example", "www\\.cheap-pills.example", "cheap-pills\\.example.example"}) {
    QueryOptions quick;
    quick.timeout = std::chrono::milliseconds(1500);
    auto a = r.client().try_query(name, "A", quick);
    INFO(name << "\n" << (a ? a->text : std::string("no answer")));
    REQUIRE(a.has_value());
    CHECK_FALSE(blocked_by_us(*a));
  }
  // While a real subdomain is blocked.
  CHECK(blocked_by_us(r.query("www.cheap-pills.example", "A")));
}

TEST_CASE("binary labels under a listed name are blocked and logged escaped", "[hostile]") {
  TestResolver r(hostile_setup());
  // A newline, a quote, a backslash, NUL and 0xff in labels under the listed name.
  const char* names[] = {
      "\\010injected\\010.cheap-pills.example",
      "\\\"q\\\"\\\\.cheap-pills.example",
      "\\000\\255.cheap-pills.example",
  };
  for (const char* name : names) {
    Response a = r.query(name, "A");
    INFO(name << "\n" << a);
    CHECK(blocked_by_us(a));
    CHECK(a.extended_errors[0].extra_text == "cheap-pills.example");
  }
  const auto lines = hit_lines(r, 3);
  INFO(read_file(r.path("hits.log")));
  REQUIRE(lines.size() == 3);  // one line per query: no line was split or forged
  for (const auto& line : lines) {
    CHECK(line.front() == '{');
    CHECK(line.back() == '}');
    CHECK(line.find('\0') == std::string::npos);
  }
  CHECK_THAT(lines[0], Catch::Contains(R"("qname":"\\010injected\\010.cheap-pills.example")"));
  CHECK_THAT(lines[2], Catch::Contains(R"("qname":"\\000\\255.cheap-pills.example")"));
}

TEST_CASE("a name of maximum length under a listed name is blocked", "[hostile]") {
  TestResolver r(hostile_setup());
  // 255 octets in wire form: 3 labels of 63, one of 37, then cheap-pills.example.
  const std::string l63(63, 'a');
  const std::string name =
      l63 + "." + l63 + "." + l63 + "." + std::string(41, 'b') + ".cheap-pills.example";
  Response a = r.query(name, "A");
  INFO(a);
  CHECK(blocked_by_us(a));
  // Every byte value as a one-octet label under the listed name.
  for (int byte = 0; byte < 256; byte += 17) {
    char label[8];
    std::snprintf(label, sizeof(label), "\\%03d", byte);
    const std::string hostile = std::string(label) + ".cheap-pills.example";
    Response b = r.query(hostile, "A");
    INFO(hostile << "\n" << b);
    CHECK(blocked_by_us(b));
  }
  // The resolver is still well.
  CHECK(r.query("www.test", "A").rcode == "NOERROR");
}
