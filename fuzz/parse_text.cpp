// Fuzz target: pangea::tools::parse_text, plain-text lists (one name per line, !/@@/=/*. prefixes,
// comments). The input is the whole contents of one source; see parser_harness.h for what is
// checked.
#include "parser_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return pangea::fuzz::run_parser(&pangea::tools::parse_text, data, size);
}
