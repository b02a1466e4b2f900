// pangea verify: integrity (checksums, structure) and, with --key, the signature.
#include <cstdio>
#include <string>

#include "args.h"
#include "commands.h"
#include "digest.h"
#include "list_io.h"

namespace pangea::tools {
namespace {

constexpr const char* kHelp =
    "usage: pangea verify [--key PUB.pem]... LIST.pbl...\n"
    "\n"
    "Verifies every section checksum and the structure of each list. With --key (which\n"
    "may be repeated), each list must also carry an embedded signature by one of the keys.\n"
    "\n"
    "exit status: 0 all lists verify, 1 one does not (the reason is printed), 2 usage or\n"
    "I/O error.\n";

constexpr OptionSpec kOptions[] = {
    {"help", 'h', false},
    {"key", 'k', true},
};

}  // namespace

int cmd_verify(std::span<const std::string> argv) {
  Args args;
  std::string error;
  if (!args.parse(argv, kOptions, error))
    return usage_error("verify", error);
  if (args.has("help")) {
    std::fputs(kHelp, stdout);
    return kExitOk;
  }
  if (args.positional().empty())
    return usage_error("verify", "expected LIST.pbl");
  trie::OpenOptions options;
  if (!load_public_keys(args.values("key"), options.trusted_keys))
    return kExitUsage;

  int status = kExitOk;
  for (const std::string& path : args.positional()) {
    std::string reason;
    auto list = trie::List::open(path, options, reason);
    if (!list) {
      std::fprintf(stderr, "%s: FAILED: %s\n", path.c_str(), strip_path(path, reason).c_str());
      status = kExitData;
      continue;
    }
    const trie::ListInfo& info = list->info();
    std::string signature = "unsigned";
    if (info.signed_embedded) {
      signature = "signed by key id " + hex(info.signer_key_id) +
                  (options.trusted_keys.empty() ? " (signature not checked: no --key)"
                                                : " (signature valid)");
    }
    std::printf("%s: OK: %llu entries, serial %llu, %s\n", path.c_str(),
                static_cast<unsigned long long>(info.entry_count),
                static_cast<unsigned long long>(info.serial), signature.c_str());
  }
  return status;
}

}  // namespace pangea::tools
