#pragma once
// Invariant checks of the fuzz targets. A failed check prints what was expected and
// aborts, which libFuzzer (and replay_main) report as a crash with this input.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace pangea::fuzz {

[[noreturn]] inline void check_failed(const char* file, int line, const char* condition,
                                      std::string_view detail) {
  std::fprintf(stderr, "%s:%d: fuzz invariant violated: %s", file, line, condition);
  if (!detail.empty()) {
    std::fprintf(stderr, " (%.*s)", static_cast<int>(detail.size()), detail.data());
  }
  std::fprintf(stderr, "\n");
  std::abort();
}

}  // namespace pangea::fuzz

// FUZZ_CHECK(condition, detail): `detail` is anything convertible to std::string_view,
// evaluated only when the check fails.
#define FUZZ_CHECK(condition, detail)                                       \
  do {                                                                      \
    if (!(condition))                                                       \
      ::pangea::fuzz::check_failed(__FILE__, __LINE__, #condition, detail); \
  } while (false)
