// pangea export: a compiled list in formats other DNS software reads.
#include <cstdio>
#include <sstream>
#include <string>

#include "args.h"
#include "pangea/files/atomic_file.h"
#include "commands.h"
#include "export.h"
#include "list_io.h"

namespace pangea::tools {
namespace {

constexpr const char* kHelp =
    "usage: pangea export --format text|csv|rpz|hosts|unbound [-o OUT] [--origin ZONE] LIST.pbl\n"
    "\n"
    "Writes the entries of a compiled list to stdout (or atomically to OUT):\n"
    "  text     '!' allow, '=' exact; no metadata          (compiles back)\n"
    "  csv      every field                                  (compiles back, lossless)\n"
    "  rpz      RPZ zone for BIND, Knot, PowerDNS, Unbound   (compiles back, no metadata)\n"
    "           subtree -> name + *.name; allow -> rpz-passthru.; --origin sets the zone\n"
    "           name (default rpz.pangea.invalid), the SOA serial is the list's serial\n"
    "  hosts    0.0.0.0 name, block entries only (no subtree, no exceptions)\n"
    "  unbound  local-zone: \"name.\" always_nxdomain; allow -> always_transparent; an\n"
    "           exact block -> a transparent zone with 0.0.0.0 / :: for the name only\n"
    "\n"
    "exit status: 0 ok, 1 the list does not verify, 2 usage or I/O error.\n";

constexpr OptionSpec kOptions[] = {
    {"help", 'h', false},
    {"format", 'f', true},
    {"output", 'o', true},
    {"origin", 0, true},
};

}  // namespace

int cmd_export(std::span<const std::string> argv) {
  Args args;
  std::string error;
  if (!args.parse(argv, kOptions, error))
    return usage_error("export", error);
  if (args.has("help")) {
    std::fputs(kHelp, stdout);
    return kExitOk;
  }
  if (args.positional().size() != 1)
    return usage_error("export", "expected one LIST.pbl");
  auto text = args.value("format");
  if (!text)
    return usage_error("export", "missing --format");
  auto format = export_format_from_string(*text);
  if (!format) {
    return usage_error("export",
                       "--format '" + *text + "', expected text, csv, rpz, hosts or unbound");
  }
  auto list = open_list(args.positional()[0]);
  if (!list)
    return kExitData;

  ExportOptions options;
  options.generator = generator();
  options.serial = list->info().serial;
  if (auto origin = args.value("origin"))
    options.origin = *origin;

  std::ostringstream out;
  export_entries(*format, all_entries(*list), options, out);
  std::string data = std::move(out).str();
  std::string output = args.value("output").value_or("-");
  if (output == "-") {
    std::fwrite(data.data(), 1, data.size(), stdout);
    if (std::fflush(stdout) != 0) {
      std::fprintf(stderr, "pangea: write to stdout failed\n");
      return kExitUsage;
    }
    return kExitOk;
  }
  std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(data.data()), data.size());
  if (!files::write_file_atomic(output, bytes, 0644, error)) {
    std::fprintf(stderr, "pangea: %s\n", error.c_str());
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace pangea::tools
