// Verification at open (format.cpp and the checks in list.cpp): every byte of a
// file is covered by a checksum or a structural check, so any single corruption
// or truncation is an error, never a crash.

#include "format.h"

#include <xxhash.h>

#include <random>

#include "test_util.h"

using namespace pangea::trie;
using namespace pangea::trie::test;
using namespace pangea::trie::format;

namespace {

std::vector<uint8_t> small_file() {
  Metadata m = make_meta("small", "R-1");
  m.not_after = 2'000'000'000;
  BuildOptions options;
  options.generator = "format-test";
  options.block_size = 4;
  return build_bytes({make_entry("cheap-pills.example", Policy::block, Scope::subtree, m),
                      make_entry("shop.cheap-pills.example", Policy::allow),
                      make_entry("x.shop.cheap-pills.example"),
                      make_entry("exact.example", Policy::block, Scope::exact), make_entry("a.b"),
                      make_entry("c.a.b", Policy::allow), make_entry("d.c.a.b"), make_entry("org"),
                      make_entry("z.org", Policy::allow),
                      make_entry("a-very-long-label-to-cross-the-index-prefix.test")},
                     options);
}

bool opens(std::vector<uint8_t> bytes, std::string* error = nullptr) {
  std::string why;
  bool ok = List::from_bytes(std::move(bytes), {}, why) != nullptr;
  if (error != nullptr)
    *error = why;
  return ok;
}

// Recomputes every checksum, so that structural checks and the block decoder
// face the corruption on their own (what a malicious file would do).
void fix_checksums(std::vector<uint8_t>& f) {
  uint32_t sections = load_u32(f.data() + kOffSectionCount);
  for (uint32_t s = 0; s < sections; ++s) {
    uint8_t* e = f.data() + kHeaderSize + s * kSectionEntrySize;
    uint64_t off = load_u64(e + 8), len = load_u64(e + 16);
    store_u64(e + 24, XXH3_64bits(f.data() + off, len));
  }
  store_u64(f.data() + kOffHeaderChecksum, header_checksum(f));
}

void exercise(const List& list) {
  std::array<Match, kMaxLabels> out;
  for (const char* q :
       {"cheap-pills.example", "x.shop.cheap-pills.example", "exact.example", "d.c.a.b", "zz.org",
        "a", "zzzz", "a-very-long-label-to-cross-the-index-prefix.test"}) {
    auto w = wire(q);
    size_t n = list.lookup(w, out);
    CHECK(n <= out.size());
    for (size_t i = 0; i < n; ++i)
      (void)list.metadata(out[i].metadata_id);
  }
  try {
    list.for_each([](const Entry&) {});
  } catch (const std::runtime_error&) {
    // Reported, not crashed: fine.
  }
}

}  // namespace

TEST_CASE("format: the small file is valid", "[format]") {
  auto f = small_file();
  std::string error;
  REQUIRE(opens(f, &error));
  CHECK(f.size() % 8 == 0);
  CHECK(std::equal(kMagic.begin(), kMagic.end(), f.begin()));
}

TEST_CASE("format: flipping any bit of any byte fails verification", "[format][corruption]") {
  const auto f = small_file();
  for (size_t i = 0; i < f.size(); ++i) {
    for (int mask : {0x01, 0x80, 0xff}) {
      auto g = f;
      g[i] = static_cast<uint8_t>(g[i] ^ mask);
      std::string error;
      INFO("byte " << i << " mask " << int(mask));
      REQUIRE_FALSE(opens(g, &error));
      CHECK_FALSE(error.empty());
    }
  }
}

TEST_CASE("format: truncation at every length fails with a reason", "[format][corruption]") {
  const auto f = small_file();
  for (size_t len = 0; len < f.size(); ++len) {
    std::string error;
    INFO("length " << len);
    REQUIRE_FALSE(
        opens(std::vector<uint8_t>(f.begin(), f.begin() + static_cast<long>(len)), &error));
  }
  // Cut at a section boundary: the message names the problem.
  std::string error;
  CHECK_FALSE(opens(std::vector<uint8_t>(f.begin(), f.begin() + 200), &error));
  CHECK(error.find("truncated") != std::string::npos);
  auto longer = f;
  longer.push_back(0);
  CHECK_FALSE(opens(longer, &error));
  CHECK(error.find("trailing") != std::string::npos);
}

TEST_CASE("format: a section that ends past the file is named in the error", "[format]") {
  auto f = small_file();
  // Grow the last section by 64 bytes, fix the header checksum.
  uint8_t* e = f.data() + kHeaderSize + (kLastRequiredSection - 1) * kSectionEntrySize;
  REQUIRE(load_u32(e) == static_cast<uint32_t>(SectionId::top_labels));
  store_u64(e + 16, load_u64(e + 16) + 64);
  store_u64(f.data() + kOffHeaderChecksum, header_checksum(f));
  std::string error;
  CHECK_FALSE(opens(f, &error));
  CHECK(error.rfind("truncated: section 'top_labels' ends at byte", 0) == 0);
}

TEST_CASE("format: versions and flags this reader does not know are refused", "[format]") {
  auto f = small_file();
  store_u32(f.data() + kOffVersion, 3);
  store_u64(f.data() + kOffHeaderChecksum, header_checksum(f));
  std::string error;
  CHECK_FALSE(opens(f, &error));
  CHECK(error == "unsupported format version 3 (this reader supports 2)");

  f = small_file();
  store_u64(f.data() + kOffFlags, 2);  // unknown "must understand" flag
  store_u64(f.data() + kOffHeaderChecksum, header_checksum(f));
  CHECK_FALSE(opens(f, &error));
  f = small_file();
  store_u64(f.data() + kOffFlags, uint64_t{1} << 40);  // unknown optional flag: ignored
  store_u64(f.data() + kOffHeaderChecksum, header_checksum(f));
  CHECK(opens(f, &error));
}

TEST_CASE("format: checksum-valid garbage in the blocks never crashes a lookup",
          "[format][corruption]") {
  const auto f = small_file();
  auto list = open_bytes(f);
  uint8_t* e = const_cast<uint8_t*>(f.data()) + kHeaderSize + 6 * kSectionEntrySize;
  const size_t off = load_u64(e + 8), len = load_u64(e + 16);
  std::mt19937 rng(5);
  size_t opened = 0;
  for (size_t i = 0; i < len; ++i) {
    for (int trial = 0; trial < 8; ++trial) {
      auto g = f;
      g[off + i] = static_cast<uint8_t>(rng());
      if (trial >= 4)
        g[off + rng() % len] = static_cast<uint8_t>(rng());
      fix_checksums(g);
      std::string error;
      auto l = List::from_bytes(g, {}, error);
      if (!l)
        continue;
      ++opened;
      exercise(*l);
    }
  }
  CHECK(opened > 0);
  // The same for the values, codes, index, offsets, tokens and top-level label
  // sections: open may refuse; if it
  // accepts, lookups stay in bounds.
  for (uint32_t section : {3u, 4u, 5u, 6u, 8u, 9u}) {
    uint8_t* se = const_cast<uint8_t*>(f.data()) + kHeaderSize + (section - 1) * kSectionEntrySize;
    const size_t soff = load_u64(se + 8), slen = load_u64(se + 16);
    for (size_t i = 0; i < slen; ++i) {
      auto g = f;
      g[soff + i] = static_cast<uint8_t>(rng());
      fix_checksums(g);
      std::string error;
      if (auto l = List::from_bytes(g, {}, error))
        exercise(*l);
    }
  }
}

namespace {

// Offset and size of section `id` in `f`.
std::pair<size_t, size_t> section_of(const std::vector<uint8_t>& f, SectionId id) {
  const uint32_t sections = load_u32(f.data() + kOffSectionCount);
  for (uint32_t s = 0; s < sections; ++s) {
    const uint8_t* e = f.data() + kHeaderSize + s * kSectionEntrySize;
    if (load_u32(e) == static_cast<uint32_t>(id))
      return {load_u64(e + 8), load_u64(e + 16)};
  }
  FAIL("no section " << static_cast<uint32_t>(id));
  return {0, 0};
}

std::string open_error(std::vector<uint8_t> f) {
  fix_checksums(f);
  std::string error;
  CHECK_FALSE(opens(f, &error));
  return error;
}

}  // namespace

TEST_CASE("format: malformed token and top-level label tables are refused with a reason",
          "[format]") {
  const auto f = small_file();
  const auto [tokens, tokens_size] = section_of(f, SectionId::tokens);
  const auto [labels, labels_size] = section_of(f, SectionId::top_labels);
  REQUIRE(load_u32(f.data() + labels) == 4);  // b, org, test, example

  auto g = f;
  g[tokens + 4] = 0;  // the first token's length
  CHECK(open_error(g) == "bad tokens section: entry 0 has length 0 (expected 1-16)");
  g = f;
  store_u32(g.data() + tokens, kMaxTokens + 1);
  CHECK(open_error(g) == "bad tokens section: 4097 entries (at most 4096)");
  g = f;
  store_u32(g.data() + tokens, load_u32(g.data() + tokens) - 1);  // one octet too many after
  CHECK(open_error(g).rfind("bad tokens section: ", 0) == 0);

  g = f;
  g[labels + 4] = kMaxLabel + 1;
  CHECK(open_error(g) == "bad top_labels section: entry 0 has length 64 (expected 1-63)");
  g = f;
  store_u32(g.data() + labels, 5);
  CHECK(open_error(g).rfind("truncated: top_labels section ends inside entry ", 0) == 0);
  g = f;
  store_u32(g.data() + labels, 3);
  CHECK(open_error(g) == "bad top_labels section: trailing bytes");

  // An index entry naming a label the table does not have (rank: the high octet
  // with at most 256 labels).
  const auto [index, index_size] = section_of(f, SectionId::index);
  g = f;
  g[index + 7] = 0xff;
  CHECK(open_error(g) == "bad index: block 0 names top-level label 255 of 4");
}

TEST_CASE("format: top-level labels out of key order are refused", "[format]") {
  // Two labels of the same length: swapping their octets breaks the order.
  auto f = build_bytes({make_entry("a.xx"), make_entry("b.yy")}, {});
  const auto [labels, size] = section_of(f, SectionId::top_labels);
  REQUIRE(size == 4 + 2 + 4);
  std::swap(f[labels + 6], f[labels + 8]);
  std::swap(f[labels + 7], f[labels + 9]);
  CHECK(open_error(f) == "bad top_labels section: entry 1 is out of order");
}

TEST_CASE("format: a malformed change list is refused with a reason", "[format][changes]") {
  const auto previous = build({make_entry("a.example"), make_entry("b.example")});
  BuildOptions options;
  options.previous = previous.get();
  // Changes: a.example removed, c.example and d.example added.
  const auto f = build_bytes(
      {make_entry("b.example"), make_entry("c.example"), make_entry("d.example")}, options);
  REQUIRE(opens(f));
  const auto [at, size] = section_of(f, SectionId::changes);
  REQUIRE(load_u64(f.data() + at + 16) == 3);
  const size_t first_key = at + kChangesHeaderSize;  // length 10, then "\x07example\x01a"

  auto g = f;
  store_u64(g.data() + at + 16, size);  // more keys than octets
  CHECK(open_error(g).rfind("bad changes section: ", 0) == 0);
  g = f;
  g[first_key + 1] = 10;  // a label running past its key
  CHECK(open_error(g) == "bad changes section: key 0 is malformed");
  g = f;
  g[first_key] = 0;  // an empty key
  CHECK(open_error(g).rfind("bad changes section: key 0 is ", 0) == 0);
  g = f;
  g[first_key + 10] = 'z';  // "a" -> "z": now after "c" and "d"
  CHECK(open_error(g) == "bad changes section: key 1 is out of order");
  g = f;
  store_u64(g.data() + at + 16, 2);  // one key left over
  CHECK(open_error(g).rfind("bad changes section: ", 0) == 0);
  // Flipping any octet of it without fixing the checksums is caught too.
  for (size_t i = at; i < at + size; ++i) {
    g = f;
    g[i] ^= 0x40;
    CHECK_FALSE(opens(g));
  }
}

TEST_CASE("format: a change list is optional and a list without one still opens",
          "[format][changes]") {
  const auto f = small_file();
  const auto list = open_bytes(f);
  CHECK_FALSE(list->changes().has_value());
  for (const auto& section : list->info().sections)
    CHECK(section.name != "changes");
}
