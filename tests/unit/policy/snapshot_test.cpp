#include "pangea/policy/snapshot.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <new>

#include "support.h"

// Counts heap allocations made by the current thread while `counting` is set, to
// show that decide() does not allocate. Replacing the global operator new is
// allowed once per program; this is the only test file that does.
namespace {
thread_local bool counting = false;
thread_local size_t allocations = 0;
}  // namespace

// GCC pairs free() with the operator new it sees inlined here and warns; these
// replacements are malloc/free on both sides.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(size_t size) {
  if (counting)
    ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size))
    return p;
  throw std::bad_alloc();
}
void* operator new[](size_t size) {
  return operator new(size);
}
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  if (counting)
    ++allocations;
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
#pragma GCC diagnostic pop

using namespace pangea::policy;
using pangea::trie::Action;
namespace trie = pangea::trie;
using pangea::trie::Entry;
using pangea::trie::Policy;

namespace {

using Entries = std::vector<Entry>;

trie::Metadata referral(const char* reference) {
  trie::Metadata meta;
  meta.referral = reference;
  return meta;
}

std::shared_ptr<const trie::List> compile(const Entries& entries, uint64_t serial = 1) {
  std::string error;
  auto list = trie::List::from_bytes(test::build_list(entries, serial), {}, error);
  INFO(error);
  REQUIRE(list);
  return list;
}

std::shared_ptr<const GeoIp> test_geoip() {
  std::string error;
  auto geoip = GeoIp::open(test::kMmdbDir + "/GeoIP2-Country-Test.mmdb", error);
  INFO(error);
  REQUIRE(geoip);
  return geoip;
}

// A snapshot over in-memory lists; `lists` and `allow_files` follow the configuration.
std::shared_ptr<const Snapshot> make_snapshot(const std::string& yaml,
                                              const std::vector<Entries>& lists,
                                              const std::vector<Entries>& allow_files = {},
                                              std::shared_ptr<const GeoIp> geoip = nullptr) {
  auto config = std::make_shared<const Config>(parse_config(yaml, "/virtual/pangea.yaml"));
  std::vector<LoadedList> loaded;
  for (const auto& entries : lists)
    loaded.push_back(LoadedList{compile(entries), {}, 0});
  std::vector<LoadedList> loaded_allow;
  for (const auto& entries : allow_files)
    loaded_allow.push_back(LoadedList{compile(entries), {}, 0});
  return std::make_shared<const Snapshot>(config, std::move(loaded), std::move(loaded_allow),
                                          std::move(geoip), 1);
}

Client client(const char* address) {
  if (address == nullptr)
    return Client();
  auto parsed = Address::parse(address);
  REQUIRE(parsed.has_value());
  return Client(*parsed);
}

// "first:nxdomain:2", "allow-name:passthru:2", "none"
std::string summary(const Decision& d) {
  if (!d.matched())
    return "none";
  std::string where;
  if (d.source == Source::allow_name)
    where = "allow-name";
  else if (d.list != nullptr)
    where = d.list->name;
  return where + ":" + std::string(trie::to_string(d.action)) + ":" + std::to_string(d.labels);
}

const char* kPrecedenceConfig = R"(
version: 1
defaults: { redirect: { a: [192.0.2.10] } }
lists:
  - { name: first, file: first.pbl, action: nxdomain }
  - { name: second, file: second.pbl, action: redirect }
allowlist:
  names: [good.example]
  files: [allow.pbl]
)";

std::shared_ptr<const Snapshot> precedence_snapshot() {
  const Entries first{
      test::entry("pills.example"),
      test::allow("ok.pills.example"),
      test::exact("exact.example"),
      test::entry("tie.example"),
      test::entry("allowtie.example"),
      test::entry("inlist.example"),
      test::entry("x.inlist.example", Policy::block, trie::Scope::subtree,
                  [] {
                    auto meta = test::meta_window(1000, 2000);
                    meta.action = Action::refuse;
                    return meta;
                  }()),
      test::entry("windowed.example"),
      test::entry("fileallowed.example"),
  };
  const Entries second{
      test::entry("www.pills.example"),
      test::entry("tie.example"),
      test::allow("allowtie.example"),
      test::entry("override.example", Policy::block, trie::Scope::subtree,
                  test::meta_action(Action::refuse)),
      test::entry("good.example"),
      // Distinct metadata, or the compiler drops it as covered by good.example.
      test::entry("shop.good.example", Policy::block, trie::Scope::subtree, referral("R-shop")),
      test::entry("www.windowed.example", Policy::block, trie::Scope::subtree,
                  test::meta_window(1000, 2000)),
  };
  // Entries in an allowlist file exempt whatever their own policy says.
  const Entries allow_file{test::entry("fileallowed.example")};
  return make_snapshot(kPrecedenceConfig, {first, second}, {allow_file});
}

}  // namespace

TEST_CASE("precedence: most specific wins, then allow, then configuration order", "[snapshot]") {
  auto snapshot = precedence_snapshot();
  struct Case {
    const char* qname;
    const char* expected;
  };
  const Case cases[] = {
      {"pills.example", "first:nxdomain:2"},
      {"a.b.pills.example", "first:nxdomain:2"},
      {"PILLS.Example", "first:nxdomain:2"},  // case-insensitive
      {"xpills.example", "none"},             // suffix, but not on a label boundary
      {"pills.example.com", "none"},
      {"example", "none"},
      {"www.pills.example", "second:redirect:3"},  // more specific, in a later list
      {"x.www.pills.example", "second:redirect:3"},
      {"ok.pills.example", "first:passthru:3"},  // allow entry inside a block list
      {"x.ok.pills.example", "first:passthru:3"},
      {"exact.example", "first:nxdomain:2"},
      {"sub.exact.example", "none"},              // an exact entry does not cover subdomains
      {"tie.example", "first:nxdomain:2"},        // tie between blocks: configuration order
      {"allowtie.example", "second:passthru:2"},  // tie: allow beats block, whatever the order
      {"override.example", "second:refuse:2"},    // the entry's action overrides the list's
      {"good.example", "allow-name:passthru:2"},  // allowlist name beats a block on a tie
      {"www.good.example", "allow-name:passthru:2"},
      {"shop.good.example", "second:redirect:3"},  // a more specific block beats the allowlist
      {"fileallowed.example", "allowlist:allow:passthru:2"},
      {"www.fileallowed.example", "allowlist:allow:passthru:2"},
  };
  for (const auto& c : cases) {
    INFO(c.qname);
    const auto qname = test::wire(c.qname);
    const Decision d = snapshot->decide(qname, 1, client("192.0.2.1"), 1500);
    CHECK(summary(d) == c.expected);
    CHECK_FALSE(d.client_dependent);
    CHECK_FALSE(d.failed);
  }
}

TEST_CASE("validity windows: an inactive entry lets a less specific one win", "[snapshot]") {
  auto snapshot = precedence_snapshot();
  struct Case {
    const char* qname;
    int64_t now;
    const char* expected;
  };
  const Case cases[] = {
      {"www.windowed.example", 999, "first:nxdomain:2"},
      {"www.windowed.example", 1000, "second:redirect:3"},  // bounds are inclusive
      {"www.windowed.example", 2000, "second:redirect:3"},
      {"www.windowed.example", 2001, "first:nxdomain:2"},
      // Within one list: the more specific entry's window closes, the ancestor applies.
      {"a.x.inlist.example", 1500, "first:refuse:3"},
      {"a.x.inlist.example", 2500, "first:nxdomain:2"},
      {"a.x.inlist.example", 500, "first:nxdomain:2"},
  };
  for (const auto& c : cases) {
    INFO(c.qname << " at " << c.now);
    const auto qname = test::wire(c.qname);
    CHECK(summary(snapshot->decide(qname, 1, client("192.0.2.1"), c.now)) == c.expected);
  }
}

TEST_CASE("a decision carries the entry, its metadata and its list", "[snapshot]") {
  trie::Metadata meta;
  meta.agency = "DNRED";
  meta.referral = "R-1";
  auto snapshot =
      make_snapshot(kPrecedenceConfig,
                    {{test::entry("pills.example", Policy::block, trie::Scope::subtree, meta)},
                     {test::entry("log.example", Policy::block, trie::Scope::subtree,
                                  test::meta_action(Action::log_only))}},
                    {{}});
  const auto qname = test::wire("a.b.pills.example");
  const Decision d = snapshot->decide(qname, 28, client(nullptr), 0);
  CHECK(d.source == Source::list);
  CHECK(d.list_index == 0);
  REQUIRE(d.list != nullptr);
  CHECK(d.list->name == "first");
  CHECK(d.policy == Policy::block);
  CHECK(d.match.labels == 2);
  CHECK(d.meta.agency == "DNRED");
  CHECK(d.meta.referral == "R-1");
  CHECK(std::vector<uint8_t>(d.entry.begin(), d.entry.end()) == test::wire("pills.example"));
  CHECK(d.entry.data() == qname.data() + 4);  // a view into the caller's name
  CHECK(d.qtype == 28);
  CHECK(d.intercepts());
  CHECK(d.is_hit());

  const auto logged = test::wire("log.example");
  const Decision l = snapshot->decide(logged, 1, client(nullptr), 0);
  CHECK(l.action == Action::log_only);
  CHECK_FALSE(l.intercepts());
  CHECK(l.is_hit());

  const auto nothing = test::wire("nothing.example");
  const Decision n = snapshot->decide(nothing, 1, client(nullptr), 0);
  CHECK_FALSE(n.matched());
  CHECK_FALSE(n.intercepts());
  CHECK_FALSE(n.is_hit());
}

TEST_CASE("malformed query names match nothing", "[snapshot]") {
  auto snapshot = precedence_snapshot();
  const std::vector<std::vector<uint8_t>> names{
      {},
      {5, 'p', 'i'},                 // truncated label
      {5, 'p', 'i', 'l', 'l', 's'},  // no root label
      {0xc0, 0x0c},                  // compression pointer
      {5, 'p', 'i', 'l', 'l', 's', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0},  // trailing byte
      {0},                                                                       // the root
  };
  for (const auto& name : names) {
    const Decision d = snapshot->decide(name, 1, client(nullptr), 0);
    CHECK_FALSE(d.matched());
    CHECK_FALSE(d.failed);
  }
}

TEST_CASE("an entry override the list cannot carry out falls back to nxdomain", "[snapshot]") {
  const char* config = R"(
version: 1
lists:
  - { name: plain, file: plain.pbl, action: nodata }
)";
  auto snapshot =
      make_snapshot(config, {{test::entry("r.example", Policy::block, trie::Scope::subtree,
                                          test::meta_action(Action::redirect)),
                              test::entry("c.example", Policy::block, trie::Scope::subtree,
                                          test::meta_action(Action::cname)),
                              test::entry("d.example", Policy::block, trie::Scope::subtree,
                                          test::meta_action(Action::drop))}});
  for (const char* name : {"r.example", "c.example"}) {
    const auto qname = test::wire(name);
    const Decision d = snapshot->decide(qname, 1, client(nullptr), 0);
    CHECK(d.action == Action::nxdomain);
    CHECK(d.fell_back);
  }
  const auto qname = test::wire("d.example");
  const Decision d = snapshot->decide(qname, 1, client(nullptr), 0);
  CHECK(d.action == Action::drop);
  CHECK_FALSE(d.fell_back);
}

namespace {

const char* kScopeConfig = R"(
version: 1
geoip: { database: /virtual/test.mmdb }
lists:
  - name: everyone
    file: everyone.pbl
    action: nxdomain
  - name: office
    file: office.pbl
    action: refuse
    clients: { networks: [10.0.0.0/8, "2001:db8::/32"], exclude: [10.9.0.0/16] }
  - name: gb
    file: gb.pbl
    action: nodata
    clients: { countries: [GB], unknown_country: skip }
  - name: se-or-unknown
    file: se.pbl
    action: drop
    clients: { countries: [SE] }
)";

std::shared_ptr<const Snapshot> scope_snapshot() {
  return make_snapshot(
      kScopeConfig,
      {{test::entry("shared.example")},
       {test::entry("office.example"), test::entry("shared.example"),
        test::entry("www.shared.example", Policy::block, trie::Scope::subtree, referral("R-www"))},
       {test::entry("gb.example")},
       {test::entry("se.example")}},
      {}, test_geoip());
}

}  // namespace

TEST_CASE("client scope: networks, exclusions and countries", "[snapshot]") {
  auto snapshot = scope_snapshot();
  CHECK(snapshot->config().client_scoped());
  struct Case {
    const char* qname;
    const char* address;  // null: no client address
    const char* expected;
    bool client_dependent;
  };
  const Case cases[] = {
      {"office.example", "10.1.2.3", "office:refuse:2", true},
      {"office.example", "10.9.1.1", "none", true},  // excluded
      {"office.example", "11.0.0.1", "none", true},
      {"office.example", "2001:db8::5", "office:refuse:2", true},
      {"office.example", "2001:db9::5", "none", true},
      {"office.example", "::ffff:10.1.2.3", "office:refuse:2", true},
      {"office.example", nullptr, "none", true},
      // The scoped list's entry ties with an earlier unscoped one and can never win:
      // the outcome is the same for everyone.
      {"shared.example", "10.1.2.3", "everyone:nxdomain:2", false},
      {"shared.example", "11.0.0.1", "everyone:nxdomain:2", false},
      {"www.shared.example", "10.1.2.3", "office:refuse:3", true},
      {"www.shared.example", "11.0.0.1", "everyone:nxdomain:2", true},
      {"gb.example", "81.2.69.142", "gb:nodata:2", true},
      {"gb.example", "89.160.20.112", "none", true},  // SE
      {"gb.example", "192.0.2.1", "none", true},      // unknown country, skip
      {"se.example", "89.160.20.112", "se-or-unknown:drop:2", true},
      {"se.example", "192.0.2.1", "se-or-unknown:drop:2", true},  // unknown country, apply
      {"se.example", nullptr, "se-or-unknown:drop:2", true},
      {"se.example", "81.2.69.142", "none", true},
      {"nothing.example", "10.1.2.3", "none", false},
  };
  for (const auto& c : cases) {
    INFO(c.qname << " from " << (c.address ? c.address : "(no address)"));
    const auto qname = test::wire(c.qname);
    const Decision d = snapshot->decide(qname, 1, client(c.address), 0);
    CHECK(summary(d) == c.expected);
    CHECK(d.client_dependent == c.client_dependent);
  }
}

TEST_CASE("a snapshot refuses lists that do not fit its configuration", "[snapshot]") {
  auto config = std::make_shared<const Config>(parse_config(kScopeConfig, "/virtual/pangea.yaml"));
  CHECK_THROWS_AS(Snapshot(config, {}, {}, test_geoip(), 1), std::invalid_argument);
  std::vector<LoadedList> four(4);
  CHECK_THROWS_AS(Snapshot(config, four, {}, nullptr, 1), std::invalid_argument);  // no GeoIP
  Snapshot without_lists(config, four, {}, test_geoip(), 1);  // optional lists not loaded
  const auto qname = test::wire("office.example");
  CHECK_FALSE(without_lists.decide(qname, 1, client("10.1.2.3"), 0).matched());
  CHECK(without_lists.describe_list(0) == "everyone: not loaded (/virtual/everyone.pbl)");
}

TEST_CASE("newly_blocked: what a swap may have made stale in a cache", "[snapshot]") {
  const char* config = R"(
version: 1
lists:
  - { name: main, file: main.pbl, action: nxdomain }
  - { name: office, file: office.pbl, action: refuse, clients: { networks: [10.0.0.0/8] } }
)";
  auto old_snapshot =
      make_snapshot(config, {{test::entry("old.example"),
                              test::entry("watch.example", Policy::block, trie::Scope::subtree,
                                          test::meta_action(Action::log_only))},
                             {test::entry("was-scoped.example")}});
  auto new_snapshot = make_snapshot(
      config,
      {{test::entry("old.example"), test::entry("new.example"), test::entry("was-scoped.example"),
        test::entry("watch.example", Policy::block, trie::Scope::subtree,
                    test::meta_action(Action::log_only)),
        test::entry("timed.example", Policy::block, trie::Scope::subtree,
                    test::meta_window(5000, std::nullopt))},
       {test::entry("scoped.example")}});
  struct Case {
    const char* qname;
    bool newly;
  };
  const Case cases[] = {
      {"new.example", true},        {"www.new.example", true},
      {"old.example", false},                                  // already blocked for everyone
      {"nothing.example", false},   {"scoped.example", true},  // blocked for some clients now
      {"was-scoped.example", true},                            // was blocked for some clients only
      {"watch.example", false},                                // log-only answers normally
      {"timed.example", false},                                // not active yet at 1000
  };
  for (const auto& c : cases) {
    INFO(c.qname);
    const auto qname = test::wire(c.qname);
    CHECK(newly_blocked(*old_snapshot, *new_snapshot, qname, 1000) == c.newly);
  }
  const auto timed = test::wire("timed.example");
  CHECK(newly_blocked(*old_snapshot, *new_snapshot, timed, 5000));
  const auto scoped = test::wire("scoped.example");
  CHECK(new_snapshot->may_intercept(scoped, 0));
  CHECK_FALSE(new_snapshot->always_intercepts(scoped, 0));
}

TEST_CASE("decision_changed: which cached blocked answers a swap or a window makes stale",
          "[snapshot]") {
  const char* config = R"(
version: 1
lists:
  - { name: main, file: main.pbl, action: nxdomain }
  - { name: second, file: second.pbl, action: nodata }
  - { name: office, file: office.pbl, action: refuse, clients: { networks: [10.0.0.0/8] } }
)";
  auto old_snapshot = make_snapshot(
      config,
      {{test::entry("gone.example"), test::entry("kept.example"), test::entry("moved.example"),
        test::entry("redo.example"), test::entry("now-scoped.example"), test::entry("sub.example"),
        test::entry("timed.example", Policy::block, trie::Scope::subtree,
                    test::meta_window(std::nullopt, 2000)),
        test::entry("watch.example", Policy::block, trie::Scope::subtree,
                    test::meta_action(Action::log_only))},
       {},
       {test::entry("was-scoped.example")}});
  // The next generation of the same configuration, as a swap makes it.
  auto relist = [&](const std::vector<Entries>& lists) {
    std::vector<LoadedList> loaded;
    for (const auto& entries : lists)
      loaded.push_back(LoadedList{compile(entries), {}, 0});
    return std::make_shared<const Snapshot>(old_snapshot->config_ptr(), std::move(loaded),
                                            std::vector<LoadedList>{}, nullptr, 2);
  };
  auto new_snapshot =
      relist({{test::entry("kept.example"), test::entry("new.example"), test::entry("sub.example"),
               test::allow("www.sub.example", trie::Scope::exact),
               test::entry("redo.example", Policy::block, trie::Scope::subtree,
                           test::meta_action(Action::nodata)),
               test::entry("timed.example", Policy::block, trie::Scope::subtree,
                           test::meta_window(std::nullopt, 2000)),
               test::entry("watch.example")},
              {test::entry("moved.example")},
              {test::entry("now-scoped.example"), test::entry("was-scoped.example")}});
  struct Case {
    const char* qname;
    bool changed;
  };
  const Case cases[] = {
      {"gone.example", true},        {"www.gone.example", true},   // no longer listed
      {"kept.example", false},       {"www.kept.example", false},  // same entry, same action
      {"moved.example", true},                                     // another list
      {"redo.example", true},                                      // another action
      {"now-scoped.example", true},                                // depends on the client now
      {"www.sub.example", true},                                   // a new exemption
      {"new.example", false},                                      // not cached before
      {"was-scoped.example", false},                               // never cached (scoped)
      {"watch.example", false},                                    // log-only: not cached
      {"nothing.example", false},    {"timed.example", false},
  };
  for (const auto& c : cases) {
    INFO(c.qname);
    const auto qname = test::wire(c.qname);
    CHECK(decision_changed(*old_snapshot, 1000, *new_snapshot, 1000, qname) == c.changed);
    // The purge's shortcut for stored answers decides as the two together.
    CHECK(stored_answer_stale(*old_snapshot, 1000, *new_snapshot, 1000, qname) ==
          (newly_blocked(*old_snapshot, *new_snapshot, qname, 1000) || c.changed));
  }
  // Across a window's end, with one snapshot; and across configurations.
  const auto timed = test::wire("www.timed.example");
  CHECK_FALSE(decision_changed(*new_snapshot, 1999, *new_snapshot, 2000, timed));
  CHECK(decision_changed(*new_snapshot, 2000, *new_snapshot, 2001, timed));
  CHECK(stored_answer_stale(*new_snapshot, 2000, *new_snapshot, 2001, timed));
  CHECK_FALSE(stored_answer_stale(*new_snapshot, 1999, *new_snapshot, 2000, timed));
  CHECK_FALSE(decision_changed(*new_snapshot, 2001, *new_snapshot, 2002, timed));
  const auto kept = test::wire("kept.example");
  CHECK(decision_changed(*old_snapshot, 1000,
                         *make_snapshot(config, {{test::entry("kept.example")}, {}, {}}), 1000,
                         kept));
}

TEST_CASE("decide() does not allocate", "[snapshot]") {
  auto precedence = precedence_snapshot();
  auto scoped = scope_snapshot();
  const std::vector<std::vector<uint8_t>> names{
      test::wire("x.www.pills.example"), test::wire("good.example"),
      test::wire("nothing.example"),     test::wire("www.windowed.example"),
      test::wire("gb.example"),          test::wire("www.shared.example")};
  const Client clients[] = {client("81.2.69.142"), client("10.1.2.3"), client(nullptr)};
  size_t matched = 0;
  counting = true;
  for (const auto& name : names) {
    for (const auto& c : clients) {
      matched += precedence->decide(name, 1, c, 1500).matched() ? 1 : 0;
      matched += scoped->decide(name, 1, c, 1500).matched() ? 1 : 0;
      matched += precedence->may_intercept(name, 1500) ? 1 : 0;
    }
  }
  counting = false;
  CHECK(allocations == 0);
  CHECK(matched > 0);
}

TEST_CASE("next_transition: when validity windows open and close", "[snapshot]") {
  const char* config = R"(
version: 1
lists:
  - { name: main, file: main.pbl, action: nxdomain }
allowlist: { files: [allow.pbl] }
)";
  auto snapshot = make_snapshot(config,
                                {{test::entry("a.example", Policy::block, trie::Scope::subtree,
                                              test::meta_window(1000, 2000)),
                                  test::entry("b.example", Policy::block, trie::Scope::subtree,
                                              test::meta_window(1500, std::nullopt)),
                                  test::entry("c.example")}},
                                {{test::entry("d.example", Policy::block, trie::Scope::subtree,
                                              test::meta_window(std::nullopt, 3000))}});
  struct Case {
    int64_t now;
    std::optional<int64_t> next;
  };
  const Case cases[] = {{0, 1000},    {999, 1000},  {1000, 1500},        {1500, 2001},
                        {2001, 3001}, {3000, 3001}, {3001, std::nullopt}};
  for (const auto& c : cases) {
    INFO(c.now);
    CHECK(snapshot->next_transition(c.now) == c.next);
  }
  // The glue's purge across a transition, with one snapshot.
  const auto a = test::wire("www.a.example");
  CHECK(newly_blocked(*snapshot, 999, *snapshot, 1000, a));
  CHECK_FALSE(newly_blocked(*snapshot, 1000, *snapshot, 1500, a));
  CHECK_FALSE(newly_blocked(*snapshot, 2000, *snapshot, 2001, a));
}
