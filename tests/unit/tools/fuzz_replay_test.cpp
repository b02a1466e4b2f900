// Replays the CLI fixtures and the shipped examples through the fuzz target with
// every selector byte, so the fuzzer's invariants hold on real inputs in every build
// (PowerDNS fuzzing/README.md: the corpus runs in ordinary CI).
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

TEST_CASE("the fuzz target survives the fixture corpus with every selector", "[fuzz]") {
  namespace fs = std::filesystem;
  size_t files = 0;
  for (const char* dir : {"tests/tools/good", "tests/tools/bad", "conf/examples"}) {
    for (const auto& entry : fs::directory_iterator(fs::path(PANGEA_SOURCE_DIR) / dir)) {
      if (!entry.is_regular_file())
        continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::vector<uint8_t> input(contents.size() + 1);
      std::copy(contents.begin(), contents.end(), input.begin() + 1);
      for (int selector = 0; selector < 256; selector += 1) {
        if (selector % 8 >= 5 && contents.size() > 4096)
          continue;  // keep it fast
        input[0] = static_cast<uint8_t>(selector);
        CHECK(LLVMFuzzerTestOneInput(input.data(), input.size()) == 0);
      }
      ++files;
    }
  }
  CHECK(files > 20);
}

TEST_CASE("the fuzz target accepts empty and one-byte inputs", "[fuzz]") {
  CHECK(LLVMFuzzerTestOneInput(nullptr, 0) == 0);
  for (int selector = 0; selector < 8; ++selector) {
    uint8_t byte = static_cast<uint8_t>(selector);
    CHECK(LLVMFuzzerTestOneInput(&byte, 1) == 0);
  }
}
