// pangea check: validates a Pangea configuration and everything it names (lists,
// allowlist files, keys, the GeoIP database) the way the module will load them,
// so an admin can check before `unbound-control reload` (like unbound-checkconf).
#include <cstdio>
#include <string>

#include "args.h"
#include "commands.h"
#include "list_io.h"
#include "pangea/policy/config.h"
#include "pangea/policy/engine.h"
#include "pangea/policy/geoip.h"

namespace pangea::tools {
namespace {

constexpr const char* kHelp =
    "usage: pangea check [CONFIG.yaml]\n"
    "\n"
    "Checks a Pangea configuration as the Unbound module loads it: the YAML (every key,\n"
    "type and value), the pinned keys, the GeoIP database, and every list and allowlist\n"
    "file (integrity, signature, serial). Without CONFIG, checks $PANGEA_CONFIG, else\n"
    "/etc/unbound/pangea.yaml. PANGEA_LISTS is honoured as the module honours it.\n"
    "\n"
    "A required list that does not load is an error (the module would refuse to start);\n"
    "an optional one is a warning (the module would start without it).\n"
    "\n"
    "exit status: 0 the module would start with every list, 1 it would refuse to start or\n"
    "run without an optional list, 2 usage error.\n";

constexpr OptionSpec kOptions[] = {
    {"help", 'h', false},
};

// Checks one list or allowlist file; returns false when it does not load.
bool check_list(const policy::ListConfig& list, int& errors, int& warnings) {
  std::string error;
  auto loaded = policy::open_list(list, nullptr, error);
  const char* kind = list.allowlist ? "allowlist file" : "list";
  if (!loaded) {
    const bool fatal = list.required;
    std::fprintf(stderr, "%s: %s: %s '%s': %s%s\n", list.file_pos.to_string().c_str(),
                 fatal ? "error" : "warning", kind, list.name.c_str(), error.c_str(),
                 fatal ? " (required: the module would refuse to start)"
                       : " (optional: the module would start without it)");
    (fatal ? errors : warnings)++;
    return false;
  }
  const trie::ListInfo& info = loaded->info();
  std::printf("%s '%s': %s: %llu entries, serial %llu, %s\n", kind, list.name.c_str(),
              list.file.c_str(), static_cast<unsigned long long>(info.entry_count),
              static_cast<unsigned long long>(info.serial),
              info.signed_embedded
                  ? (list.keys.empty() ? "signed (no key pinned)" : "signature valid")
                  : "unsigned");
  return true;
}

}  // namespace

int cmd_check(std::span<const std::string> argv) {
  Args args;
  std::string error;
  if (!args.parse(argv, kOptions, error))
    return usage_error("check", error);
  if (args.has("help")) {
    std::fputs(kHelp, stdout);
    return kExitOk;
  }
  if (args.positional().size() > 1)
    return usage_error("check", "expected at most one CONFIG.yaml");

  policy::Config config;
  try {
    config = args.positional().empty()
                 ? policy::load_config_from_environment()
                 : policy::load_config(args.positional()[0], policy::Environment::from_process());
  } catch (const policy::ConfigError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitData;
  }
  std::printf("configuration %s: %zu list(s), %zu allowlist name(s), %zu allowlist file(s)\n",
              config.path.c_str(), config.lists.size(), config.allowlist.names.size(),
              config.allowlist.files.size());

  int errors = 0;
  int warnings = 0;
  if (config.geoip) {
    auto geoip = policy::GeoIp::open(config.geoip->database, error);
    if (!geoip) {
      std::fprintf(stderr, "%s: error: %s\n", config.geoip->pos.to_string().c_str(), error.c_str());
      ++errors;
    } else {
      std::printf("GeoIP database: %s\n", config.geoip->database.c_str());
    }
  }
  for (const auto& list : config.lists)
    check_list(list, errors, warnings);
  for (const auto& file : config.allowlist.files)
    check_list(file, errors, warnings);

  if (errors > 0) {
    std::fprintf(stderr,
                 "pangea check: %d error(s), %d warning(s): the module would refuse to start\n",
                 errors, warnings);
    return kExitData;
  }
  if (warnings > 0) {
    std::fprintf(stderr, "pangea check: %d warning(s): the module would start without some lists\n",
                 warnings);
    return kExitData;
  }
  std::printf("pangea check: ok\n");
  return kExitOk;
}

}  // namespace pangea::tools
