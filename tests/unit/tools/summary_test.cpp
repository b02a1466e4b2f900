#include "summary.h"

#include <catch2/catch.hpp>

using namespace pangea::tools;

TEST_CASE("the compile summary counts everything by kind", "[summary]") {
  Diagnostics diagnostics(nullptr);
  diagnostics.error({"f", 1}, "empty-label", "x");
  diagnostics.error({"f", 2}, "ip-address", "x");
  diagnostics.error({"f", 3}, "ip-address", "x");
  diagnostics.warning({"f", 4}, "unsupported", "x");
  pangea::trie::BuildStats stats;
  stats.kept = 36;
  stats.duplicates = 2;
  stats.conflicts = 1;
  stats.redundant = 2;
  ReadCounts read{2, 1532, 41};
  CHECK(format_summary(read, stats, diagnostics) ==
        "pangea: read 2 inputs (1532 bytes): 44 names, 3 rejected, 1 warning\n"
        "pangea: kept 36, duplicates 2, conflicts 1, redundant 2\n"
        "pangea: rejected: empty-label 1, ip-address 2\n"
        "pangea: warnings: unsupported 1\n");
}

TEST_CASE("a clean compile has a two-line summary", "[summary]") {
  Diagnostics diagnostics(nullptr);
  pangea::trie::BuildStats stats;
  stats.kept = 1;
  CHECK(format_summary({1, 1, 1}, stats, diagnostics) ==
        "pangea: read 1 input (1 byte): 1 name, 0 rejected, 0 warnings\n"
        "pangea: kept 1, duplicates 0, conflicts 0, redundant 0\n");
}
