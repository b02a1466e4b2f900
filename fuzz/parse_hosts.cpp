// Fuzz target: pangea::tools::parse_hosts, hosts files ("0.0.0.0 name [name...]").
// The input is the whole contents of one source; see parser_harness.h for what is checked.
#include "parser_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return pangea::fuzz::run_parser(&pangea::tools::parse_hosts, data, size);
}
