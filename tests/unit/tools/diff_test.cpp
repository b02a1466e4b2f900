#include "diff.h"

#include <catch2/catch.hpp>

using namespace pangea::tools;
using pangea::trie::Entry;
using pangea::trie::Policy;
using pangea::trie::Scope;

namespace {
Entry entry(const char* name, Policy policy = Policy::block, Scope scope = Scope::subtree) {
  Entry e;
  e.name = name;
  e.policy = policy;
  e.scope = scope;
  return e;
}
}  // namespace

TEST_CASE("identical sets have no differences, whatever the order", "[diff]") {
  std::vector<Entry> a{entry("a.example"), entry("b.example")};
  std::vector<Entry> b{entry("b.example"), entry("a.example")};
  CHECK(diff_entries(a, b).empty());
  CHECK(diff_entries({}, {}).empty());
}

TEST_CASE("added, removed and changed entries, sorted by name", "[diff]") {
  Entry changed_old = entry("c.example");
  Entry changed_new = entry("c.example", Policy::allow, Scope::exact);
  changed_new.meta.not_after = 1796083200;
  changed_new.meta.agency = "DNRED";
  std::vector<Entry> before{entry("z.example"), changed_old, entry("a.example")};
  std::vector<Entry> after{entry("a.example"), changed_new, entry("b.example")};
  auto changes = diff_entries(before, after);
  REQUIRE(changes.size() == 3);
  CHECK(changes[0].kind == EntryChange::Kind::added);
  CHECK(changes[0].name == "b.example");
  CHECK(changes[1].kind == EntryChange::Kind::changed);
  CHECK(changes[1].name == "c.example");
  CHECK(changes[2].kind == EntryChange::Kind::removed);
  CHECK(changes[2].name == "z.example");
  CHECK(describe_change(changes[1].before, changes[1].after) ==
        "policy block -> allow; scope subtree -> exact; agency (none) -> 'DNRED'; not_after "
        "(none) -> 2026-12-01T00:00:00Z");
}

TEST_CASE("describe_entry lists policy, scope and the metadata present", "[diff]") {
  Entry e = entry("x.example");
  CHECK(describe_entry(e) == "block subtree");
  e.meta.action = pangea::trie::Action::nodata;
  e.meta.list = "fr";
  e.meta.referral_date = 0;
  CHECK(describe_entry(e) ==
        "block subtree action=nodata list='fr' "
        "referral_date=1970-01-01T00:00:00Z");
}
