// Precedence between lists, allow entries and allowlists, exact entries,
// entry action overrides and validity windows, against the real resolver.

#include <ctime>
#include <thread>

#include <catch2/catch.hpp>

#include "harness/test_resolver.h"
#include "list_files.h"

using namespace pangea::integration;
using Strings = std::vector<std::string>;

namespace {

constexpr int64_t kDecember2026 = 1764547200;  // 2026-12-01T00:00:00Z
constexpr int64_t kJanuary2027 = 1767225600;   // 2027-01-01T00:00:00Z

std::string list_yaml(const std::string& name, const std::string& file, const std::string& action,
                      const std::string& extra = "") {
  return "  - { name: " + name + ", file: " + file + ", action: " + action + ", ttl: 60" + extra +
         " }\n";
}

// The address nsd serves for www.cheap-pills.example: the name was not blocked.
const Strings kRealAddress{"198.51.100.7"};

}  // namespace

TEST_CASE("the most specific entry wins across lists", "[enforce][precedence]") {
  ResolverOptions options;
  options.files["domain.pbl"] = compile_list({block("cheap-pills.example")});
  options.files["shop.pbl"] = compile_list({block("shop.cheap-pills.example")});
  options.pangea_config =
      "version: 1\nlists:\n" + list_yaml("domain", "domain.pbl", "nxdomain") +
      list_yaml("shop", "shop.pbl", "redirect", ", redirect: { a: [192.0.2.10] }");
  TestResolver r(options);
  Response shop = r.query("www.shop.cheap-pills.example", "A");
  INFO(shop);
  CHECK(shop.answer_rdata("A") == Strings{"192.0.2.10"});
  Response www = r.query("www.cheap-pills.example", "A");
  INFO(www);
  CHECK(www.rcode == "NXDOMAIN");
}

TEST_CASE("on a tie an allow entry beats a block entry of an earlier list",
          "[enforce][precedence]") {
  ResolverOptions options;
  options.files["block.pbl"] = compile_list({block("cheap-pills.example")});
  options.files["allow.pbl"] = compile_list({allow("cheap-pills.example")});
  options.pangea_config = "version: 1\nlists:\n" + list_yaml("block", "block.pbl", "nxdomain") +
                          list_yaml("exceptions", "allow.pbl", "nxdomain");
  TestResolver r(options);
  Response www = r.query("www.cheap-pills.example", "A");
  INFO(www);
  CHECK(www.answer_rdata("A") == kRealAddress);
  // A more specific block under the allowed name still wins over it.
  options.files["block.pbl"] = compile_list({block("www.cheap-pills.example")});
  TestResolver r2(options);
  CHECK(r2.query("www.cheap-pills.example", "A").rcode == "NXDOMAIN");
  CHECK(r2.query("shop.cheap-pills.example", "A").answer_rdata("A") == Strings{"198.51.100.17"});
}

TEST_CASE("on a tie between block entries the first list in the config wins",
          "[enforce][precedence]") {
  ResolverOptions options;
  options.files["a.pbl"] = compile_list({block("cheap-pills.example")});
  options.files["b.pbl"] = compile_list({block("cheap-pills.example")});
  options.pangea_config = "version: 1\nlists:\n" + list_yaml("a", "a.pbl", "nxdomain") +
                          list_yaml("b", "b.pbl", "refuse");
  {
    TestResolver r(options);
    CHECK(r.query("www.cheap-pills.example", "A").rcode == "NXDOMAIN");
  }
  options.pangea_config = "version: 1\nlists:\n" + list_yaml("b", "b.pbl", "refuse") +
                          list_yaml("a", "a.pbl", "nxdomain");
  TestResolver r(options);
  CHECK(r.query("www.cheap-pills.example", "A").rcode == "REFUSED");
}

TEST_CASE("an allow entry inside a list exempts its subtree only", "[enforce][allow]") {
  ResolverOptions options;
  options.files["fr.pbl"] =
      compile_list({block("cheap-pills.example"), allow("www.cheap-pills.example")});
  options.pangea_config = "version: 1\nlists:\n" + list_yaml("fr", "fr.pbl", "nxdomain");
  TestResolver r(options);
  CHECK(r.query("www.cheap-pills.example", "A").answer_rdata("A") == kRealAddress);
  CHECK(r.query("shop.cheap-pills.example", "A").rcode == "NXDOMAIN");
  CHECK(r.query("cheap-pills.example", "A").rcode == "NXDOMAIN");
}

TEST_CASE("allowlist names exempt subtrees from every list", "[enforce][allow]") {
  ResolverOptions options;
  options.files["fr.pbl"] = compile_list({block("cheap-pills.example")});
  options.pangea_config = "version: 1\nlists:\n" + list_yaml("fr", "fr.pbl", "nxdomain") +
                          "allowlist:\n  names: [www.cheap-pills.example]\n";
  TestResolver r(options);
  CHECK(r.query("www.cheap-pills.example", "A").answer_rdata("A") == kRealAddress);
  CHECK(r.query("shop.cheap-pills.example", "A").rcode == "NXDOMAIN");
}

TEST_CASE("an exact entry blocks the name but not names under it", "[enforce][exact]") {
  ResolverOptions options;
  options.files["fr.pbl"] = compile_list({exact_block("cheap-pills.example")});
  options.pangea_config = "version: 1\nlists:\n" + list_yaml("fr", "fr.pbl", "nxdomain");
  TestResolver r(options);
  CHECK(r.query("cheap-pills.example", "A").rcode == "NXDOMAIN");
  CHECK(r.query("www.cheap-pills.example", "A").answer_rdata("A") == kRealAddress);
}

TEST_CASE("an entry's own action overrides its list's", "[enforce][override]") {
  pangea::trie::Entry refused = block("shop.cheap-pills.example");
  refused.meta.action = pangea::trie::Action::refuse;
  ResolverOptions options;
  options.files["fr.pbl"] = compile_list({block("cheap-pills.example"), refused});
  options.pangea_config = "version: 1\nlists:\n" + list_yaml("fr", "fr.pbl", "nxdomain");
  TestResolver r(options);
  CHECK(r.query("shop.cheap-pills.example", "A").rcode == "REFUSED");
  CHECK(r.query("www.cheap-pills.example", "A").rcode == "NXDOMAIN");
}

TEST_CASE("validity windows: inactive before not_before and after not_after",
          "[enforce][validity]") {
  pangea::trie::Entry december = block("cheap-pills.example");
  december.meta.not_before = kDecember2026;
  december.meta.not_after = kJanuary2027 - 1;
  ResolverOptions options;
  options.files["fr.pbl"] = compile_list({december});
  options.pangea_config = "version: 1\nlists:\n" + list_yaml("fr", "fr.pbl", "nxdomain");

  const struct {
    int64_t now;
    bool blocked;
  } cases[] = {
      {kDecember2026 - 1, false},
      {kDecember2026, true},
      {kJanuary2027 - 1, true},
      {kJanuary2027, false},
  };
  for (const auto& c : cases) {
    options.environment["PANGEA_FAKE_NOW"] = std::to_string(c.now);
    TestResolver r(options);
    Response a = r.query("www.cheap-pills.example", "A");
    INFO("clock frozen at " << c.now << "\n" << a);
    CHECK((a.rcode == "NXDOMAIN") == c.blocked);
  }
}

TEST_CASE("an inactive specific entry lets a less specific one decide", "[enforce][validity]") {
  pangea::trie::Entry later = block("shop.cheap-pills.example");
  later.meta.not_before = kJanuary2027;
  later.meta.action = pangea::trie::Action::refuse;
  ResolverOptions options;
  options.files["fr.pbl"] = compile_list({block("cheap-pills.example"), later});
  options.pangea_config = "version: 1\nlists:\n" + list_yaml("fr", "fr.pbl", "nxdomain");
  options.environment["PANGEA_FAKE_NOW"] = std::to_string(kDecember2026);
  TestResolver r(options);
  CHECK(r.query("shop.cheap-pills.example", "A").rcode == "NXDOMAIN");
}

TEST_CASE("an entry starts blocking at its not_before second without a reload",
          "[enforce][validity]") {
  // Shift the module's clock so that not_before is about a second ahead, then
  // watch the same resolver start blocking on its own.
  pangea::trie::Entry midnight = block("cheap-pills.example");
  midnight.meta.not_before = kDecember2026;
  ResolverOptions options;
  options.files["fr.pbl"] = compile_list({midnight});
  options.pangea_config = "version: 1\nlists:\n" + list_yaml("fr", "fr.pbl", "nxdomain") +
                          "reload: { interval_ms: 0 }\n";
  const int64_t offset = kDecember2026 - static_cast<int64_t>(std::time(nullptr)) - 2;
  options.environment["PANGEA_FAKE_NOW"] = (offset >= 0 ? "+" : "") + std::to_string(offset);
  TestResolver r(options);
  const size_t log_before = r.log_size();
  CHECK(r.query("cheap-pills.example", "A").answer_rdata("A") == kRealAddress);
  bool blocked = false;
  for (int i = 0; i < 40 && !blocked; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    blocked = r.query("cheap-pills.example", "A").rcode == "NXDOMAIN";
  }
  CHECK(blocked);
  // No reload happened in between.
  CHECK_FALSE(r.wait_for_log("generation 2", std::chrono::milliseconds(10), log_before));
}

TEST_CASE("a passthru list and an allowlist file exempt names from a block list",
          "[enforce][allow]") {
  ResolverOptions options;
  options.files["block.pbl"] = compile_list({block("cheap-pills.example")});
  options.files["pass.pbl"] = compile_list({block("www.cheap-pills.example")});
  options.files["allow.pbl"] = compile_list({block("shop.cheap-pills.example")});
  options.pangea_config = "version: 1\nlists:\n" + list_yaml("block", "block.pbl", "nxdomain") +
                          list_yaml("monitor", "pass.pbl", "passthru") +
                          "allowlist:\n  files: [allow.pbl]\n";
  TestResolver r(options);
  CHECK(r.query("www.cheap-pills.example", "A").answer_rdata("A") == kRealAddress);
  CHECK(r.query("shop.cheap-pills.example", "A").answer_rdata("A") == Strings{"198.51.100.17"});
  CHECK(r.query("deep.sub.cheap-pills.example", "A").rcode == "NXDOMAIN");
}
