// Fuzz target: the compiled-list loader. The input is a .pbl file.
//
// It is opened twice with List::from_bytes: as it is (magic, sizes, checksums...),
// and after fix_up() has recomputed file_size and every checksum it can locate, so
// that mutations of the structure reach the structural checks and the blocks, which
// are decoded lazily at lookup and enumeration time. When a file opens:
//   - info() is consistent with the input;
//   - a few fixed names, every enumerated name and the input's tail bytes are looked
//     up: no crash, no read outside the file (ASan), matches name at most as many
//     labels as the query, metadata ids are in range and their views readable;
//   - for_each enumerates at most entry_count entries whose names convert to wire
//     form; it may throw std::runtime_error ("corrupt list") on a block that does not
//     decode, which is the documented behaviour of the implementation;
//   - a signed file is opened again with the golden test key pinned (signature path).
#include <array>
#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "format.h"
#include "fuzz_check.h"
#include "pangea/trie/list.h"
#include "pangea/trie/name.h"
#include "pangea/trie/signature.h"
#include "pbl_fixup.h"

namespace {

using namespace pangea;

// tests/data/golden/golden-test-key.pub.pem (a test key; its private half is public).
constexpr const char* kGoldenPublicKey =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEASccG7vJ0efnn6BHQ+dTDGt/mVCgFfw6S67/z3xTvX5M=\n"
    "-----END PUBLIC KEY-----\n";

const trie::OpenOptions& pinned_options() {
  static const trie::OpenOptions options = [] {
    trie::OpenOptions o;
    std::array<uint8_t, 32> raw{};
    std::string error;
    FUZZ_CHECK(trie::parse_public_key(kGoldenPublicKey, raw, error), error);
    o.trusted_keys.push_back(raw);
    return o;
  }();
  return options;
}

// Reads every octet of a view so that ASan sees a view pointing outside the file.
size_t touch(std::string_view view) {
  size_t sum = 0;
  for (char c : view)
    sum += static_cast<unsigned char>(c);
  return sum;
}

void check_metadata(const trie::List& list, uint32_t id) {
  const trie::MetadataView view = list.metadata(id);
  volatile size_t sink = touch(view.list) + touch(view.category) + touch(view.agency) +
                         touch(view.referral) + touch(view.legal_basis);
  (void)sink;
  (void)view.to_owned();
}

void check_lookup(const trie::List& list, std::span<const uint8_t> wire) {
  std::array<trie::Match, trie::kMaxLabels> out{};
  const size_t n = list.lookup(wire, out);
  FUZZ_CHECK(n <= out.size(), "lookup wrote past its output");
  const auto labels = trie::count_labels(wire);
  if (!labels || *labels == 0) {
    FUZZ_CHECK(n == 0, "malformed or root name matched");
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    FUZZ_CHECK(out[i].labels >= 1 && out[i].labels <= *labels, "match with impossible label count");
    FUZZ_CHECK(out[i].metadata_id < list.info().metadata_count, "metadata id out of range");
    check_metadata(list, out[i].metadata_id);
  }
}

void exercise(const std::vector<uint8_t>& bytes, std::span<const uint8_t> tail) {
  std::string error;
  auto list = trie::List::from_bytes(bytes, {}, error);
  if (!list) {
    FUZZ_CHECK(!error.empty(), "open failed without a reason");
    FUZZ_CHECK(error.find('\n') == std::string::npos, "multi-line error: " + error);
    return;
  }
  const trie::ListInfo& info = list->info();
  FUZZ_CHECK(info.file_bytes == bytes.size(), "file_bytes differs from the input size");
  FUZZ_CHECK(info.format_version == pangea::trie::format::kVersion,
             "opened a file of another version");

  // Out-of-range metadata ids give an empty view, not a read.
  check_metadata(*list, UINT32_MAX);
  check_metadata(*list, static_cast<uint32_t>(info.metadata_count));

  for (const char* name : {"cheap-pills.example.", "Shop.Cheap-Pills.Example", "example", "a.b.c",
                           "www.n001.example", "b", "x.net", "."}) {
    auto wire = trie::wire_from_text(name);
    FUZZ_CHECK(wire.has_value(), name);
    check_lookup(*list, *wire);
  }
  check_lookup(*list, tail);

  std::vector<std::vector<uint8_t>> enumerated;
  size_t count = 0;
  try {
    list->for_each([&](const trie::Entry& entry) {
      ++count;
      FUZZ_CHECK(count <= info.entry_count, "for_each visits more entries than entry_count");
      auto wire = trie::wire_from_text(entry.name);
      // A crafted file (valid checksums) may hold keys the builder never writes; the
      // reader must still hand out names that are names.
      FUZZ_CHECK(wire.has_value(), "for_each produced an invalid name '" + entry.name + "'");
      if (enumerated.size() < 64)
        enumerated.push_back(std::move(*wire));
    });
  } catch (const std::runtime_error&) {
    // "corrupt list: block N does not decode"
  }
  for (const auto& wire : enumerated)
    check_lookup(*list, wire);

  if (info.signed_embedded) {
    std::string pinned_error;
    auto pinned = trie::List::from_bytes(bytes, pinned_options(), pinned_error);
    FUZZ_CHECK(pinned != nullptr || !pinned_error.empty(), "pinned open failed without a reason");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The last octets of the input double as a query name (up to 255 of them).
  const size_t tail_size = size < 255 ? size : 255;
  const std::span<const uint8_t> tail(data + size - tail_size, tail_size);

  std::vector<uint8_t> bytes(data, data + size);
  exercise(bytes, tail);
  std::vector<uint8_t> fixed = bytes;
  pangea::fuzz::fix_up(fixed);
  if (fixed != bytes)
    exercise(fixed, tail);
  return 0;
}
