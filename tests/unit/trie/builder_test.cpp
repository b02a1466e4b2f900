#include "pangea/trie/builder.h"

#include <stdexcept>

#include "test_util.h"

using namespace pangea::trie;
using namespace pangea::trie::test;

TEST_CASE("builder: rejects names that are not normalised", "[builder]") {
  for (const char* name : {"", "Example.com", "example.com.", ".com", "a..b", "a b.c", "*.example",
                           "caf\xc3\xa9.fr", "a\\.b"}) {
    Builder b;
    INFO("name: " << name);
    CHECK_THROWS_AS(b.add(make_entry(name)), std::invalid_argument);
  }
  Builder b;
  CHECK_NOTHROW(b.add(make_entry("xn--caf-dma.fr")));
  CHECK_NOTHROW(b.add(make_entry(std::string(63, 'a') + ".b")));
  CHECK_THROWS_AS(b.add(make_entry(std::string(64, 'a') + ".b")), std::invalid_argument);
}

TEST_CASE("builder: duplicate names resolve allow > block, subtree > exact, then first",
          "[builder]") {
  struct Case {
    std::vector<Entry> added;
    Policy policy;
    Scope scope;
    const char* list;
    uint64_t duplicates, conflicts;
  };
  const Metadata one = make_meta("one"), two = make_meta("two");
  const std::vector<Case> cases = {
      {{make_entry("x.test", Policy::block, Scope::subtree, one),
        make_entry("x.test", Policy::block, Scope::subtree, one)},
       Policy::block,
       Scope::subtree,
       "one",
       1,
       0},
      {{make_entry("x.test", Policy::block, Scope::subtree, one),
        make_entry("x.test", Policy::allow, Scope::exact, two)},
       Policy::allow,
       Scope::exact,
       "two",
       0,
       1},
      {{make_entry("x.test", Policy::block, Scope::exact, one),
        make_entry("x.test", Policy::block, Scope::subtree, two)},
       Policy::block,
       Scope::subtree,
       "two",
       0,
       1},
      {{make_entry("x.test", Policy::block, Scope::subtree, one),
        make_entry("x.test", Policy::block, Scope::subtree, two)},
       Policy::block,
       Scope::subtree,
       "one",
       0,
       1},
      {{make_entry("x.test", Policy::block, Scope::subtree, one),
        make_entry("x.test", Policy::allow, Scope::subtree, two),
        make_entry("x.test", Policy::block, Scope::subtree, one)},
       Policy::allow,
       Scope::subtree,
       "two",
       1,
       1},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    INFO("case " << i);
    const auto& c = cases[i];
    BuildStats stats;
    auto list = open_bytes(build_bytes(c.added, {}, &stats));
    auto r = lookup(*list, "x.test");
    REQUIRE(r.size() == 1);
    CHECK(r[0].policy == c.policy);
    CHECK(r[0].scope == c.scope);
    CHECK(r[0].meta.list == c.list);
    CHECK(stats.added == c.added.size());
    CHECK(stats.kept == 1);
    CHECK(stats.duplicates == c.duplicates);
    CHECK(stats.conflicts == c.conflicts);
  }
}

TEST_CASE("builder: drops entries covered by a same-policy, same-metadata ancestor", "[builder]") {
  const Metadata one = make_meta("one"), two = make_meta("two");
  struct Case {
    const char* what;
    std::vector<Entry> entries;
    uint64_t redundant;
  };
  const std::vector<Case> cases = {
      {"block under block",
       {make_entry("a.test"), make_entry("b.a.test"), make_entry("c.b.a.test")},
       2},
      {"exact block under block",
       {make_entry("a.test"), make_entry("b.a.test", Policy::block, Scope::exact)},
       1},
      {"block under exact block is not covered",
       {make_entry("a.test", Policy::block, Scope::exact), make_entry("b.a.test")},
       0},
      {"different metadata",
       {make_entry("a.test", Policy::block, Scope::subtree, one),
        make_entry("b.a.test", Policy::block, Scope::subtree, two)},
       0},
      {"allow under block is never redundant",
       {make_entry("a.test"), make_entry("b.a.test", Policy::allow)},
       0},
      {"block under allow under block is not redundant",
       {make_entry("a.test"), make_entry("b.a.test", Policy::allow), make_entry("c.b.a.test")},
       0},
      {"allow under allow under block",
       {make_entry("a.test"), make_entry("b.a.test", Policy::allow),
        make_entry("c.b.a.test", Policy::allow)},
       1},
      {"an exact allow in between does not cover the deeper name",
       {make_entry("a.test"), make_entry("b.a.test", Policy::allow, Scope::exact),
        make_entry("c.b.a.test")},
       1},
      {"siblings are not ancestors",
       {make_entry("a.test"), make_entry("aa.test"), make_entry("b.aa.test")},
       1},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    BuildStats stats;
    auto list = open_bytes(build_bytes(c.entries, {}, &stats));
    CHECK(stats.redundant == c.redundant);
    CHECK(stats.kept == c.entries.size() - c.redundant);
    CHECK(list->info().entry_count == stats.kept);
  }
}

TEST_CASE("builder: metadata is deduplicated and unused records vanish", "[builder]") {
  const Metadata one = make_meta("one"), two = make_meta("two"), three = make_meta("three");
  BuildStats stats;
  auto list = open_bytes(build_bytes({make_entry("a.test", Policy::block, Scope::subtree, one),
                                      make_entry("b.test", Policy::block, Scope::subtree, one),
                                      make_entry("c.test", Policy::block, Scope::subtree, two),
                                      make_entry("x.a.test", Policy::block, Scope::subtree, one),
                                      make_entry("d.test", Policy::block, Scope::subtree, three),
                                      make_entry("d.test", Policy::allow, Scope::subtree, two)},
                                     {}, &stats));
  CHECK(stats.metadata_records == 2);  // "three" lost the conflict and is gone
  CHECK(list->info().metadata_count == 2);
  CHECK(stats.file_bytes == list->info().file_bytes);
}

TEST_CASE("builder: header fields come from the options", "[builder]") {
  BuildOptions options;
  options.generator = "pangea 0.1.0\n(injected)";
  options.build_time = 1'790'000'000;
  options.source_digest[0] = 0xab;
  auto list = open_bytes(build_bytes({make_entry("a.test")}, options));
  CHECK(list->info().generator == "pangea 0.1.0?(injected)");
  CHECK(list->info().build_time == 1'790'000'000);
  CHECK(list->info().serial == 1'790'000'000);  // serial 0: defaults to the build time
  CHECK(list->info().source_digest[0] == 0xab);
  CHECK(list->info().format_version == 2);
  CHECK_FALSE(list->info().signed_embedded);
  options.serial = 7;
  options.generator = std::string(100, 'g');
  list = open_bytes(build_bytes({make_entry("a.test")}, options));
  CHECK(list->info().serial == 7);
  CHECK(list->info().generator == std::string(63, 'g'));
  options.block_size = 0;
  CHECK_THROWS_AS(build_bytes({make_entry("a.test")}, options), std::invalid_argument);
}

TEST_CASE("builder: many metadata records use the escape code", "[builder]") {
  std::vector<Entry> entries;
  for (int i = 0; i < 700; ++i) {
    entries.push_back(make_entry("n" + std::to_string(i) + ".test",
                                 i % 2 ? Policy::allow : Policy::block, Scope::subtree,
                                 make_meta("m" + std::to_string(i % 600))));
  }
  auto list = open_bytes(build_bytes(entries));
  for (int i = 0; i < 700; ++i) {
    auto r = lookup(*list, "www.n" + std::to_string(i) + ".test");
    REQUIRE(r.size() == 1);
    CHECK(r[0].meta.list == "m" + std::to_string(i % 600));
    CHECK(r[0].policy == (i % 2 ? Policy::allow : Policy::block));
  }
}

TEST_CASE("builder: more top-level labels than an index entry can rank is refused", "[builder]") {
  // 65,536 distinct top-level labels fit; one more does not (2 octets of rank).
  std::vector<Entry> entries;
  for (int i = 0; i < 65536; ++i)
    entries.push_back(make_entry("tld" + std::to_string(i)));
  auto list = open_bytes(build_bytes(entries, {}));
  CHECK(lookup(*list, "www.tld65535").size() == 1);
  CHECK(lookup(*list, "tld65536").empty());
  Builder b;
  for (auto& e : entries)
    b.add(e);
  b.add(make_entry("tld65536"));
  CHECK_THROWS_WITH(b.finish({}), "more than 65536 distinct top-level labels");
}
