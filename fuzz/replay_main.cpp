// Standalone driver for the fuzz targets when they are not built with libFuzzer
// (the normal g++ build, the ASan build of ./test): runs LLVMFuzzerTestOneInput once
// over every regular file named on the command line or found (recursively) under a
// directory named there, in sorted order, and exits 0 if none of them crashed.
//
//   fuzz_<target> fuzz/corpus/<target>            replay the committed corpus (CTest)
//   fuzz_<target> crash-1234abcd                  reproduce one input
//
// Each input is copied into a heap buffer of exactly its size, as libFuzzer does, so
// that AddressSanitizer builds catch a read one byte past the end. A target reports
// a failure by aborting (the sanitizers do the same); there is nothing to compare.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

bool read_file(const fs::path& path, std::vector<char>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::fprintf(argc < 2 ? stderr : stdout,
                 "usage: %s FILE|DIR...\n"
                 "Runs this fuzz target once over each file (directories recursively).\n",
                 argc > 0 ? argv[0] : "fuzz_replay");
    return argc < 2 ? 2 : 0;
  }
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      for (const auto& entry : fs::recursive_directory_iterator(arg, ec)) {
        if (entry.is_regular_file())
          files.push_back(entry.path());
      }
      if (ec) {
        std::fprintf(stderr, "%s: %s\n", argv[i], ec.message().c_str());
        return 2;
      }
    } else if (fs::is_regular_file(arg, ec)) {
      files.push_back(arg);
    } else {
      std::fprintf(stderr, "%s: not a file or directory\n", argv[i]);
      return 2;
    }
  }
  if (files.empty()) {
    // An empty corpus replays nothing and would pass silently: treat it as a mistake.
    std::fprintf(stderr, "no input files under the given paths\n");
    return 2;
  }
  std::sort(files.begin(), files.end());

  const auto start = std::chrono::steady_clock::now();
  size_t bytes = 0;
  std::vector<char> contents;
  for (const auto& path : files) {
    if (!read_file(path, contents)) {
      std::fprintf(stderr, "%s: cannot read\n", path.c_str());
      return 2;
    }
    // Exactly sized copy (a zero-size input still gets a valid pointer).
    std::unique_ptr<uint8_t[]> copy(new uint8_t[contents.size()]);
    std::copy(contents.begin(), contents.end(), copy.get());
    std::fprintf(stderr, "replay %s (%zu bytes)\n", path.c_str(), contents.size());
    LLVMFuzzerTestOneInput(copy.get(), contents.size());
    bytes += contents.size();
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  std::printf("replayed %zu inputs (%zu bytes) in %lld ms: no crash\n", files.size(), bytes,
              static_cast<long long>(ms));
  return 0;
}
