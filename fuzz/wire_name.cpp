// Fuzz target: pangea/trie/name.h, the conversions between presentation and wire
// forms that the configuration, the CLI and the module's logs rely on.
//
// The input is used as presentation text and as a wire name. Invariants:
//   text -> wire:  a result is at most 255 octets, well formed (count_labels agrees),
//                  lowercase (ASCII), ends with the root label, has at least one label
//                  unless the text was "."; and text_from_wire of it converts back to
//                  the same wire form (round trip through the escaped form);
//   wire -> text:  malformed input (count_labels says so) gives "<malformed>"; a well
//                  formed name gives printable ASCII without spaces, one log line,
//                  that converts back to the lowercased wire name (up to its root label).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "pangea/trie/name.h"

namespace {

using namespace pangea;

bool printable_word(std::string_view text) {
  for (char c : text) {
    if (c <= 0x20 || c >= 0x7f)
      return false;
  }
  return true;
}

std::vector<uint8_t> lowercase(std::span<const uint8_t> wire) {
  std::vector<uint8_t> out(wire.begin(), wire.end());
  size_t pos = 0;
  while (pos < out.size() && out[pos] != 0) {
    const size_t len = out[pos];
    for (size_t k = 1; k <= len; ++k) {
      uint8_t& c = out[pos + k];
      if (c >= 'A' && c <= 'Z')
        c = static_cast<uint8_t>(c + 32);
    }
    pos += len + 1;
  }
  return out;
}

void check_text(std::string_view text) {
  auto wire = trie::wire_from_text(text);
  if (!wire)
    return;
  FUZZ_CHECK(!wire->empty() && wire->size() <= 255, "wire form size");
  FUZZ_CHECK(wire->back() == 0, "no root label");
  auto labels = trie::count_labels(*wire);
  FUZZ_CHECK(labels.has_value(), "wire_from_text produced a malformed name");
  if (text == ".") {
    FUZZ_CHECK(*labels == 0, "'.' is not the root");
    return;
  }
  FUZZ_CHECK(*labels >= 1, "a non-root text gave the root");
  FUZZ_CHECK(lowercase(*wire) == *wire, "wire_from_text did not lowercase");
  // The root label is the last octet: nothing follows it.
  size_t pos = 0;
  for (size_t i = 0; i < *labels; ++i)
    pos += (*wire)[pos] + 1u;
  FUZZ_CHECK(pos + 1 == wire->size(), "octets after the root label");

  const std::string shown = trie::text_from_wire(*wire);
  auto again = trie::wire_from_text(shown);
  FUZZ_CHECK(again.has_value() && *again == *wire, "text_from_wire does not round-trip: " + shown);
}

void check_wire(std::span<const uint8_t> wire) {
  const auto labels = trie::count_labels(wire);
  const std::string shown = trie::text_from_wire(wire);
  if (!labels) {
    FUZZ_CHECK(shown == "<malformed>", "malformed name shown as " + shown);
    return;
  }
  FUZZ_CHECK(printable_word(shown), "text_from_wire is not one printable word");
  if (*labels == 0) {
    FUZZ_CHECK(shown.empty(), "root shown as " + shown);
    return;
  }
  size_t end = 0;
  for (size_t i = 0; i < *labels; ++i)
    end += wire[end] + 1u;
  const std::vector<uint8_t> expected = lowercase(wire.first(end + 1));
  auto again = trie::wire_from_text(shown);
  FUZZ_CHECK(again.has_value() && *again == expected, "wire -> text -> wire differs: " + shown);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  check_text(std::string_view(reinterpret_cast<const char*>(data), size));
  check_wire(std::span<const uint8_t>(data, size));
  return 0;
}
