#pragma once
// The summary `pangea compile` prints on stderr: what was read, kept, dropped and
// rejected, by kind.

#include <cstddef>
#include <string>

#include "diagnostics.h"
#include "pangea/trie/builder.h"

namespace pangea::tools {

struct ReadCounts {
  size_t inputs = 0;
  size_t bytes = 0;
  size_t entries = 0;  // entries the parsers produced (before the builder)
};

// Lines, each starting with "pangea: ", e.g.
//   pangea: read 2 inputs (1532 bytes): 41 names, 3 rejected, 1 warning
//   pangea: kept 36, duplicates 2, conflicts 1, redundant 2
//   pangea: rejected: empty-label 1, ip-address 2
//   pangea: warnings: unsupported 1
std::string format_summary(const ReadCounts& read, const trie::BuildStats& stats,
                           const Diagnostics& diagnostics);

}  // namespace pangea::tools
