// Pins format compatibility: the checked-in golden files (tests/data/golden/) must
// keep opening and answering exactly as below. See tests/data/golden/README.md.

#include <fstream>
#include <sstream>

#include "pangea/trie/signature.h"
#include "test_util.h"

using namespace pangea::trie;
using namespace pangea::trie::test;

namespace {

const std::string kDir = std::string(PANGEA_TEST_DATA_DIR) + "/golden/";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<uint8_t> read_bytes(const std::string& path) {
  auto text = read_text(path);
  return {text.begin(), text.end()};
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t at = line.find(sep, start);
    out.push_back(line.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos)
      return out;
    start = at + 1;
  }
}

std::vector<Entry> golden_entries() {
  std::istringstream in(read_text(kDir + "golden.txt"));
  std::vector<Entry> entries;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    auto f = split(line, '|');
    INFO("line: " << line);
    REQUIRE(f.size() == 12);
    Entry e;
    e.policy = *policy_from_string(f[0]);
    e.scope = *scope_from_string(f[1]);
    e.name = f[2];
    e.meta.list = f[3];
    e.meta.category = f[4];
    e.meta.agency = f[5];
    e.meta.referral = f[6];
    e.meta.legal_basis = f[7];
    if (!f[8].empty())
      e.meta.referral_date = std::stoll(f[8]);
    if (!f[9].empty())
      e.meta.not_before = std::stoll(f[9]);
    if (!f[10].empty())
      e.meta.not_after = std::stoll(f[10]);
    if (!f[11].empty())
      e.meta.action = *action_from_string(f[11]);
    entries.push_back(e);
  }
  return entries;
}

BuildOptions golden_options() {
  BuildOptions options;
  options.generator = "pangea golden v1";
  options.build_time = 1'790'000'000;
  options.serial = 42;
  for (size_t i = 0; i < 32; ++i)
    options.source_digest[i] = static_cast<uint8_t>(i);
  options.block_size = 4;  // several blocks even for a dozen entries
  return options;
}

std::array<uint8_t, 32> golden_public_key() {
  std::array<uint8_t, 32> raw{};
  std::string error;
  REQUIRE(parse_public_key(read_text(kDir + "golden-test-key.pub.pem"), raw, error));
  return raw;
}

std::vector<uint8_t> sign_golden(const std::vector<uint8_t>& file) {
  std::vector<uint8_t> out;
  std::string error;
  REQUIRE(sign_list(file, read_text(kDir + "golden-test-key.pem"), out, error));
  return out;
}

void check_golden_answers(const List& list) {
  const ListInfo& info = list.info();
  CHECK(info.format_version == 2);
  CHECK(info.entry_count == 9);  // 11 lines: one duplicate name, one redundant entry
  CHECK(info.metadata_count == 7);
  CHECK(info.serial == 42);
  CHECK(info.build_time == 1'790'000'000);
  CHECK(info.generator == "pangea golden v1");
  CHECK(info.source_digest[31] == 31);

  struct Case {
    const char* query;
    std::vector<std::string> expected;  // name:policy:scope:referral
  };
  const std::vector<Case> cases = {
      {"cheap-pills.example", {"cheap-pills.example:block:subtree:R-2026-0042"}},
      {"WWW.Cheap-Pills.Example", {"Cheap-Pills.Example:block:subtree:R-2026-0042"}},
      {"notcheap-pills.example", {}},
      {"cheap-pills.example.com", {}},
      {"help.cheap-pills.example",
       {"help.cheap-pills.example:allow:subtree:R-2026-0043",
        "cheap-pills.example:block:subtree:R-2026-0042"}},
      {"x.bad.help.cheap-pills.example",
       {"bad.help.cheap-pills.example:block:subtree:R-2026-0042",
        "help.cheap-pills.example:allow:subtree:R-2026-0043",
        "cheap-pills.example:block:subtree:R-2026-0042"}},
      {"exact-only.example", {"exact-only.example:block:exact:R-7"}},
      {"www.exact-only.example", {}},
      {"www.casino.test", {"casino.test:block:subtree:ANJ-1"}},
      {"casino.test", {"casino.test:block:subtree:ANJ-1"}},
      {"b.a-label-that-is-quite-long-on-purpose.xn--caf-dma.test",
       {"a-label-that-is-quite-long-on-purpose.xn--caf-dma.test:block:subtree:ANJ-2"}},
      {"xn--caf-dma.test", {}},
      {"ok.org", {"ok.org:allow:exact:", "org:block:subtree:"}},
      {"www.ok.org", {"org:block:subtree:"}},
      {"x_y.z-1.org", {"x_y.z-1.org:block:subtree:T-2", "org:block:subtree:"}},
      {"x\\.y.z-1.org", {"org:block:subtree:"}},
      {"com", {}},
  };
  for (const auto& c : cases) {
    INFO("query: " << c.query);
    std::vector<std::string> got;
    for (const auto& m : lookup(list, c.query)) {
      got.push_back(m.name + ":" + std::string(to_string(m.policy)) + ":" +
                    std::string(to_string(m.scope)) + ":" + m.meta.referral);
    }
    CHECK(got == c.expected);
  }
  auto m = lookup(list, "cheap-pills.example").at(0).meta;
  CHECK(m.legal_basis == "Code de la santé publique L.5125-34");
  CHECK(m.action == Action::nxdomain);
  CHECK(m.referral_date == 1'790'000'000);
  CHECK_FALSE(m.not_before.has_value());
  auto e = lookup(list, "exact-only.example").at(0).meta;
  CHECK(e.not_after == 1'800'000'000);
  CHECK(e.action == Action::nodata);
  CHECK(lookup(list, "casino.test").at(0).meta.not_before == 1'700'000'000);
}

}  // namespace

TEST_CASE("golden: the checked-in file opens and answers as it always did", "[golden]") {
  std::string error;
  auto list = List::open(kDir + "golden.pbl", {}, error);
  INFO(error);
  REQUIRE(list != nullptr);
  CHECK_FALSE(list->info().signed_embedded);
  check_golden_answers(*list);
  // Enumeration gives the source minus the duplicate and the redundant entry.
  std::map<std::string, Entry> source;
  for (const auto& entry : golden_entries())
    source.emplace(entry.name, entry);  // first wins
  source.erase("www.casino.test");
  std::map<std::string, Entry> enumerated;
  list->for_each([&](const Entry& entry) { enumerated.emplace(entry.name, entry); });
  CHECK(enumerated == source);
}

TEST_CASE("golden: the signed file verifies with the test key", "[golden]") {
  OpenOptions options;
  options.trusted_keys = {golden_public_key()};
  std::string error;
  auto list = List::open(kDir + "golden-signed.pbl", options, error);
  INFO(error);
  REQUIRE(list != nullptr);
  CHECK(list->info().signed_embedded);
  check_golden_answers(*list);
}

TEST_CASE("golden: version 1 files are refused with a clear reason", "[golden]") {
  // Version 2 changed the block coding (tokens): a version 1 list must be
  // recompiled, and the loader must say so rather than misread it.
  for (const char* name : {"golden-v1-2026-11-29.pbl", "golden-signed-v1-2026-11-29.pbl"}) {
    INFO(name);
    std::string error;
    CHECK(List::open(kDir + name, {}, error) == nullptr);
    CHECK(error == kDir + name + ": unsupported format version 1 (this reader supports 2)");
  }
}

TEST_CASE("golden: today's builder reproduces the golden files byte for byte", "[golden]") {
  auto built = build_bytes(golden_entries(), golden_options());
  CHECK(built == read_bytes(kDir + "golden.pbl"));
  CHECK(sign_golden(built) == read_bytes(kDir + "golden-signed.pbl"));
}

TEST_CASE("golden: regenerate (run explicitly)", "[.generate-golden]") {
  auto built = build_bytes(golden_entries(), golden_options());
  for (const auto& [name, bytes] :
       {std::pair{std::string("golden.pbl"), built},
        std::pair{std::string("golden-signed.pbl"), sign_golden(built)}}) {
    std::ofstream out(kDir + name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    REQUIRE(out.good());
  }
}
