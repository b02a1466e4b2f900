#include "cached_names.h"
#include "wire_names.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <thread>
#include <vector>

using pangea::unbound::CachedNames;
using pangea::unbound::MessageName;
using pangea::unbound::WireName;

namespace {

constexpr uint16_t kA = 1, kMx = 15, kTxt = 16, kAaaa = 28, kIn = 1, kCh = 3;

WireName wire(const std::string& dotted) {
  return pangea::unbound::test::wire_keep_case(dotted);
}

// "shop.example" -> its trie key: 07 "example" 04 "shop".
std::vector<uint8_t> key(const std::string& dotted) {
  std::vector<std::string> labels;
  size_t start = 0;
  while (start <= dotted.size()) {
    size_t dot = dotted.find('.', start);
    if (dot == std::string::npos)
      dot = dotted.size();
    labels.push_back(dotted.substr(start, dot - start));
    start = dot + 1;
  }
  std::vector<uint8_t> out;
  for (auto it = labels.rbegin(); it != labels.rend(); ++it) {
    out.push_back(static_cast<uint8_t>(it->size()));
    out.insert(out.end(), it->begin(), it->end());
  }
  return out;
}

std::set<std::string> under(CachedNames& index, std::vector<std::string> names,
                            std::optional<uint32_t> drop_tag = std::nullopt) {
  std::vector<std::vector<uint8_t>> keys;
  for (const auto& n : names)
    keys.push_back(key(n));
  std::vector<std::span<const uint8_t>> spans(keys.begin(), keys.end());
  auto messages = index.messages_under(spans, drop_tag);
  REQUIRE(messages);
  std::set<std::string> out;
  for (const MessageName& m : *messages) {
    std::string text;
    for (size_t pos = 0; m.qname[pos] != 0; pos += 1 + m.qname[pos]) {
      if (!text.empty())
        text += '.';
      text.append(m.qname.begin() + static_cast<std::ptrdiff_t>(pos + 1),
                  m.qname.begin() + static_cast<std::ptrdiff_t>(pos + 1 + m.qname[pos]));
    }
    out.insert(text + "/" + std::to_string(m.qtype) + "/" + std::to_string(m.qclass));
  }
  return out;
}

}  // namespace

TEST_CASE("cached names: the messages at or under a key, without case", "[cached_names]") {
  CachedNames index(1000);
  index.add_message(wire("www.Shop.Example"), kA, kIn);
  index.add_message(wire("shop.example"), kAaaa, kIn);
  index.add_message(wire("shop.example"), kMx, kIn);
  index.add_message(wire("shopping.example"), kA, kIn);  // a longer label, not under shop
  index.add_message(wire("other.test"), kA, kIn);
  index.add_message(wire("version.bind"), kTxt, kCh);
  index.add_message(wire("odd.example"), 99, kIn);

  CHECK(under(index, {"shop.example"}) ==
        std::set<std::string>{"www.shop.example/1/1", "shop.example/28/1", "shop.example/15/1"});
  CHECK(under(index, {"www.shop.example"}) == std::set<std::string>{"www.shop.example/1/1"});
  CHECK(under(index, {"example"}).size() == 5);
  CHECK(under(index, {"odd.example", "bind"}) ==
        std::set<std::string>{"odd.example/99/1", "version.bind/16/3"});
  CHECK(under(index, {"nothing.test", "test.shop.example", "xample"}).empty());
  CHECK(index.names() == 6);
  // A, AAAA (twice: CD hashes apart), MX, A, A, TXT, TYPE99.
  CHECK(index.message_bound() == 8);
  index.add_message(wire("SHOP.example"), kAaaa, kIn);  // known: no change
  CHECK(index.message_bound() == 8);
}

TEST_CASE("cached names: a message is found by the names of its chain", "[cached_names]") {
  CachedNames index(1000);
  // www.shop.example CNAME edge.cdn.test CNAME host.cdn.test
  const WireName q = wire("www.shop.example"), edge = wire("edge.CDN.test"),
                 host = wire("host.cdn.test");
  const std::span<const uint8_t> chain[] = {q, edge, edge, host};
  index.add_message(q, kA, kIn, chain);
  index.add_message(q, kA, kIn, chain);
  // Each step may be cached as a message of its own too.
  CHECK(under(index, {"host.cdn.test"}) ==
        std::set<std::string>{"www.shop.example/1/1", "host.cdn.test/1/1"});
  CHECK(under(index, {"cdn.test"}) ==
        std::set<std::string>{"www.shop.example/1/1", "edge.cdn.test/1/1", "host.cdn.test/1/1"});
  CHECK(under(index, {"shop.example"}) == std::set<std::string>{"www.shop.example/1/1"});
  CHECK(index.names() == 3);
  CHECK(index.message_bound() == 3);
}

TEST_CASE("cached names: stored answers of a generation tag are handed out once",
          "[cached_names]") {
  CachedNames index(1000);
  index.add_stored_answer(wire("blocked.example"), kA, kIn, 5);
  index.add_stored_answer(wire("blocked.example"), kA, kIn, 5);
  index.add_stored_answer(wire("other.example"), kA, kIn, 6);
  CHECK(index.names() == 2 + 2);
  CHECK(under(index, {}, 5) == std::set<std::string>{"blocked.example/1/1"});
  CHECK(under(index, {}, 5).empty());
  // Still known as a cached name.
  CHECK(under(index, {"blocked.example"}) == std::set<std::string>{"blocked.example/1/1"});
  CHECK(under(index, {}, 6) == std::set<std::string>{"other.example/1/1"});
  CHECK(under(index, {}, 64).empty());
}

TEST_CASE("cached names: past the cap the index forgets and says so until restarted",
          "[cached_names]") {
  CachedNames index(3);
  for (const char* name : {"a.test", "b.test", "c.test"})
    index.add_message(wire(name), kA, kIn);
  CHECK(index.complete());
  CHECK_FALSE(index.needs_rebuild());
  index.add_message(wire("d.test"), kA, kIn);
  CHECK_FALSE(index.complete());
  CHECK(index.needs_rebuild());
  CHECK(index.names() == 0);
  CHECK(index.message_bound() == 0);
  const std::vector<std::span<const uint8_t>> none;
  CHECK_FALSE(index.messages_under(none, std::nullopt));
  index.add_message(wire("e.test"), kA, kIn);  // not recorded while incomplete
  CHECK(index.names() == 0);
  index.restart();
  CHECK_FALSE(index.complete());  // until the rebuild's walk is done
  CHECK_FALSE(index.needs_rebuild());
  index.add_message(wire("e.test"), kA, kIn);
  index.finish_rebuild();
  CHECK(index.complete());
  CHECK(under(index, {"test"}) == std::set<std::string>{"e.test/1/1"});
  index.give_up();
  CHECK_FALSE(index.complete());
}

TEST_CASE("cached names: overlapping rebuilds complete the index when the last one ends",
          "[cached_names]") {
  CachedNames index(3);
  index.restart();
  index.add_message(wire("a.test"), kA, kIn);
  index.restart();  // a second walk starts: forgets a.test again
  index.finish_rebuild();
  CHECK_FALSE(index.complete());
  index.add_message(wire("b.test"), kA, kIn);
  index.finish_rebuild();
  CHECK(index.complete());
  CHECK(under(index, {"test"}) == std::set<std::string>{"b.test/1/1"});
  // Overflowing during a rebuild leaves it incomplete when the rebuild ends.
  index.restart();
  for (const char* name : {"a.test", "b.test", "c.test", "d.test"})
    index.add_message(wire(name), kA, kIn);
  CHECK(index.needs_rebuild());  // the background rebuild's cue (index_upkeep.h)
  index.finish_rebuild();
  CHECK_FALSE(index.complete());
}

TEST_CASE("cached names: long names (kept apart from the record) and short ones alike",
          "[cached_names]") {
  CachedNames index(1000);
  const std::string label63(63, 'x');
  const std::string longest = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'y');
  REQUIRE(wire(longest).size() == 255);
  index.add_message(wire(longest), kA, kIn);
  index.add_message(wire("a.b"), kA, kIn);
  const std::string edge = std::string(36, 'e') + ".b";  // a 39-octet key
  index.add_message(wire(edge), kA, kIn);
  CHECK(under(index, {std::string(61, 'y')}) == std::set<std::string>{longest + "/1/1"});
  CHECK(under(index, {"b"}) == std::set<std::string>{"a.b/1/1", edge + "/1/1"});
  CHECK(index.names() == 3);
  CHECK(index.memory_bytes() > 3 * 64);
}

TEST_CASE("cached names: malformed names are ignored", "[cached_names]") {
  CachedNames index(100);
  const WireName bad[] = {WireName{}, WireName{5, 'a', 'b'}, WireName{64, 'a'}, WireName{1, 'a'}};
  for (const WireName& name : bad) {
    const std::span<const uint8_t> chain[] = {name};
    index.add_message(name, kA, kIn);
    index.add_message(wire("ok.test"), kA, kIn, chain);
  }
  CHECK(under(index, {"test"}) == std::set<std::string>{"ok.test/1/1"});
  // The root is a name (an empty key), under nothing but itself.
  index.add_message(WireName{0}, 2, kIn);
  CHECK(under(index, {"test"}).size() == 1);
}

TEST_CASE("cached names: concurrent recording and queries", "[cached_names]") {
  CachedNames index(100000);
  std::vector<std::thread> writers;
  for (int t = 0; t < 3; ++t) {
    writers.emplace_back([&index, t] {
      for (int i = 0; i < 2000; ++i) {
        const WireName name = wire("n" + std::to_string(i) + ".t" + std::to_string(t) + ".test");
        const WireName target = wire("target.test");
        const std::span<const uint8_t> chain[] = {target};
        index.add_message(name, kA, kIn);
        index.add_message(name, kAaaa, kIn, chain);
      }
    });
  }
  size_t seen = 0;
  for (int i = 0; i < 50; ++i)
    seen = std::max(seen, under(index, {"target.test"}).size());
  for (auto& w : writers)
    w.join();
  CHECK(under(index, {"target.test"}).size() == 3 * 2000 + 1);  // and its own AAAA
  CHECK(under(index, {"t1.test"}).size() == 2 * 2000);          // A and AAAA
  CHECK(seen <= 3 * 2000 + 1);
}
