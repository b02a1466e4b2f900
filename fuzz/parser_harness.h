#pragma once
// Shared body of the input-parser fuzz targets (parse_text, parse_csv, parse_hosts,
// parse_rpz, parse_urls): runs one parser of blocklist-tools/src/input.h over the
// input as the whole contents of one source, and checks what `pangea compile` relies
// on:
//   - the parser returns (no exception: they report bad lines as diagnostics);
//   - every entry's name is normalised: normalise_name() gives it back unchanged, it
//     has at least two labels and at most 253 characters;
//   - every entry has a sane validity window (not_before <= not_after when both);
//   - locations name the source and a line that exists (diagnostics too), and every
//     diagnostic has a kind and a message;
//   - progress reports never exceed the input size and never go backwards;
//   - end to end: the entries (when there are at most 64) compile with trie::Builder,
//     the file opens, and a lookup of each entry's name matches.

#include <array>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.h"
#include "fuzz_check.h"
#include "input.h"
#include "normalise.h"
#include "pangea/trie/builder.h"
#include "pangea/trie/list.h"
#include "pangea/trie/name.h"

namespace pangea::fuzz {

using ParseFunction = void (*)(const tools::Source&, tools::ParseContext&);

// Whether this input also goes through the compile + open + lookup check. That check
// costs more than the parse (Builder::finish dominates the profile, all of it under
// comparison tracing), so the libFuzzer build does it for one input in eight, chosen
// by a hash of the input: the same input always gets the same treatment, and the
// replay build does it for every input.
inline bool compile_this(std::string_view input) {
#ifdef PANGEA_FUZZ_LIBFUZZER
  uint32_t h = 2166136261u;  // FNV-1a
  for (char c : input)
    h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h % 8 == 0;
#else
  (void)input;
  return true;
#endif
}

inline void check_entries_compile(const std::vector<trie::Entry>& entries) {
  if (entries.empty() || entries.size() > 64)
    return;  // bounded: keeps execs fast
  trie::Builder builder;
  std::vector<uint8_t> bytes;
  try {
    for (const auto& e : entries)
      builder.add(e);
    trie::BuildOptions options;
    options.block_size = 4;
    options.generator = "pangea fuzz";
    bytes = builder.finish(options);
  } catch (const std::exception& e) {
    check_failed(__FILE__, __LINE__, "parsed entries compile", e.what());
  }
  std::string error;
  auto list = trie::List::from_bytes(std::move(bytes), {}, error);
  FUZZ_CHECK(list != nullptr, "compiled list does not open: " + error);
  std::array<trie::Match, trie::kMaxLabels> out{};
  for (const auto& e : entries) {
    auto wire = trie::wire_from_text(e.name);
    FUZZ_CHECK(wire.has_value(), "entry name has no wire form: " + e.name);
    FUZZ_CHECK(list->lookup(*wire, out) >= 1, "compiled entry does not match itself: " + e.name);
  }
}

inline int run_parser(ParseFunction parse, const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t lines = 1;
  for (char c : input)
    lines += c == '\n';
  const std::string source_name = "fuzz-input";

  tools::Diagnostics diagnostics(nullptr);
  diagnostics.keep_all(true);
  tools::ParseContext context;
  context.diagnostics = &diagnostics;
  context.defaults.meta.list = "fuzz";
  context.defaults.meta.agency = "Fuzz Agency";
  std::vector<trie::Entry> entries;
  context.sink = [&](trie::Entry&& entry, const tools::Location& where) {
    FUZZ_CHECK(where.file == source_name, where.file);
    FUZZ_CHECK(where.line <= lines,
               "entry on line " + std::to_string(where.line) + " of " + std::to_string(lines));
    tools::NameError error;
    auto again = tools::normalise_name(entry.name, error);
    FUZZ_CHECK(again.has_value() && *again == entry.name,
               "entry name is not normalised: '" + entry.name + "' " + error.message);
    FUZZ_CHECK(entry.name.size() <= 253, entry.name);
    FUZZ_CHECK(entry.name.find('.') != std::string::npos, "single-label entry " + entry.name);
    FUZZ_CHECK(!entry.meta.not_before || !entry.meta.not_after ||
                   *entry.meta.not_before <= *entry.meta.not_after,
               "inverted validity window for " + entry.name);
    entries.push_back(std::move(entry));
  };
  size_t last_progress = 0;
  context.progress = [&](size_t consumed) {
    FUZZ_CHECK(consumed <= size, "progress past the end: " + std::to_string(consumed));
    FUZZ_CHECK(consumed >= last_progress, "progress went backwards");
    last_progress = consumed;
  };

  parse(tools::Source{source_name, input}, context);

  for (const tools::Diagnostic& d : diagnostics.kept()) {
    FUZZ_CHECK(d.where.file == source_name, d.where.file);
    FUZZ_CHECK(d.where.line <= lines, "diagnostic on line " + std::to_string(d.where.line) +
                                          " of " + std::to_string(lines) + ": " + d.message);
    FUZZ_CHECK(!d.kind.empty() && !d.message.empty(), "diagnostic without kind or message");
    // Input reaches messages through quote(), which writes control characters as \xHH:
    // a hostile list must not be able to send terminal escapes to the operator's screen.
    for (char c : d.message) {
      FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f,
                 "raw control character in diagnostic: " + tools::quote(d.message));
    }
  }
  FUZZ_CHECK(diagnostics.errors() + diagnostics.warnings() == diagnostics.kept().size(),
             "diagnostic counts");
  if (compile_this(input))
    check_entries_compile(entries);
  return 0;
}

}  // namespace pangea::fuzz
