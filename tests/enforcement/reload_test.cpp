// Reloads: `unbound-control reload`, list files replaced on disk (good, corrupt,
// truncated, unsigned, older), and start-up with a missing or bad list.

#include <algorithm>
#include <fstream>

#include <sys/stat.h>
#include <thread>

#include <catch2/catch.hpp>

#include "harness/log_file.h"
#include "harness/test_resolver.h"
#include "list_files.h"
#include "pangea/trie/signature.h"

using namespace pangea::integration;
using Catch::Contains;

namespace {

ResolverOptions watched(const std::string& list_extra = "") {
  ResolverOptions options;
  options.files["fr.pbl"] = compile_list({block("cheap-pills.example")}, 10);
  options.pangea_config =
      "version: 1\n"
      "lists:\n"
      "  - { name: fr, file: fr.pbl, action: nxdomain" +
      list_extra +
      " }\n"
      "reload: { interval_ms: 50 }\n";
  return options;
}

void write_raw(const std::filesystem::path& path, const std::string& bytes) {
  const auto tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  std::filesystem::rename(tmp, path);
}

bool blocks(const TestResolver& r, const char* name) {
  return r.query(name, "A").rcode == "NXDOMAIN";
}

// Replaces fr.pbl with `bytes` and waits for the module to refuse it.
void expect_refused(TestResolver& r, const std::string& bytes, const std::string& reason) {
  const size_t from = r.log_size();
  write_raw(r.path("fr.pbl"), bytes);
  INFO(r.log_tail());
  CHECK(r.wait_for_log("refusing the new version", std::chrono::milliseconds(5000), from));
  const std::string log = r.log().substr(from);
  CHECK_THAT(log, Contains(reason));
  CHECK_THAT(log, Contains("fr.pbl"));
  // The last good list keeps serving.
  CHECK(blocks(r, "www.cheap-pills.example"));
  CHECK_FALSE(blocks(r, "www.test"));
}

}  // namespace

TEST_CASE("unbound-control reload re-reads the configuration and every list", "[reload]") {
  TestResolver r(watched());
  REQUIRE(blocks(r, "www.cheap-pills.example"));
  TempDir::write_file(r.path("pangea.yaml"),
                      "version: 1\nlists:\n  - { name: fr, file: fr.pbl, action: refuse }\n");
  replace_list(r.path("fr.pbl"), {block("pharma-test.example")}, 11);
  const auto result = r.control({"reload"});
  INFO(result.output << "\n" << r.log_tail());
  REQUIRE(result.exit_code == 0);
  CHECK(r.query("www.pharma-test.example", "A").rcode == "REFUSED");
  CHECK(r.query("www.cheap-pills.example", "A").rcode == "NOERROR");
}

TEST_CASE("a corrupt replacement is refused and the last good list keeps serving", "[reload]") {
  TestResolver r(watched());
  std::string bytes = compile_list({block("www.test")}, 11);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x40);
  expect_refused(r, bytes, "list 'fr'");
}

TEST_CASE("a truncated replacement is refused", "[reload]") {
  TestResolver r(watched());
  const std::string bytes = compile_list({block("www.test")}, 11);
  expect_refused(r, bytes.substr(0, bytes.size() / 3), "list 'fr'");
}

TEST_CASE("a replacement with an older serial is refused", "[reload]") {
  TestResolver r(watched());
  expect_refused(r, compile_list({block("www.test")}, 9), "serial");
}

TEST_CASE("a good replacement after a bad one is taken", "[reload]") {
  TestResolver r(watched());
  expect_refused(r, "not a list", "list 'fr'");
  const size_t from = r.log_size();
  replace_list(r.path("fr.pbl"), {block("www.test")}, 12);
  REQUIRE(r.wait_for_log("in force", std::chrono::milliseconds(5000), from));
  CHECK(blocks(r, "www.test"));
  CHECK_FALSE(blocks(r, "www.cheap-pills.example"));
}

TEST_CASE("with a pinned key, unsigned and wrongly signed lists are refused", "[reload][trust]") {
  const auto cert = pangea::trie::generate_key_pair();
  const auto stranger = pangea::trie::generate_key_pair();
  auto sign = [](const std::string& list, const std::string& key) {
    std::vector<uint8_t> signed_file;
    std::string error;
    REQUIRE(pangea::trie::sign_list({list.begin(), list.end()}, key, signed_file, error));
    return std::string(signed_file.begin(), signed_file.end());
  };
  ResolverOptions options = watched(", keys: [cert.pub]");
  options.files["cert.pub"] = cert.public_pem;
  options.files["fr.pbl"] =
      sign(compile_list({block("cheap-pills.example")}, 10), cert.private_pem);
  TestResolver r(options);
  REQUIRE(blocks(r, "www.cheap-pills.example"));

  expect_refused(r, compile_list({block("www.test")}, 11), "list 'fr'");
  expect_refused(r, sign(compile_list({block("www.test")}, 12), stranger.private_pem), "list 'fr'");

  const size_t from = r.log_size();
  write_raw(r.path("fr.pbl"), sign(compile_list({block("www.test")}, 13), cert.private_pem));
  REQUIRE(r.wait_for_log("in force", std::chrono::milliseconds(5000), from));
  CHECK(blocks(r, "www.test"));
}

TEST_CASE("an unsigned list does not start when a key is pinned", "[reload][trust]") {
  const auto cert = pangea::trie::generate_key_pair();
  ResolverOptions options = watched(", keys: [cert.pub]");
  options.files["cert.pub"] = cert.public_pem;
  options.startup_timeout = std::chrono::milliseconds(3000);
  try {
    TestResolver r(options);
    FAIL("unbound started with an unsigned list and a pinned key");
  } catch (const std::exception& e) {
    CHECK_THAT(std::string(e.what()), Contains("fr.pbl"));
    CHECK_THAT(std::string(e.what()), Contains("refusing to start"));
  }
}

TEST_CASE("a missing required list stops Unbound from starting, with the reason",
          "[reload][startup]") {
  ResolverOptions options = watched();
  options.files.erase("fr.pbl");
  options.startup_timeout = std::chrono::milliseconds(3000);
  try {
    TestResolver r(options);
    FAIL("unbound started without a required list");
  } catch (const std::exception& e) {
    CHECK_THAT(std::string(e.what()), Contains("fr.pbl"));
    CHECK_THAT(std::string(e.what()), Contains("refusing to start"));
  }
}

TEST_CASE("a missing optional list starts without it, loudly, and loads it when it appears",
          "[reload][startup]") {
  ResolverOptions options = watched(", required: false");
  options.files.erase("fr.pbl");
  TestResolver r(options);
  CHECK_THAT(r.log(), Contains("fr.pbl"));
  CHECK_FALSE(blocks(r, "www.cheap-pills.example"));
  const size_t from = r.log_size();
  replace_list(r.path("fr.pbl"), {block("cheap-pills.example")}, 1);
  REQUIRE(r.wait_for_log("in force", std::chrono::milliseconds(5000), from));
  CHECK(blocks(r, "www.cheap-pills.example"));
}

TEST_CASE("a YAML error stops Unbound from starting with file:line:col", "[reload][startup]") {
  ResolverOptions options = watched();
  options.pangea_config = "version: 1\nlists:\n  - { name: fr, file: fr.pbl, acton: nxdomain }\n";
  options.startup_timeout = std::chrono::milliseconds(3000);
  try {
    TestResolver r(options);
    FAIL("unbound started with a broken configuration");
  } catch (const std::exception& e) {
    CHECK_THAT(std::string(e.what()), Contains("pangea.yaml:3:"));
    CHECK_THAT(std::string(e.what()), Contains("acton"));
  }
}

TEST_CASE("the status name reports every list's generation in TXT records", "[reload][status]") {
  ResolverOptions options;
  options.files["fr.pbl"] = compile_list({block("cheap-pills.example")}, 42);
  options.pangea_config =
      "version: 1\n"
      "status_name: status.pangea.example.\n"
      "lists:\n"
      "  - { name: fr, file: fr.pbl, action: nxdomain }\n"
      "  - { name: de, file: missing.pbl, action: nxdomain, required: false }\n"
      "reload: { interval_ms: 50 }\n";
  TestResolver r(options);
  Response txt = r.query("Status.Pangea.Example", "TXT");
  INFO(txt);
  CHECK(txt.rcode == "NOERROR");
  // Unbound rotates the records of an RRset: sort them ("list=de" < "list=fr").
  auto records = [](Response response) {
    std::sort(response.answer.begin(), response.answer.end(),
              [](const Record& a, const Record& b) { return a.rdata < b.rdata; });
    return response.answer;
  };
  const auto status = records(txt);
  REQUIRE(status.size() == 2);
  CHECK(status[0].ttl == 0);
  CHECK(status[0].rdata == "\"list=de loaded=no\"");
  CHECK_THAT(status[1].rdata, Contains("list=fr loaded=yes serial=42 entries=1 built="));
  // After a swap it reports the new serial at once (never cached).
  const size_t from = r.log_size();
  replace_list(r.path("fr.pbl"), {block("cheap-pills.example"), block("www.test")}, 43);
  REQUIRE(r.wait_for_log("in force", std::chrono::milliseconds(5000), from));
  CHECK_THAT(records(r.query("status.pangea.example", "TXT")).at(1).rdata,
             Contains("serial=43 entries=2"));
  Response a = r.query("status.pangea.example", "A");
  CHECK(a.rcode == "NOERROR");
  CHECK(a.answer.empty());
}

TEST_CASE("a list file replaced by a directory is refused, the loaded list keeps serving",
          "[reload][faults]") {
  TestResolver r(watched());
  const size_t from = r.log_size();
  std::filesystem::remove(r.path("fr.pbl"));
  std::filesystem::create_directory(r.path("fr.pbl"));
  INFO(r.log_tail());
  CHECK(r.wait_for_log("list 'fr'", std::chrono::milliseconds(5000), from));
  CHECK(blocks(r, "www.cheap-pills.example"));
  CHECK_FALSE(blocks(r, "www.test"));
}

TEST_CASE("a YAML error at unbound-control reload stops Unbound with file:line:col",
          "[reload][faults]") {
  // Documented fail-closed behaviour: Unbound re-initialises every module on
  // reload and exits when one fails, as it does for a broken unbound.conf.
  TestResolver r(watched());
  TempDir::write_file(r.path("pangea.yaml"), "version: 1\nlists:\n  - { name: fr, fle: fr.pbl }\n");
  r.control({"reload"});
  INFO(r.log_tail());
  CHECK(r.wait_for_log("pangea.yaml:3:", std::chrono::milliseconds(5000)));
  CHECK(r.wait_for_log("found unknown key 'fle'", std::chrono::milliseconds(1000)));
  CHECK(r.unbound().process().wait(std::chrono::milliseconds(5000)).has_value());
}

TEST_CASE("the statistics file counts hits per list and action and shows the generation",
          "[reload][stats]") {
  ResolverOptions options = watched();
  options.pangea_config =
      "version: 1\n"
      "lists:\n"
      "  - { name: fr, file: fr.pbl, action: nxdomain }\n"
      "stats: { file: pangea.prom, interval: 1 }\n";
  TestResolver r(options);
  for (int i = 0; i < 3; ++i)
    REQUIRE(blocks(r, "www.cheap-pills.example"));
  std::string stats;
  for (int i = 0; i < 40; ++i) {
    stats = read_file(r.path("pangea.prom"));
    if (stats.find("action=\"nxdomain\"} 3") != std::string::npos)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  INFO(stats);
  CHECK_THAT(stats, Contains("pangea_hits_total{list=\"fr\",action=\"nxdomain\"} 3\n"));
  CHECK_THAT(stats, Contains("pangea_entry_hits{list=\"fr\",entry=\"cheap-pills.example\"} 3\n"));
  CHECK_THAT(stats, Contains("pangea_list_serial{list=\"fr\"} 10\n"));
  CHECK_THAT(stats, Contains("pangea_list_entries{list=\"fr\"} 1\n"));
  CHECK_THAT(stats, Contains("pangea_list_loaded{list=\"fr\"} 1\n"));
}

TEST_CASE("a FIFO in place of the list is refused without blocking reloads", "[reload][faults]") {
  TestResolver r(watched());
  const size_t from = r.log_size();
  std::filesystem::remove(r.path("fr.pbl"));
  REQUIRE(::mkfifo(r.path("fr.pbl").c_str(), 0644) == 0);
  INFO(r.log_tail());
  CHECK(r.wait_for_log("not a regular file", std::chrono::milliseconds(5000), from));
  CHECK(blocks(r, "www.cheap-pills.example"));
  // The watcher is not stuck on the FIFO: a good file is taken again.
  const size_t before_good = r.log_size();
  std::filesystem::remove(r.path("fr.pbl"));
  replace_list(r.path("fr.pbl"), {block("www.test")}, 11);
  REQUIRE(r.wait_for_log("in force", std::chrono::milliseconds(5000), before_good));
  CHECK(blocks(r, "www.test"));
}
