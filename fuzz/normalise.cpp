// Fuzz target: pangea::tools::normalise_name, the one function every input parser
// hands its names to (blocklist-tools/src/normalise.h). The parser targets check that
// what it returns is normalised; this one also checks that it is the name that was
// written. For every input, with and without allow_single_label:
//   - a result is normalised: labels of [a-z0-9_-] (1 to 63 octets), at most 253
//     characters, two labels or more unless allowed, not an IP address, and
//     normalise_name gives it back unchanged;
//   - an input holding a control character (other than the surrounding whitespace
//     that is trimmed) is refused: no code point maps a control character away, so
//     accepting one means part of the input was dropped;
//   - a pure ASCII input maps to itself, lowercased, without surrounding whitespace
//     and one trailing dot: nothing else may change.
#include <cstdint>
#include <string>
#include <string_view>

#include "diagnostics.h"
#include "fuzz_check.h"
#include "normalise.h"
#include "text.h"

namespace {

using namespace pangea;

void check(std::string_view input, bool allow_single_label) {
  tools::NameError error;
  tools::NormaliseOptions options;
  options.allow_single_label = allow_single_label;
  const auto name = tools::normalise_name(input, error, options);
  if (!name) {
    FUZZ_CHECK(!error.kind.empty() && !error.message.empty(), "refused without a reason");
    return;
  }
  const std::string shown = tools::quote(*name);
  FUZZ_CHECK(!name->empty() && name->size() <= 253, shown);
  size_t labels = 1;
  size_t label = 0;
  for (char c : *name) {
    if (c == '.') {
      FUZZ_CHECK(label >= 1, "empty label in " + shown);
      ++labels;
      label = 0;
      continue;
    }
    FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_',
               "bad character in " + shown);
    FUZZ_CHECK(++label <= 63, "label over 63 octets in " + shown);
  }
  FUZZ_CHECK(label >= 1, "empty last label in " + shown);
  FUZZ_CHECK(allow_single_label || labels >= 2, "single label " + shown);
  FUZZ_CHECK(!tools::is_ip_address(*name), "IP address accepted as a name: " + shown);
  tools::NameError again_error;
  const auto again = tools::normalise_name(*name, again_error, options);
  FUZZ_CHECK(again && *again == *name, "not idempotent: " + shown);

  const std::string_view text = tools::trim(input);
  bool ascii = true;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    FUZZ_CHECK(u >= 0x20 && u != 0x7f,
               "control character in '" + tools::quote(input) + "' accepted as " + shown);
    ascii = ascii && u < 0x80;
  }
  if (ascii) {
    std::string expected(text.ends_with('.') ? text.substr(0, text.size() - 1) : text);
    for (char& c : expected) {
      if (c >= 'A' && c <= 'Z')
        c = static_cast<char>(c - 'A' + 'a');
    }
    FUZZ_CHECK(*name == expected, "ASCII '" + tools::quote(input) + "' became " + shown);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check(input, false);
  check(input, true);
  return 0;
}
