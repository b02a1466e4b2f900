// Replays the fixtures and a few hand-picked inputs through the libFuzzer entry
// point of module/policy/fuzz/fuzz_config.cpp, so its invariants are checked in
// every build configuration (including the sanitizer builds), not only by clang.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

void replay(uint8_t selector, const std::string& input) {
  std::vector<uint8_t> bytes{selector};
  bytes.insert(bytes.end(), input.begin(), input.end());
  CHECK(LLVMFuzzerTestOneInput(bytes.data(), bytes.size()) == 0);
}

}  // namespace

TEST_CASE("the fuzz target accepts every configuration fixture", "[fuzz]") {
  size_t replayed = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(pangea::policy::test::kFixtures)) {
    if (entry.path().extension() != ".yaml")
      continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    INFO(entry.path());
    replay(0, text.str());
    ++replayed;
  }
  CHECK(replayed > 50);
}

TEST_CASE("the fuzz target survives hostile inputs", "[fuzz]") {
  const std::string deep(2000, '[');
  const std::vector<std::pair<uint8_t, std::string>> inputs{
      {0, ""},
      {0, deep},
      {0, "version: 1\nlists: [" + std::string(500, '{') + "\n"},
      {0, "&a [*a]"},
      {0, "version: 1\nlists:\n  - name: x\n    file: x\n    action: nxdomain\n    keys: [k]\n"},
      {0, std::string("version: 1\n\0lists: []\n", 22)},
      {1, "{agency}"},
      {1, std::string("{agency}{referral}\0", 19) + std::string(300, '\xe2')},
      {1, std::string("{{{agency}}}\0\x01\x7f\xc3", 17)},
      {1, "{"},
      {2, "10.0.0.0/8"},
      {2, "::/0"},
      {2, "2001:db8::/129"},
      {2, std::string(100, ':')},
      {3, "+-1"},
      {3, "-9223372036854775808"},
  };
  for (const auto& [selector, input] : inputs)
    replay(selector, input);
}
