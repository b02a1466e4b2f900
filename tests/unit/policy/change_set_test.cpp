#include "pangea/policy/change_set.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <random>

#include "support.h"

using namespace pangea::policy;
namespace trie = pangea::trie;
using trie::Action;
using trie::Entry;
using trie::Policy;
using trie::Scope;

namespace {

using Entries = std::vector<Entry>;

const char* kConfig = R"(
version: 1
defaults: { redirect: { a: [192.0.2.10] } }
lists:
  - { name: main, file: main.pbl, action: nxdomain }
  - { name: second, file: second.pbl, action: redirect }
  - { name: office, file: office.pbl, action: refuse, clients: { networks: [10.0.0.0/8] } }
allowlist:
  names: [good.example]
  files: [allow.pbl]
)";

std::shared_ptr<const trie::List> compile(const Entries& entries) {
  std::string error;
  auto list = trie::List::from_bytes(test::build_list(entries), {}, error);
  INFO(error);
  REQUIRE(list);
  return list;
}

// Snapshots of one configuration object, as the engine's file swaps make them:
// slots are main, second, office (client-scoped), then the allowlist file.
class Generations {
 public:
  explicit Generations(const char* yaml = kConfig)
      : config_(std::make_shared<const Config>(parse_config(yaml, "/virtual/pangea.yaml"))) {}

  std::shared_ptr<const Snapshot> make(const std::vector<std::shared_ptr<const trie::List>>& slots,
                                       uint64_t generation) const {
    std::vector<LoadedList> lists, allow;
    for (size_t i = 0; i < slots.size(); ++i) {
      (i < config_->lists.size() ? lists : allow).push_back(LoadedList{slots[i], {}, 0});
    }
    return std::make_shared<const Snapshot>(config_, std::move(lists), std::move(allow), nullptr,
                                            generation);
  }

 private:
  std::shared_ptr<const Config> config_;
};

// Names drawn from a small vocabulary, so that random lists overlap, nest and
// cover the random queries.
class Names {
 public:
  explicit Names(uint32_t seed) : rng_(seed) {}

  std::string name(size_t min_labels, size_t max_labels) {
    static const char* kLabels[] = {"a", "b", "shop", "www", "cdn", "x-1"};
    static const char* kZones[] = {"example", "test", "good.example", "org"};
    std::string out = kZones[pick(4)];
    const size_t labels = min_labels + pick(max_labels - min_labels + 1);
    for (size_t i = 0; i < labels; ++i)
      out = std::string(kLabels[pick(6)]) + "." + out;
    return out;
  }

  Entry entry() {
    Entry e;
    e.name = name(1, 3);
    e.policy = pick(5) == 0 ? Policy::allow : Policy::block;
    e.scope = pick(4) == 0 ? Scope::exact : Scope::subtree;
    static const Action kActions[] = {Action::list_default, Action::list_default, Action::nxdomain,
                                      Action::passthru,     Action::log_only,     Action::refuse};
    e.meta.action = kActions[pick(6)];
    static const int64_t kTimes[] = {1000, 2000, 3000};
    if (pick(4) == 0)
      e.meta.not_before = kTimes[pick(3)];
    if (pick(4) == 0)
      e.meta.not_after = kTimes[pick(3)];
    if (pick(3) == 0)
      e.meta.referral = "R-" + std::to_string(pick(3));
    return e;
  }

  Entries entries(size_t count) {
    std::map<std::string, Entry> unique;
    for (size_t i = 0; i < count; ++i) {
      Entry e = entry();
      unique[e.name] = e;
    }
    return values(unique);
  }

  // `entries` with a few entries added, removed and changed.
  Entries mutate(const Entries& entries, size_t changes) {
    std::map<std::string, Entry> unique;
    for (const Entry& e : entries)
      unique[e.name] = e;
    for (size_t i = 0; i < changes; ++i) {
      Entry e = entry();
      switch (pick(3)) {
        case 0:  // add (or replace)
          unique[e.name] = e;
          break;
        case 1:  // remove
          if (!unique.empty())
            unique.erase(std::next(unique.begin(), static_cast<long>(pick(unique.size()))));
          break;
        default: {  // change one field of an existing entry
          if (unique.empty())
            break;
          Entry& victim = std::next(unique.begin(), static_cast<long>(pick(unique.size())))->second;
          victim.policy = e.policy;
          victim.meta = e.meta;
          break;
        }
      }
    }
    return values(unique);
  }

  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

 private:
  static Entries values(const std::map<std::string, Entry>& unique) {
    Entries out;
    for (const auto& [name, e] : unique)
      out.push_back(e);
    return out;
  }

  std::mt19937 rng_;
};

// A query name with random case.
std::vector<uint8_t> query(Names& names) {
  std::string text = names.name(0, 5);
  for (char& c : text) {
    if (names.pick(3) == 0 && c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  }
  auto wire = trie::wire_from_text(text);
  REQUIRE(wire);
  // wire_from_text lowercases; put the case back to test may_affect's folding.
  size_t t = 0;
  for (size_t i = 0; i < wire->size() && t < text.size(); ++i) {
    const uint8_t len = (*wire)[i];
    for (size_t k = 1; k <= len; ++k)
      (*wire)[i + k] = static_cast<uint8_t>(text[t++]);
    ++t;  // the dot
    i += len;
  }
  return *wire;
}

// A trie key (reversed labels) as a dotted name.
std::string name_of_key(std::span<const uint8_t> key) {
  std::string name;
  for (size_t pos = 0; pos < key.size(); pos += 1 + key[pos]) {
    const std::string label(key.begin() + static_cast<std::ptrdiff_t>(pos + 1),
                            key.begin() + static_cast<std::ptrdiff_t>(pos + 1 + key[pos]));
    name = name.empty() ? label : label + "." + name;
  }
  return name;
}

const int64_t kTimes[] = {500, 999, 1000, 1500, 2000, 2001, 2500, 3000, 3001, 4000};

}  // namespace

TEST_CASE("change set: only changed entries, and nothing when nothing changed", "[change_set]") {
  Generations generations;
  auto main_v1 = compile({test::entry("kept.example"), test::entry("dropped.example"),
                          test::entry("changed.example"), test::entry("same.example")});
  auto main_v2 = compile({test::entry("kept.example"), test::entry("added.example"),
                          test::entry("changed.example", Policy::block, Scope::subtree,
                                      test::meta_action(Action::refuse)),
                          test::entry("same.example", Policy::block, Scope::subtree, [] {
                            trie::Metadata meta;
                            meta.referral = "only the text changed";
                            return meta;
                          }())});
  auto empty = compile({});
  auto office = compile({test::entry("office.example")});
  auto old_snapshot = generations.make({main_v1, empty, office, empty}, 1);
  auto new_snapshot = generations.make({main_v2, empty, office, empty}, 2);

  auto changes = ChangeSet::between(*old_snapshot, *new_snapshot, 100);
  REQUIRE(changes);
  struct Case {
    const char* name;
    bool affected;
  };
  const Case cases[] = {
      {"added.example", true},     {"www.added.example", true},  // under an added entry
      {"dropped.example", true},   {"changed.example", true},   {"kept.example", false},
      {"www.kept.example", false}, {"same.example", false},     // referral text only
      {"example", false},                                       // an ancestor, not under
      {"office.example", true},    {"a.office.example", true},  // client-scoped: always
      {"ADDED.Example", true},                                  // any case
      {"nothing.test", false},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(changes->may_affect(test::wire(c.name)) == c.affected);
  }
  CHECK(changes->size() == 4);  // added, dropped, changed, office
  std::set<std::string> names;
  for (const auto key : changes->keys())
    names.insert(name_of_key(key));
  CHECK(names == std::set<std::string>{"added.example", "changed.example", "dropped.example",
                                       "office.example"});

  // The same lists again: only the client-scoped list.
  auto unchanged = ChangeSet::between(*old_snapshot, *old_snapshot, 100);
  REQUIRE(unchanged);
  CHECK(unchanged->size() == 1);
  CHECK_FALSE(unchanged->may_affect(test::wire("dropped.example")));
  CHECK(ChangeSet::walk_size(*old_snapshot, *old_snapshot) == 2);  // the office list, twice

  // Over the cap, or across configurations: no change set.
  CHECK_FALSE(ChangeSet::between(*old_snapshot, *new_snapshot, 3));
  Generations reloaded;
  auto other_config = reloaded.make({main_v2, empty, office, empty}, 1);
  CHECK_FALSE(ChangeSet::between(*old_snapshot, *other_config, 100));
}

TEST_CASE(
    "change set: a list's recorded changes stand in for the diff when they are against "
    "the loaded list",
    "[change_set]") {
  Generations generations;
  const Entries v1 = {test::entry("kept.example"), test::entry("dropped.example"),
                      test::entry("changed.example")};
  const Entries v2 = {test::entry("kept.example"), test::entry("added.example"),
                      test::entry("changed.example", Policy::block, Scope::subtree,
                                  test::meta_action(Action::refuse))};
  auto main_v1 = compile(v1);
  auto with_changes = [&](const Entries& entries, const trie::List& previous) {
    trie::Builder builder;
    for (const auto& e : entries)
      builder.add(e);
    trie::BuildOptions options;
    options.previous = &previous;
    std::string error;
    auto list = trie::List::from_bytes(builder.finish(options), {}, error);
    INFO(error);
    REQUIRE(list);
    REQUIRE(list->changes());
    return list;
  };
  auto main_v2 = with_changes(v2, *main_v1);
  auto empty = compile({});
  auto office = compile({test::entry("office.example")});
  auto old_snapshot = generations.make({main_v1, empty, office, empty}, 1);
  auto new_snapshot = generations.make({main_v2, empty, office, empty}, 2);

  // The recorded changes (3) plus the client-scoped list walked twice (2), not
  // the 3 + 3 entries of a diff.
  CHECK(ChangeSet::walk_size(*old_snapshot, *new_snapshot) == 3 + 2);
  auto changes = ChangeSet::between(*old_snapshot, *new_snapshot, 100);
  REQUIRE(changes);
  auto diffed = ChangeSet::between(*old_snapshot,
                                   *generations.make({compile(v2), empty, office, empty}, 2), 100);
  REQUIRE(diffed);
  for (const char* name : {"added.example", "www.added.example", "dropped.example",
                           "changed.example", "kept.example", "office.example", "nothing.test"}) {
    INFO(name);
    CHECK(changes->may_affect(test::wire(name)) == diffed->may_affect(test::wire(name)));
  }
  CHECK(changes->size() == diffed->size());

  // Changes recorded against another list than the loaded one: diffed instead.
  auto unrelated = compile({test::entry("other.example")});
  auto main_v2_elsewhere = with_changes(v2, *unrelated);
  auto elsewhere = generations.make({main_v2_elsewhere, empty, office, empty}, 2);
  CHECK(ChangeSet::walk_size(*old_snapshot, *elsewhere) == 3 + 3 + 2);
  auto fallback = ChangeSet::between(*old_snapshot, *elsewhere, 100);
  REQUIRE(fallback);
  CHECK_FALSE(fallback->may_affect(test::wire("other.example")));
  CHECK(fallback->may_affect(test::wire("added.example")));
}

TEST_CASE("change set over time: the entries whose windows turn", "[change_set]") {
  Generations generations;
  auto main_list = compile({test::entry("opens.example", Policy::block, Scope::subtree,
                                        test::meta_window(1000, std::nullopt)),
                            test::entry("closes.example", Policy::block, Scope::subtree,
                                        test::meta_window(std::nullopt, 2000)),
                            test::entry("always.example")});
  auto empty = compile({});
  auto snapshot = generations.make({main_list, empty, empty, empty}, 1);
  struct Case {
    int64_t from, to;
    bool opens, closes;
  };
  const Case cases[] = {
      {999, 1000, true, false},  {1000, 1001, false, false}, {1999, 2000, false, false},
      {2000, 2001, false, true}, {500, 2500, true, true},    {2001, 5000, false, false},
  };
  for (const auto& c : cases) {
    INFO(c.from << " -> " << c.to);
    auto changes = ChangeSet::over_time(*snapshot, c.from, c.to, 100);
    REQUIRE(changes);
    CHECK(changes->may_affect(test::wire("www.opens.example")) == c.opens);
    CHECK(changes->may_affect(test::wire("closes.example")) == c.closes);
    CHECK_FALSE(changes->may_affect(test::wire("always.example")));
  }
}

TEST_CASE("change set: a list that was not loaded counts as empty", "[change_set]") {
  Generations generations;
  auto main_list = compile({test::entry("listed.example")});
  auto empty = compile({});
  auto old_snapshot = generations.make({nullptr, empty, empty, empty}, 1);
  auto new_snapshot = generations.make({main_list, empty, empty, empty}, 2);
  auto changes = ChangeSet::between(*old_snapshot, *new_snapshot, 100);
  REQUIRE(changes);
  CHECK(changes->may_affect(test::wire("www.listed.example")));
  CHECK_FALSE(changes->may_affect(test::wire("other.example")));
}

TEST_CASE("change set: malformed names pass the filter", "[change_set]") {
  Generations generations;
  auto main_list = compile({test::entry("listed.example")});
  auto empty = compile({});
  auto changes = ChangeSet::between(*generations.make({empty, empty, empty, empty}, 1),
                                    *generations.make({main_list, empty, empty, empty}, 2), 100);
  REQUIRE(changes);
  const std::vector<std::vector<uint8_t>> malformed = {
      {}, {3, 'a', 'b'}, {64}, {1, 'a', 0, 0}, {1, 'a'}};
  for (const auto& name : malformed)
    CHECK(changes->may_affect(name));
}

TEST_CASE("change set: filter false implies newly_blocked false (random lists)", "[change_set]") {
  Generations generations;
  size_t filtered = 0, queries = 0;
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    INFO("seed " << seed);
    Names names(seed);
    const size_t size = 5 + names.pick(60);
    std::vector<Entries> old_entries = {names.entries(size), names.entries(size / 2),
                                        names.entries(names.pick(4)), names.entries(3)};
    std::vector<Entries> new_entries = old_entries;
    for (auto& entries : new_entries) {
      if (names.pick(2) == 0)
        entries = names.mutate(entries, 1 + names.pick(6));
    }
    std::vector<std::shared_ptr<const trie::List>> old_lists, new_lists;
    for (size_t i = 0; i < old_entries.size(); ++i) {
      old_lists.push_back(compile(old_entries[i]));
      // An unchanged slot keeps its loaded list, as in the engine.
      new_lists.push_back(new_entries[i] == old_entries[i] ? old_lists.back()
                                                           : compile(new_entries[i]));
    }
    auto old_snapshot = generations.make(old_lists, 1);
    auto new_snapshot = generations.make(new_lists, 2);
    auto changes = ChangeSet::between(*old_snapshot, *new_snapshot, 1000);
    REQUIRE(changes);
    for (int i = 0; i < 400; ++i) {
      const auto qname = query(names);
      ++queries;
      if (changes->may_affect(qname))
        continue;
      ++filtered;
      for (int64_t at : kTimes) {
        INFO(trie::text_from_wire(qname) << " at " << at);
        REQUIRE_FALSE(newly_blocked(*old_snapshot, *new_snapshot, qname, at));
      }
    }

    // Validity windows turning inside one snapshot.
    const std::pair<int64_t, int64_t> steps[] = {
        {999, 1000}, {2000, 2001}, {3000, 3001}, {1999, 2000}, {500, 1500}, {999, 3001}, {1, 2}};
    for (const auto& [from, to] : steps) {
      auto turning = ChangeSet::over_time(*new_snapshot, from, to, 1000);
      REQUIRE(turning);
      for (int i = 0; i < 200; ++i) {
        const auto qname = query(names);
        if (turning->may_affect(qname))
          continue;
        INFO(trie::text_from_wire(qname) << " from " << from << " to " << to);
        REQUIRE_FALSE(newly_blocked(*new_snapshot, from, *new_snapshot, to, qname));
      }
    }
  }
  // The filter must filter: most random names are far from the few changes.
  CHECK(filtered > queries / 2);
}
