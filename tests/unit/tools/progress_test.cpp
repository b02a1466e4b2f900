#include "progress.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <memory>

using namespace pangea::tools;

TEST_CASE("no progress bar when the stream is not a terminal", "[progress]") {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::tmpfile(), &std::fclose);
  REQUIRE(file != nullptr);
  Progress progress(file.get(), 10u << 20, 1);
  CHECK_FALSE(progress.enabled());
  progress.update(5u << 20);
  progress.finish();
  CHECK(std::ftell(file.get()) == 0);  // nothing written: logs never see '\r'
}

TEST_CASE("no progress bar below the size threshold", "[progress]") {
  Progress progress(stderr, 100, 1 << 20);
  CHECK_FALSE(progress.enabled());
}
