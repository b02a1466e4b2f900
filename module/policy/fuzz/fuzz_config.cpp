// libFuzzer target over the policy layer's parsers: the YAML configuration, EDE
// text templates (checked and rendered), CIDR networks and PANGEA_FAKE_NOW. The
// first byte picks the parser, the rest is the input. Built as a real fuzzer with
// -DPANGEA_POLICY_FUZZ=ON under clang; in every configuration the unit tests replay
// the fixture corpus through this same function (tests/unit/policy/fuzz_replay_test.cpp).
//
// Invariants checked beyond "no crash, no sanitizer report": the configuration
// parser fails only with ConfigError, at a line inside the input; a rendered EDE
// text is valid UTF-8 without control characters and within its size limit; a
// parsed network prints back to a form that parses to the same network.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "pangea/policy/clock.h"
#include "pangea/policy/config.h"
#include "pangea/policy/ede.h"
#include "pangea/policy/network.h"
#include "pangea/policy/snapshot.h"

namespace {

bool valid_ede_text(std::string_view text, size_t limit) {
  if (text.size() > limit)
    return false;
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x20 || b == 0x7f)
      return false;
    size_t n = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0;
    if (n == 0 || i + n > text.size())
      return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80)
        return false;
    }
    i += n;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pangea::policy;
  if (size == 0)
    return 0;
  const uint8_t selector = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);

  switch (selector % 4) {
    case 0: {
      size_t lines = 1;
      for (char c : input)
        lines += c == '\n';
      try {
        // A relative base directory that does not exist: key files cannot be read,
        // which exercises the error path without touching the file system.
        (void)parse_config(input, "fuzz-nonexistent/pangea.yaml");
      } catch (const ConfigError& e) {
        if (e.pos().line < 0 || static_cast<size_t>(e.pos().line) > lines + 1)
          std::abort();
      }
      break;
    }
    case 1: {
      // The template is the input up to the first NUL, the agency value the rest.
      const size_t nul = input.find('\0');
      const std::string_view text = input.substr(0, nul);
      const std::string_view agency = nul == std::string_view::npos ? "" : input.substr(nul + 1);
      if (check_ede_template(text))
        break;
      Decision decision;
      decision.meta.agency = agency;
      decision.meta.referral = agency;
      for (size_t limit : {size_t{0}, size_t{7}, kMaxEdeText}) {
        if (!valid_ede_text(render_ede_text(text, decision, limit), limit))
          std::abort();
      }
      break;
    }
    case 2: {
      std::string error;
      if (auto network = Network::parse(input, error)) {
        std::string again_error;
        auto again = Network::parse(network->to_string(), again_error);
        if (!again || !(*again == *network))
          std::abort();
      }
      break;
    }
    case 3: {
      std::string error;
      (void)Clock::parse(input, error);
      break;
    }
  }
  return 0;
}
