#include "summary.h"

namespace pangea::tools {
namespace {

std::string plural(size_t count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

std::string by_kind(const std::map<std::string, size_t>& kinds) {
  std::string out;
  for (const auto& [kind, count] : kinds) {
    if (!out.empty())
      out += ", ";
    out += kind + " " + std::to_string(count);
  }
  return out;
}

}  // namespace

std::string format_summary(const ReadCounts& read, const trie::BuildStats& stats,
                           const Diagnostics& diagnostics) {
  std::string out = "pangea: read " + plural(read.inputs, "input", "inputs") + " (" +
                    plural(read.bytes, "byte", "bytes") +
                    "): " + plural(read.entries + diagnostics.errors(), "name", "names") + ", " +
                    std::to_string(diagnostics.errors()) + " rejected, " +
                    plural(diagnostics.warnings(), "warning", "warnings") + "\n";
  out += "pangea: kept " + std::to_string(stats.kept) + ", duplicates " +
         std::to_string(stats.duplicates) + ", conflicts " + std::to_string(stats.conflicts) +
         ", redundant " + std::to_string(stats.redundant) + "\n";
  if (stats.changes_recorded) {
    out += "pangea: recorded " + plural(stats.changes, "changed entry", "changed entries") +
           " against the previous list (resolvers that have it loaded need no diff)\n";
  } else if (stats.changes > 0) {
    out += "pangea: " + plural(stats.changes, "changed entry", "changed entries") +
           " against the previous list: too many to record\n";
  }
  if (!diagnostics.error_kinds().empty()) {
    out += "pangea: rejected: " + by_kind(diagnostics.error_kinds()) + "\n";
  }
  if (!diagnostics.warning_kinds().empty()) {
    out += "pangea: warnings: " + by_kind(diagnostics.warning_kinds()) + "\n";
  }
  return out;
}

}  // namespace pangea::tools
