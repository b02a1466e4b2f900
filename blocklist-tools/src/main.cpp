// Entry point of the `pangea` command: dispatches to one subcommand per file.
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "commands.h"
#include "pangea/version.h"

namespace {

constexpr const char* kUsage =
    "usage: pangea <command> [options]\n"
    "\n"
    "Compiles agency referral lists into Pangea's compiled blocklist format and\n"
    "inspects compiled lists.\n"
    "\n"
    "commands:\n"
    "  compile -o OUT.pbl INPUT...   compile text, CSV, hosts, RPZ or URL lists\n"
    "  lookup LIST.pbl NAME...       is a name blocked, and by which entry\n"
    "  inspect LIST.pbl              header, counts, sizes, signature state\n"
    "  verify LIST.pbl [--key PUB]   check integrity and signature\n"
    "  diff OLD.pbl NEW.pbl          entries added, removed, changed\n"
    "  export LIST.pbl --format F    text, csv, rpz, hosts or unbound\n"
    "  keygen -o PREFIX              new Ed25519 key pair PREFIX.key, PREFIX.pub\n"
    "  sign LIST.pbl --key KEY.pem   embed a signature\n"
    "  check [CONFIG.yaml]           check a module configuration and its lists\n"
    "\n"
    "options:\n"
    "  -h, --help     show this help and exit ('pangea <command> --help' for a command)\n"
    "  -V, --version  show the version and exit\n"
    "\n"
    "exit status: 0 ok, 1 data problem (lookup: nothing blocked; diff: differences),\n"
    "2 usage or I/O error.\n";

struct Command {
  std::string_view name;
  int (*run)(std::span<const std::string>);
};

constexpr Command kCommands[] = {
    {"compile", pangea::tools::cmd_compile}, {"lookup", pangea::tools::cmd_lookup},
    {"inspect", pangea::tools::cmd_inspect}, {"verify", pangea::tools::cmd_verify},
    {"diff", pangea::tools::cmd_diff},       {"export", pangea::tools::cmd_export},
    {"keygen", pangea::tools::cmd_keygen},   {"sign", pangea::tools::cmd_sign},
    {"check", pangea::tools::cmd_check},
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return pangea::tools::kExitUsage;
  }
  std::string_view arg = argv[1];
  if (arg == "-h" || arg == "--help" || arg == "help") {
    std::fputs(kUsage, stdout);
    return pangea::tools::kExitOk;
  }
  if (arg == "-V" || arg == "--version") {
    std::printf("pangea %s\n", pangea::kVersion);
    return pangea::tools::kExitOk;
  }
  for (const Command& command : kCommands) {
    if (command.name != arg)
      continue;
    std::vector<std::string> args(argv + 2, argv + argc);
    try {
      return command.run(args);
    } catch (const std::exception& e) {
      // A bug or resource exhaustion, not a data problem: say so and fail as I/O.
      std::fprintf(stderr, "pangea %s: internal error: %s\n", argv[1], e.what());
      return pangea::tools::kExitUsage;
    }
  }
  std::fprintf(stderr, "pangea: unknown command '%s'\n\n%s", argv[1], kUsage);
  return pangea::tools::kExitUsage;
}
