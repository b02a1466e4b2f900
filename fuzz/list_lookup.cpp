// Fuzz target: List::lookup with hostile query names against fixed, valid lists.
//
// The input is used twice:
//   1. as a wire-format name, exactly as it is: every byte value, lying length
//      octets, no root label, binary labels, labels holding '.', over-long names;
//   2. as presentation text through wire_from_text (escapes such as "a\.b" or "\000").
// Each name is looked up in four lists built once with trie::Builder (block sizes 1, 4,
// 16, 4096; one list with more than 256 value classes; one pruned), and every answer
// is compared with a slow oracle over the entries (lookup_fixture.h):
//   - malformed names match nothing;
//   - otherwise the matches are exactly the oracle's, most specific first, with the
//     right label counts, policy, scope and metadata (pruned list: the most specific
//     match agrees, and there are never more matches than in the unpruned list);
//   - a smaller output span gets a prefix of the same answer, an empty one nothing.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "lookup_fixture.h"
#include "pangea/trie/list.h"
#include "pangea/trie/name.h"

namespace {

using namespace pangea;

struct Loaded {
  const fuzz::FixtureList* fixture;
  std::shared_ptr<const trie::List> list;
  fuzz::Oracle oracle;
};

const std::vector<fuzz::FixtureList>& fixtures() {
  static const std::vector<fuzz::FixtureList> lists = fuzz::fixture_lists();
  return lists;
}

const std::vector<Loaded>& loaded() {
  static const std::vector<Loaded> all = [] {
    std::vector<Loaded> out;
    for (const auto& f : fixtures()) {
      std::string error;
      auto list = trie::List::from_bytes(f.bytes, {}, error);
      FUZZ_CHECK(list != nullptr, error);
      out.push_back(Loaded{&f, std::move(list), fuzz::Oracle(f.entries)});
    }
    return out;
  }();
  return all;
}

void check_lookup(const Loaded& l, std::span<const uint8_t> wire) {
  std::array<trie::Match, trie::kMaxLabels> out{};
  const size_t n = l.list->lookup(wire, out);
  FUZZ_CHECK(n <= out.size(), l.fixture->what);

  const auto labels = fuzz::oracle_labels(wire);
  if (!labels) {
    FUZZ_CHECK(n == 0, "malformed name matched in " + l.fixture->what);
    return;
  }
  // The same judgement of well-formedness as the public helper.
  FUZZ_CHECK(trie::count_labels(wire) == labels->size(), "count_labels disagrees");

  const auto expected = l.oracle.expect(*labels);
  // Only built when a check fails (FUZZ_CHECK evaluates its detail lazily).
  auto where = [&] { return l.fixture->what + ", query '" + trie::text_from_wire(wire) + "'"; };
  auto same = [&](const trie::Match& m, const fuzz::Expected& e) {
    return m.labels == e.labels && m.policy == e.entry->policy && m.scope == e.entry->scope &&
           m.metadata_id < l.list->info().metadata_count &&
           l.list->metadata(m.metadata_id).to_owned() == e.entry->meta;
  };
  if (!l.fixture->pruned) {
    FUZZ_CHECK(n == expected.size(), "match count differs from the oracle: " + where());
    for (size_t i = 0; i < n; ++i) {
      FUZZ_CHECK(same(out[i], expected[i]), "match " + std::to_string(i) + " differs: " + where());
    }
  } else {
    FUZZ_CHECK(n <= expected.size(), "pruned list has more matches: " + where());
    FUZZ_CHECK((n == 0) == expected.empty(), "pruned list disagrees on matching: " + where());
    if (n > 0) {
      const trie::Match& m = out[0];
      const fuzz::Expected& e = expected[0];
      FUZZ_CHECK(m.policy == e.entry->policy &&
                     l.list->metadata(m.metadata_id).to_owned() == e.entry->meta,
                 "pruned list's most specific match differs: " + where());
    }
    for (size_t i = 0; i < n; ++i) {
      FUZZ_CHECK(out[i].labels >= 1 && out[i].labels <= labels->size(), where());
      FUZZ_CHECK(i == 0 || out[i].labels < out[i - 1].labels,
                 "not most specific first: " + where());
    }
  }

  // Smaller output spans: a prefix of the same answer.
  std::array<trie::Match, 1> one{};
  const size_t n1 = l.list->lookup(wire, one);
  FUZZ_CHECK(n1 == (n > 0 ? 1u : 0u), where());
  if (n1 == 1) {
    FUZZ_CHECK(one[0].labels == out[0].labels && one[0].metadata_id == out[0].metadata_id &&
                   one[0].policy == out[0].policy && one[0].scope == out[0].scope,
               where());
  }
  FUZZ_CHECK(l.list->lookup(wire, std::span<trie::Match>()) == 0, where());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> wire(data, size);
  for (const auto& l : loaded())
    check_lookup(l, wire);

  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto from_text = trie::wire_from_text(text)) {
    for (const auto& l : loaded())
      check_lookup(l, *from_text);
  }
  return 0;
}
