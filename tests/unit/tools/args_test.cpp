#include "args.h"

#include <catch2/catch.hpp>

using namespace pangea::tools;

namespace {
constexpr OptionSpec kSpecs[] = {
    {"output", 'o', true}, {"strict", 0, false}, {"key", 'k', true}, {"help", 'h', false}};
}

TEST_CASE("options, values, flags and positionals", "[args]") {
  std::vector<std::string> argv{"-o",    "out.pbl", "in.txt", "--strict", "--key=a.pub",
                                "--key", "b.pub",   "-",      "--",       "--not-an-option"};
  Args args;
  std::string error;
  REQUIRE(args.parse(argv, kSpecs, error));
  CHECK(args.value("output") == "out.pbl");
  CHECK(args.has("strict"));
  CHECK_FALSE(args.has("help"));
  CHECK(args.values("key") == std::vector<std::string>{"a.pub", "b.pub"});
  CHECK(args.value("key") == "b.pub");
  CHECK(args.positional() == std::vector<std::string>{"in.txt", "-", "--not-an-option"});
  CHECK_FALSE(args.value("missing").has_value());
  CHECK(args.values("missing").empty());
}

TEST_CASE("misuse is reported", "[args]") {
  struct Case {
    std::vector<std::string> argv;
    const char* error;
  };
  const Case cases[] = {
      {{"--bogus"}, "unknown option '--bogus'"},
      {{"-x"}, "unknown option '-x'"},
      {{"-ofile"}, "unknown option '-ofile'"},
      {{"--output"}, "option '--output' needs a value"},
      {{"-o"}, "option '--output' needs a value"},
      {{"--strict=yes"}, "option '--strict' takes no value"},
  };
  for (const Case& c : cases) {
    Args args;
    std::string error;
    CHECK_FALSE(args.parse(c.argv, kSpecs, error));
    CHECK(error == c.error);
  }
}
