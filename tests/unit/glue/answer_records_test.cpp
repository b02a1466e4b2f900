#include "answer_records.h"

#include <catch2/catch.hpp>

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "pangea/policy/config.h"
#include "support.h"

using namespace pangea::policy;
using pangea::unbound::AnswerRecords;
using pangea::unbound::tag_of_token;
using pangea::unbound::token_tag;
namespace trie = pangea::trie;

namespace {

constexpr int64_t kNow = 1500;
constexpr uint16_t kTypeA = 1;

trie::Metadata referral(const char* reference, std::optional<int64_t> not_after = {}) {
  trie::Metadata meta;
  meta.referral = reference;
  meta.not_after = not_after;
  return meta;
}

// One nxdomain list, as generation `generation`.
std::shared_ptr<const Snapshot> snapshot_at(uint64_t generation) {
  const std::vector<trie::Entry> entries{
      test::entry("pills.example", trie::Policy::block, trie::Scope::subtree, referral("R-1")),
      test::entry("shop.example", trie::Policy::block, trie::Scope::subtree, referral("R-2", 2000)),
      test::allow("ok.pills.example"),
  };
  auto config = std::make_shared<const Config>(parse_config(
      "version: 1\nlists:\n  - { name: fr, file: fr.pbl, action: nxdomain }\n", "/virtual.yaml"));
  std::string error;
  auto list = trie::List::from_bytes(test::build_list(entries), {}, error);
  INFO(error);
  REQUIRE(list);
  std::vector<LoadedList> lists;
  lists.push_back(LoadedList{list, {}, 0});
  return std::make_shared<const Snapshot>(config, std::move(lists), std::vector<LoadedList>{},
                                          nullptr, generation);
}

Decision decide(const Snapshot& snapshot, const std::string& name) {
  return snapshot.decide(test::wire(name), kTypeA, Client(), kNow);
}

}  // namespace

TEST_CASE("answer records: one token per decision shape, in its own generation",
          "[answer-records]") {
  const auto snapshot = snapshot_at(5);
  AnswerRecords records(snapshot);

  const Decision www = decide(*snapshot, "www.pills.example");
  REQUIRE(www.intercepts());
  const uint32_t token = records.token_for(www, kNow);
  REQUIRE(token != 0);
  CHECK(tag_of_token(token) == token_tag(5));
  // Another name under the same entry is decided the same way: same record.
  CHECK(records.token_for(decide(*snapshot, "cheap.pills.example"), kNow) == token);
  // Another entry (other metadata) gets its own.
  const uint32_t shop = records.token_for(decide(*snapshot, "shop.example"), kNow);
  CHECK(shop != 0);
  CHECK(shop != token);

  const pangea::unbound::AnswerRecord* record = records.find(token);
  REQUIRE(record != nullptr);
  CHECK(record->decision.list == www.list);
  CHECK(record->decision.match.metadata_id == www.match.metadata_id);
  CHECK(record->decision.entry.empty());  // taken from each hit's own name
  // The shop entry's window closes at 2001, which bounds both records.
  CHECK(record->valid_until == 2001);

  // Another generation's records never resolve this token; nor does an index
  // never given out (the tag of generation 69 is generation 5's again).
  CHECK(AnswerRecords(snapshot_at(6)).find(token) == nullptr);
  CHECK(AnswerRecords(snapshot_at(5 + 64)).find(token) == nullptr);
  CHECK(records.find(token + 100) == nullptr);
}

TEST_CASE("answer records: no token for a decision that cannot stand for others",
          "[answer-records]") {
  const auto snapshot = snapshot_at(1);
  AnswerRecords records(snapshot);
  // No list matched.
  CHECK(records.token_for(decide(*snapshot, "www.test"), kNow) == 0);
  // Per-client or failed decisions.
  Decision scoped = decide(*snapshot, "www.pills.example");
  scoped.client_dependent = true;
  CHECK(records.token_for(scoped, kNow) == 0);
  Decision failed = decide(*snapshot, "www.pills.example");
  failed.failed = true;
  CHECK(records.token_for(failed, kNow) == 0);
  // A record made before a window transition does not stand for later decisions.
  const Decision shop = decide(*snapshot, "shop.example");
  REQUIRE(records.token_for(shop, kNow) != 0);
  CHECK(records.token_for(shop, 2001) == 0);
}

TEST_CASE("last_labels: the entry's part of a query name", "[answer-records]") {
  const std::vector<uint8_t> name = test::wire("www.pills.example");
  const auto two = pangea::unbound::last_labels(name, 2);
  CHECK(std::vector<uint8_t>(two.begin(), two.end()) == test::wire("pills.example"));
  CHECK(pangea::unbound::last_labels(name, 3).size() == name.size());
  CHECK(pangea::unbound::last_labels(name, 4).empty());
}
