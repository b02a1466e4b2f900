// libFuzzer target over every input parser of `pangea compile` and the pieces they
// share (name normalisation, URL hosts, times, CSV records). The first byte picks
// the parser, the rest is the input. Built as a real fuzzer with
// -DPANGEA_TOOLS_FUZZ=ON under clang; in every configuration the unit tests replay
// the fixture corpus through this same function (tests/unit/tools/fuzz_replay_test.cpp).
//
// Invariants checked beyond "no crash, no sanitizer report": every entry a parser
// emits is normalised (normalise_name is idempotent on it) and the diagnostics
// carry a line inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "csv.h"
#include "diagnostics.h"
#include "input.h"
#include "normalise.h"
#include "timefmt.h"
#include "url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pangea::tools;
  if (size == 0)
    return 0;
  const uint8_t selector = data[0];
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  size_t lines = 1;
  for (char c : input)
    lines += c == '\n';

  switch (selector % 8) {
    case 5: {
      NameError error;
      if (auto name = normalise_name(input, error)) {
        NameError again_error;
        auto again = normalise_name(*name, again_error);
        if (!again || *again != *name)
          std::abort();
      }
      return 0;
    }
    case 6: {
      UrlError error;
      (void)host_from_url(input, error);
      if (auto t = parse_time(input)) {
        if (parse_time(format_time(*t)) != t)
          std::abort();
      }
      return 0;
    }
    case 7: {
      CsvReader reader(input, selector & 0x80 ? ';' : ',');
      std::vector<std::string> fields;
      std::string error;
      size_t guard = 0;
      while (reader.next(fields, error) != CsvReader::Status::end) {
        if (++guard > input.size() + 1)
          std::abort();  // must make progress
      }
      return 0;
    }
    default:
      break;
  }
  const Format formats[] = {Format::text, Format::csv, Format::hosts, Format::rpz, Format::urls};
  Format format = formats[selector % 8];
  Diagnostics diagnostics(nullptr);
  diagnostics.keep_all(true);
  ParseContext context;
  context.diagnostics = &diagnostics;
  context.sink = [&](pangea::trie::Entry&& entry, const Location& where) {
    NameError error;
    auto again = normalise_name(entry.name, error);
    if (!again || *again != entry.name || where.line > lines)
      std::abort();
  };
  parse(format, Source{"fuzz", input}, context);
  for (const Diagnostic& d : diagnostics.kept()) {
    if (d.where.line > lines)
      std::abort();
  }
  return 0;
}
