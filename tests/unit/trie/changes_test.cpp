// The change list a list records against the one it replaces (builder
// BuildOptions::previous, the changes section, List::changes()).

#include <algorithm>
#include <set>
#include <string>

#include "key.h"
#include "test_util.h"

using namespace pangea::trie;
using namespace pangea::trie::test;

namespace {

std::string key_of(const std::string& name) {
  std::string key;
  REQUIRE(format::key_from_name(name, key));
  return key;
}

std::vector<std::string> keys_of(const ChangeList& changes) {
  std::vector<std::string> out;
  for (const auto& key : changes.keys)
    out.emplace_back(key.begin(), key.end());
  return out;
}

const std::vector<Entry> kOld = {
    make_entry("same.example"),
    make_entry("rescoped.example", Policy::block, Scope::exact),
    make_entry("relabelled.example", Policy::block, Scope::subtree, make_meta("fr", "R-1")),
    make_entry("allowed.example"),
    make_entry("gone.example"),
};
const std::vector<Entry> kNew = {
    make_entry("same.example"),
    make_entry("rescoped.example"),  // scope
    make_entry("relabelled.example", Policy::block, Scope::subtree,
               make_meta("fr", "R-2")),            // meta
    make_entry("allowed.example", Policy::allow),  // policy
    make_entry("new.example"),
};

}  // namespace

TEST_CASE("changes: a list built against its predecessor records exactly what changed",
          "[builder][changes]") {
  BuildOptions old_options;
  old_options.serial = 41;
  const auto previous = build(kOld, old_options);
  BuildOptions options;
  options.serial = 42;
  options.previous = previous.get();
  BuildStats stats;
  const auto list = open_bytes(build_bytes(kNew, options, &stats));
  REQUIRE(list->changes().has_value());
  const ChangeList& changes = *list->changes();
  CHECK(changes.previous_id == previous->info().content_id);
  CHECK(changes.previous_serial == 41);
  std::vector<std::string> expected;
  for (const char* name :
       {"rescoped.example", "relabelled.example", "allowed.example", "gone.example", "new.example"})
    expected.push_back(key_of(name));
  std::sort(expected.begin(), expected.end());
  CHECK(keys_of(changes) == expected);  // in key order, "same.example" left out
  CHECK(stats.changes == 5);
  CHECK(stats.changes_recorded);
  // The entries themselves are what they would be without the change list.
  CHECK(list->info().entry_count == build(kNew)->info().entry_count);
  const auto plain = build(kNew);
  for (const char* name : {"x.rescoped.example", "relabelled.example", "new.example"})
    CHECK(lookup(*list, name) == lookup(*plain, name));
}

TEST_CASE(
    "changes: none without a predecessor, an empty list for the same entries, none past "
    "max_changes",
    "[builder][changes]") {
  CHECK_FALSE(build(kNew)->changes().has_value());
  const auto previous = build(kNew);
  BuildOptions options;
  options.previous = previous.get();
  const auto same = build(kNew, options);
  REQUIRE(same->changes().has_value());
  CHECK(same->changes()->keys.empty());

  const auto before = build(kOld);
  options.previous = before.get();
  options.max_changes = 4;
  BuildStats stats;
  const auto list = open_bytes(build_bytes(kNew, options, &stats));
  CHECK_FALSE(list->changes().has_value());
  CHECK(stats.changes == 5);
  CHECK_FALSE(stats.changes_recorded);
}

TEST_CASE("changes: the content id follows the entries, not the serial or build time",
          "[builder][changes]") {
  BuildOptions a;
  a.serial = 1;
  a.build_time = 1000;
  BuildOptions b;
  b.serial = 2;
  b.build_time = 2000;
  CHECK(build(kOld, a)->info().content_id == build(kOld, b)->info().content_id);
  CHECK(build(kOld, a)->info().content_id != build(kNew, a)->info().content_id);
  CHECK(build(kOld, a)->info().content_id != 0);
}
