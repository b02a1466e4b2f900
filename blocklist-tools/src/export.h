#pragma once
// Writes entries in formats other DNS software reads (`pangea export`).
//
//   text     one name per line with the prefixes parse_text reads ("!", "="); no metadata
//   csv      every field, in the columns parse_csv reads: compiles back to the same entries
//   rpz      an RPZ zone for BIND, Knot Resolver, PowerDNS Recursor, Unbound's rpz:
//            block subtree -> "name CNAME ." and "*.name CNAME ."; exact -> "name" only;
//            allow -> "CNAME rpz-passthru."; action nodata -> "*.", drop -> "rpz-drop."
//   hosts    "0.0.0.0 name" for block entries (hosts files cannot express subtree
//            scope or exceptions: those are listed in comments)
//   unbound  local-zone statements for unbound.conf, see export.cpp for the mapping
//
// Only text, csv and rpz are meant to compile back (text and rpz lose metadata).

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "pangea/trie/entry.h"

namespace pangea::tools {

enum class ExportFormat { text, csv, rpz, hosts, unbound };

std::string_view to_string(ExportFormat format);
std::optional<ExportFormat> export_format_from_string(std::string_view text);

struct ExportOptions {
  std::string origin = "rpz.pangea.invalid";  // RPZ zone name (no trailing dot needed)
  uint64_t serial = 1;                        // RPZ SOA serial (truncated to 32 bits)
  std::string generator;                      // written in the header comment
};

void export_entries(ExportFormat format, const std::vector<trie::Entry>& entries,
                    const ExportOptions& options, std::ostream& out);

}  // namespace pangea::tools
