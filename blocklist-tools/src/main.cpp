// Entry point of the `pangea` command.
#include <cstdio>
#include <cstring>
#include <string_view>

#include "pangea/version.h"

namespace {

constexpr const char* kUsage =
    "usage: pangea <command> [options]\n"
    "\n"
    "Compiles agency referral lists into Pangea's compiled blocklist format and\n"
    "inspects compiled lists.\n"
    "\n"
    "options:\n"
    "  -h, --help     show this help and exit\n"
    "  -V, --version  show the version and exit\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::string_view arg = argv[1];
  if (arg == "-h" || arg == "--help" || arg == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (arg == "-V" || arg == "--version") {
    std::printf("pangea %s\n", pangea::kVersion);
    return 0;
  }
  std::fprintf(stderr, "pangea: unknown command '%s'\n\n%s", argv[1], kUsage);
  return 2;
}
