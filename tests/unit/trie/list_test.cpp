#include "pangea/trie/list.h"

#include <fstream>
#include <set>

#include "test_util.h"

using namespace pangea::trie;
using namespace pangea::trie::test;

namespace {

struct Case {
  const char* query;
  // Expected matches, most specific first: "name:policy:scope".
  std::vector<std::string> expected;
};

std::vector<std::string> describe(const std::vector<Resolved>& matches) {
  std::vector<std::string> out;
  for (const auto& m : matches) {
    out.push_back(m.name + ":" + std::string(to_string(m.policy)) + ":" +
                  std::string(to_string(m.scope)));
  }
  return out;
}

void check_cases(const List& list, const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    INFO("query: " << c.query);
    CHECK(describe(lookup(list, c.query)) == c.expected);
  }
}

std::vector<Entry> semantics_list() {
  return {
      make_entry("cheap-pills.example"),
      make_entry("exact.example", Policy::block, Scope::exact),
      make_entry("casino.test"),
      make_entry("ok.casino.test", Policy::allow),
      make_entry("bad.ok.casino.test"),
      make_entry("only.ok2.casino.test", Policy::allow, Scope::exact),
      make_entry("a.b"),
      make_entry("org"),
  };
}

}  // namespace

TEST_CASE("lookup: a subtree entry matches the name and names under it, nothing else", "[list]") {
  auto list = build(semantics_list());
  check_cases(*list, {
                         {"cheap-pills.example", {"cheap-pills.example:block:subtree"}},
                         {"shop.cheap-pills.example", {"cheap-pills.example:block:subtree"}},
                         {"a.b.c.shop.cheap-pills.example", {"cheap-pills.example:block:subtree"}},
                         {"cheap-pills.example.org", {"org:block:subtree"}},
                         {"notcheap-pills.example", {}},
                         {"cheap-pills.exampl", {}},
                         {"heap-pills.example", {}},
                         {"example", {}},
                         {"pills.example", {}},
                     });
}

TEST_CASE("lookup: an exact entry matches its name only", "[list]") {
  auto list = build(semantics_list());
  check_cases(*list, {
                         {"exact.example", {"exact.example:block:exact"}},
                         {"www.exact.example", {}},
                         {"xexact.example", {}},
                     });
}

TEST_CASE("lookup: allow under block, block under allow, most specific first", "[list]") {
  auto list = build(semantics_list());
  check_cases(
      *list,
      {
          {"casino.test", {"casino.test:block:subtree"}},
          {"www.casino.test", {"casino.test:block:subtree"}},
          {"ok.casino.test", {"ok.casino.test:allow:subtree", "casino.test:block:subtree"}},
          {"x.ok.casino.test", {"ok.casino.test:allow:subtree", "casino.test:block:subtree"}},
          {"bad.ok.casino.test",
           {"bad.ok.casino.test:block:subtree", "ok.casino.test:allow:subtree",
            "casino.test:block:subtree"}},
          {"x.bad.ok.casino.test",
           {"bad.ok.casino.test:block:subtree", "ok.casino.test:allow:subtree",
            "casino.test:block:subtree"}},
          {"only.ok2.casino.test",
           {"only.ok2.casino.test:allow:exact", "casino.test:block:subtree"}},
          {"x.only.ok2.casino.test", {"casino.test:block:subtree"}},
      });
}

TEST_CASE("lookup: ASCII case-insensitive, other octets compared exactly", "[list]") {
  auto list = build(semantics_list());
  // wire_from_text lowercases, so build mixed-case wire names by hand.
  auto upper = wire("shop.cheap-pills.example");
  for (auto& c : upper) {
    if (c >= 'a' && c <= 'z')
      c = static_cast<uint8_t>(c - 32);
  }
  std::array<Match, 8> out;
  REQUIRE(list->lookup(upper, out) == 1);
  CHECK(out[0].labels == 2);
  // 0xC1 is not 'A' + 0x80: no Latin-1 folding.
  auto latin = wire("a.b");
  latin[1] = 0xC1;
  CHECK(list->lookup(latin, out) == 0);
}

TEST_CASE("lookup: an escaped dot never matches a two-label entry", "[list]") {
  auto list = build(semantics_list());
  std::array<Match, 8> out;
  // "a\.b" is one label of three octets, not the name a.b.
  auto one_label = wire("a\\.b");
  CHECK(one_label.size() == 5);
  CHECK(list->lookup(one_label, out) == 0);
  CHECK(list->lookup(wire("x.a\\.b"), out) == 0);
  CHECK(list->lookup(wire("a.b"), out) == 1);
  CHECK(list->lookup(wire("x.a.b"), out) == 1);
}

TEST_CASE("lookup: malformed wire names match nothing and stay inside the span", "[list]") {
  auto list = build(semantics_list());
  std::array<Match, 8> out;
  auto good = wire("x.org");
  REQUIRE(list->lookup(good, out) == 1);
  const std::vector<std::vector<uint8_t>> bad = {
      {},                          // empty
      {0},                         // the root: not an entry
      {3, 'o', 'r', 'g'},          // missing root label
      {4, 'o', 'r', 'g', 0},       // label runs past the end
      {0xC0, 0x0C},                // compression pointer
      {64, 'o'},                   // label over 63 octets
      {1, 'x', 3, 'o', 'r', 'g'},  // truncated before the root
  };
  for (const auto& w : bad)
    CHECK(list->lookup(w, out) == 0);
  // Over 255 octets: 128 labels "a".
  std::vector<uint8_t> long_name;
  for (int i = 0; i < 127; ++i) {
    long_name.push_back(1);
    long_name.push_back('a');
  }
  long_name.push_back(3);
  long_name.insert(long_name.end(), {'o', 'r', 'g', 0});
  CHECK(list->lookup(long_name, out) == 0);
  // Exactly 255 octets is fine: 125 labels "a" + "org" = 250 + 4 + root.
  std::vector<uint8_t> max_name;
  for (int i = 0; i < 125; ++i) {
    max_name.push_back(1);
    max_name.push_back('a');
  }
  max_name.insert(max_name.end(), {3, 'o', 'r', 'g', 0});
  REQUIRE(max_name.size() == 255);
  CHECK(list->lookup(max_name, out) == 1);
  // A span that stops right after a valid name's root is fine; one that stops
  // before the root is not (the bytes past the span are never read).
  auto x = wire("x.org");
  CHECK(list->lookup(std::span<const uint8_t>(x).first(x.size() - 1), out) == 0);
}

TEST_CASE("lookup: output is capped at the caller's span", "[list]") {
  auto list = build(semantics_list());
  std::array<Match, 3> out;
  auto w = wire("x.bad.ok.casino.test");
  CHECK(list->lookup(w, std::span<Match>(out).first(0)) == 0);
  REQUIRE(list->lookup(w, std::span<Match>(out).first(1)) == 1);
  CHECK(out[0].labels == 4);  // the most specific one
  CHECK(list->lookup(w, out) == 3);
}

TEST_CASE("lookup: an empty list matches nothing", "[list]") {
  auto list = build({});
  std::array<Match, 8> out;
  CHECK(list->lookup(wire("example"), out) == 0);
  CHECK(list->info().entry_count == 0);
  size_t visited = 0;
  list->for_each([&](const Entry&) { ++visited; });
  CHECK(visited == 0);
}

TEST_CASE("lookup: metadata comes back intact", "[list]") {
  Metadata m;
  m.list = "fr-customs-2026-11";
  m.category = "illegal-pharmacy";
  m.agency = "DNRED Cyberdouane";
  m.referral = "R-2026-0042";
  m.legal_basis = "Code de la santé publique L.5125-34";
  m.referral_date = 1'790'000'000;
  m.not_before = -5;
  m.action = Action::nxdomain;
  Metadata other = m;
  other.not_after = 1'800'000'000;
  other.action = Action::log_only;
  auto list = build({make_entry("cheap-pills.example", Policy::block, Scope::subtree, m),
                     make_entry("pills.example", Policy::block, Scope::exact, other),
                     make_entry("other.example", Policy::allow, Scope::subtree, m)});
  CHECK(list->info().metadata_count == 2);
  auto r = lookup(*list, "www.cheap-pills.example");
  REQUIRE(r.size() == 1);
  CHECK(r[0].meta == m);
  r = lookup(*list, "pills.example");
  REQUIRE(r.size() == 1);
  CHECK(r[0].meta == other);
  CHECK(list->metadata(99).list.empty());
}

TEST_CASE("for_each: enumerates exactly the entries built", "[list]") {
  std::mt19937_64 rng(7);
  std::vector<Entry> entries;
  std::map<std::string, Entry> expected;
  for (int i = 0; i < 3000; ++i) {
    // Distinct metadata per name: nothing is redundant, every name survives.
    std::string name = random_name(rng, 5) + ".n" + std::to_string(i % 97);
    if (expected.count(name) != 0)
      continue;
    Entry e = make_entry(name, i % 3 == 0 ? Policy::allow : Policy::block,
                         i % 5 == 0 ? Scope::exact : Scope::subtree, make_meta("m", name));
    expected.emplace(name, e);
    entries.push_back(e);
  }
  for (size_t block_size : {1, 2, 16, 100}) {
    BuildOptions options;
    options.block_size = block_size;
    auto list = build(entries, options);
    std::map<std::string, Entry> seen;
    list->for_each([&](const Entry& e) { CHECK(seen.emplace(e.name, e).second); });
    CHECK(seen == expected);
  }
}

TEST_CASE("entries: the for_each entries, in strictly increasing key order", "[list]") {
  std::mt19937_64 rng(11);
  std::vector<Entry> entries;
  std::set<std::string> names;
  for (int i = 0; i < 2000; ++i) {
    std::string name = random_name(rng, 4) + ".n" + std::to_string(i % 13);
    if (!names.insert(name).second)
      continue;
    entries.push_back(make_entry(name, i % 3 == 0 ? Policy::allow : Policy::block,
                                 i % 5 == 0 ? Scope::exact : Scope::subtree, make_meta("m", name)));
  }
  for (size_t block_size : {1, 2, 16, 100}) {
    BuildOptions options;
    options.block_size = block_size;
    auto list = build(entries, options);
    std::vector<Entry> enumerated;
    list->for_each([&](const Entry& e) { enumerated.push_back(e); });
    auto cursor = list->entries();
    RawEntry raw;
    std::vector<uint8_t> previous;
    size_t i = 0;
    while (cursor->next(raw)) {
      REQUIRE(i < enumerated.size());
      const std::vector<uint8_t> key(raw.key.begin(), raw.key.end());
      CHECK(previous < key);
      previous = key;
      CHECK(raw.policy == enumerated[i].policy);
      CHECK(raw.scope == enumerated[i].scope);
      CHECK(list->metadata(raw.metadata_id).to_owned() == enumerated[i].meta);
      // The key is the name's labels reversed, each after its length.
      auto wire = wire_from_text(enumerated[i].name);
      REQUIRE(wire);
      std::vector<uint8_t> expected;
      std::vector<size_t> starts;
      for (size_t p = 0; (*wire)[p] != 0; p += 1 + (*wire)[p])
        starts.push_back(p);
      for (size_t l = starts.size(); l-- > 0;)
        expected.insert(expected.end(), wire->begin() + static_cast<long>(starts[l]),
                        wire->begin() + static_cast<long>(starts[l] + 1 + (*wire)[starts[l]]));
      CHECK(key == expected);
      ++i;
    }
    CHECK(i == enumerated.size());
    CHECK_FALSE(cursor->next(raw));  // stays at the end
  }
  std::string error;
  auto empty = List::from_bytes(build_bytes({}), {}, error);
  if (empty) {
    RawEntry raw;
    CHECK_FALSE(empty->entries()->next(raw));
  }
}

TEST_CASE("lookup agrees with a std::map oracle on random lists", "[list][property]") {
  for (uint64_t seed : {1, 2, 3, 4, 5, 6, 7, 8}) {
    std::mt19937_64 rng(seed);
    Oracle oracle;
    std::vector<Entry> entries;
    const int count = static_cast<int>(rng() % 2000) + 1;
    for (int i = 0; i < count; ++i) {
      std::string name = random_name(rng);
      // Unique metadata per name: no entry is redundant, so every match survives.
      Entry e = make_entry(name, rng() % 4 == 0 ? Policy::allow : Policy::block,
                           rng() % 3 == 0 ? Scope::exact : Scope::subtree, make_meta("r", name));
      if (oracle.entries().count(name) != 0)
        continue;
      oracle.add(e);
      entries.push_back(e);
    }
    BuildOptions options;
    options.block_size = 1 + rng() % 40;
    auto list = build(entries, options);
    INFO("seed " << seed << ", block size " << options.block_size);
    for (int q = 0; q < 3000; ++q) {
      std::string query = random_name(rng, 7);
      INFO("query " << query);
      REQUIRE(lookup(*list, query) == oracle.lookup(query));
    }
  }
}

TEST_CASE("pruned lists give the same decision as the oracle", "[list][property]") {
  for (uint64_t seed : {11, 12, 13}) {
    std::mt19937_64 rng(seed);
    Oracle oracle;
    std::vector<Entry> entries;
    const Metadata metas[] = {make_meta("one"), make_meta("two")};
    for (int i = 0; i < 1500; ++i) {
      std::string name = random_name(rng);
      if (oracle.entries().count(name) != 0)
        continue;
      Entry e = make_entry(name, rng() % 4 == 0 ? Policy::allow : Policy::block,
                           rng() % 3 == 0 ? Scope::exact : Scope::subtree, metas[rng() % 2]);
      oracle.add(e);
      entries.push_back(e);
    }
    auto list = build(entries);
    for (int q = 0; q < 3000; ++q) {
      std::string query = random_name(rng, 6);
      auto got = lookup(*list, query);
      auto want = oracle.lookup(query);
      INFO("seed " << seed << " query " << query);
      REQUIRE(got.empty() == want.empty());
      if (!got.empty()) {
        CHECK(got[0].policy == want[0].policy);
        CHECK(got[0].meta == want[0].meta);
      }
    }
  }
}

namespace {

// Real lists as shipped: lowercase, drop "*." and "!" prefixes, keep what is a
// normalised ASCII name.
std::vector<std::string> read_real_list(const std::string& file) {
  std::ifstream in(std::string(PANGEA_TEST_DATA_DIR) + "/lists/" + file);
  REQUIRE(in.good());
  std::vector<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    for (auto& c : line)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (line.rfind("*.", 0) == 0)
      line.erase(0, 2);
    if (line.rfind("!", 0) == 0)
      line.erase(0, 1);
    if (!line.empty() && line.back() == '.')
      line.pop_back();
    bool ok = !line.empty() && line.front() != '.' && line.find("..") == std::string::npos;
    for (char c : line) {
      ok = ok &&
           ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.');
    }
    if (ok)
      names.push_back(line);
  }
  return names;
}

}  // namespace

TEST_CASE("lookup agrees with the oracle on real lists", "[list][property]") {
  for (const char* file : {"disposable-email-domains-js.txt", "psl.txt"}) {
    INFO("list " << file);
    auto names = read_real_list(file);
    REQUIRE(names.size() > 5000);
    std::mt19937_64 rng(42);
    Oracle oracle;
    std::vector<Entry> entries;
    for (const auto& name : names) {
      if (oracle.entries().count(name) != 0)
        continue;
      Entry e = make_entry(name, rng() % 10 == 0 ? Policy::allow : Policy::block,
                           rng() % 7 == 0 ? Scope::exact : Scope::subtree, make_meta("real", name));
      oracle.add(e);
      entries.push_back(e);
    }
    auto list = build(entries);
    CHECK(list->info().entry_count == entries.size());
    // Every name, a child of it, its parent, and a near miss.
    for (size_t i = 0; i < names.size(); i += 3) {
      const std::string& name = names[i];
      for (const std::string& q :
           {name, "www." + name, name.substr(name.find('.') + 1), "x" + name, name + ".zz"}) {
        if (q.empty() || q.size() > 250)
          continue;
        INFO("query " << q);
        REQUIRE(lookup(*list, q) == oracle.lookup(q));
      }
    }
    std::set<std::string> enumerated;
    list->for_each([&](const Entry& e) { enumerated.insert(e.name); });
    std::set<std::string> source;
    for (const auto& [name, e] : oracle.entries())
      source.insert(name);
    CHECK(enumerated == source);
  }
}

TEST_CASE("open: reads a file through a read-only mapping", "[list]") {
  auto bytes = build_bytes(semantics_list());
  std::string path = "/tmp/pangea-trie-test-" + std::to_string(::getpid()) + ".pbl";
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
  }
  std::string error;
  auto list = List::open(path, {}, error);
  REQUIRE(list != nullptr);
  CHECK(list->info().file_bytes == bytes.size());
  CHECK(lookup(*list, "www.casino.test").size() == 1);
  std::remove(path.c_str());
  // The mapping outlives the directory entry.
  CHECK(lookup(*list, "www.casino.test").size() == 1);
  CHECK(List::open(path, {}, error) == nullptr);
  CHECK(error.find(path) != std::string::npos);
  CHECK(List::open("/tmp", {}, error) == nullptr);
}

TEST_CASE("lookup: deep nesting across blocks returns every ancestor", "[list]") {
  // "a", "a.a", ... 120 labels, policies alternating so that nothing is redundant;
  // small blocks so that most ancestors come from block headers.
  std::vector<Entry> entries;
  std::string name = "a";
  for (int depth = 1; depth <= 120; ++depth) {
    entries.push_back(make_entry(name, depth % 2 ? Policy::block : Policy::allow));
    name = "a." + name;
  }
  entries.push_back(make_entry("b.a.a", Policy::block, Scope::exact));
  for (size_t block_size : {1, 3, 64}) {
    BuildOptions options;
    options.block_size = block_size;
    auto list = build(entries, options);
    INFO("block size " << block_size);
    // name now has 121 labels: one below the deepest entry.
    std::array<Match, kMaxLabels> out;
    auto w = wire(name);
    REQUIRE(list->lookup(w, out) == 120);
    for (size_t i = 0; i < 120; ++i)
      CHECK(out[i].labels == 120 - i);
    CHECK(list->lookup(wire("b.a.a"), out) == 3);
    CHECK(list->lookup(wire("c.b.a.a"), out) == 2);
  }
}

TEST_CASE("lookup: random bytes as wire names never read past the span", "[list][corruption]") {
  auto list = build(semantics_list());
  std::mt19937_64 rng(99);
  std::array<Match, 8> out;
  for (int i = 0; i < 20000; ++i) {
    // Exactly-sized heap buffers, so that AddressSanitizer sees any overread.
    std::vector<uint8_t> bytes(rng() % 300);
    for (auto& b : bytes)
      b = static_cast<uint8_t>(rng() % 4 == 0 ? rng() % 8 : rng());
    size_t n = list->lookup(bytes, out);
    CHECK(n <= out.size());
  }
}
