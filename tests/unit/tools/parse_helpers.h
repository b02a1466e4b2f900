#pragma once
// Runs a parser over a string and keeps what it produced, for the parse_*_test files.

#include <string>
#include <vector>

#include "diagnostics.h"
#include "input.h"

namespace pangea::tools::testing {

struct Parsed {
  std::vector<trie::Entry> entries;
  std::vector<size_t> lines;          // line of each entry
  std::vector<std::string> messages;  // formatted diagnostics, in order
  size_t errors = 0;
  size_t warnings = 0;
};

inline Parsed run_parser(void (*parser)(const Source&, ParseContext&), std::string_view data,
                         Defaults defaults = {}, std::string name = "in") {
  Parsed out;
  Diagnostics diagnostics(nullptr);
  diagnostics.keep_all(true);
  ParseContext context;
  context.defaults = std::move(defaults);
  context.diagnostics = &diagnostics;
  context.sink = [&](trie::Entry&& entry, const Location& where) {
    out.entries.push_back(std::move(entry));
    out.lines.push_back(where.line);
  };
  parser(Source{std::move(name), data}, context);
  for (const Diagnostic& d : diagnostics.kept())
    out.messages.push_back(format(d));
  out.errors = diagnostics.errors();
  out.warnings = diagnostics.warnings();
  return out;
}

inline std::vector<std::string> names(const Parsed& parsed) {
  std::vector<std::string> out;
  for (const trie::Entry& entry : parsed.entries)
    out.push_back(entry.name);
  return out;
}

}  // namespace pangea::tools::testing
