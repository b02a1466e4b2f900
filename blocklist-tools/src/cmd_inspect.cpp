// pangea inspect: what a compiled list holds.
#include <cstdio>
#include <iostream>
#include <string>

#include "args.h"
#include "commands.h"
#include "digest.h"
#include "json.h"
#include "list_io.h"
#include "timefmt.h"

namespace pangea::tools {
namespace {

// A 64-bit content id as 16 hex digits.
std::string hex64(uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

constexpr const char* kHelp =
    "usage: pangea inspect [--json] LIST.pbl\n"
    "\n"
    "Prints the header of a compiled list (format version, generator, build time, serial,\n"
    "source digest), entry counts by policy and scope, metadata records, size, bytes per\n"
    "entry and signature state. The list is fully verified first.\n"
    "\n"
    "exit status: 0 ok, 1 the list does not verify, 2 usage error.\n";

constexpr OptionSpec kOptions[] = {
    {"help", 'h', false},
    {"json", 0, false},
};

}  // namespace

int cmd_inspect(std::span<const std::string> argv) {
  Args args;
  std::string error;
  if (!args.parse(argv, kOptions, error))
    return usage_error("inspect", error);
  if (args.has("help")) {
    std::fputs(kHelp, stdout);
    return kExitOk;
  }
  if (args.positional().size() != 1)
    return usage_error("inspect", "expected one LIST.pbl");
  const std::string& path = args.positional()[0];
  auto list = open_list(path);
  if (!list)
    return kExitData;

  const trie::ListInfo& info = list->info();
  uint64_t block = 0, allow = 0, subtree = 0, exact = 0;
  list->for_each([&](const trie::Entry& entry) {
    ++(entry.policy == trie::Policy::block ? block : allow);
    ++(entry.scope == trie::Scope::subtree ? subtree : exact);
  });
  double per_entry = info.entry_count ? static_cast<double>(info.file_bytes) /
                                            static_cast<double>(info.entry_count)
                                      : 0.0;
  char per_entry_text[32];
  std::snprintf(per_entry_text, sizeof per_entry_text, "%.2f", per_entry);

  const auto& changes = list->changes();
  const std::string content_id = hex64(info.content_id);
  if (args.has("json")) {
    std::cout << "{\n  \"file\": " << json_string(path)
              << ",\n  \"format_version\": " << info.format_version
              << ",\n  \"generator\": " << json_string(info.generator)
              << ",\n  \"build_time\": " << json_time(info.build_time)
              << ",\n  \"serial\": " << info.serial
              << ",\n  \"source_digest\": " << json_string(hex(info.source_digest))
              << ",\n  \"entries\": " << info.entry_count << ",\n  \"block\": " << block
              << ",\n  \"allow\": " << allow << ",\n  \"subtree\": " << subtree
              << ",\n  \"exact\": " << exact << ",\n  \"metadata_records\": " << info.metadata_count
              << ",\n  \"block_size\": " << info.block_size
              << ",\n  \"file_bytes\": " << info.file_bytes
              << ",\n  \"bytes_per_entry\": " << per_entry_text << ",\n  \"sections\": {";
    for (size_t i = 0; i < info.sections.size(); ++i) {
      std::cout << (i ? ", " : "") << json_string(info.sections[i].name) << ": "
                << info.sections[i].bytes;
    }
    std::cout << "},\n  \"signed\": " << (info.signed_embedded ? "true" : "false")
              << ",\n  \"signer_key_id\": "
              << (info.signed_embedded ? json_string(hex(info.signer_key_id)) : "null")
              << ",\n  \"content_id\": " << json_string(content_id) << ",\n  \"changes\": ";
    if (changes) {
      std::cout << "{\"entries\": " << changes->keys.size()
                << ", \"previous_serial\": " << changes->previous_serial
                << ", \"previous_content_id\": " << json_string(hex64(changes->previous_id)) << "}";
    } else {
      std::cout << "null";
    }
    std::cout << "\n}\n";
    return kExitOk;
  }
  std::cout << "file:             " << path << '\n'
            << "format version:   " << info.format_version << '\n'
            << "generator:        " << info.generator << '\n'
            << "build time:       " << format_time(info.build_time) << '\n'
            << "serial:           " << info.serial << '\n'
            << "source digest:    " << hex(info.source_digest) << '\n'
            << "entries:          " << info.entry_count << " (block " << block << ", allow "
            << allow << "; subtree " << subtree << ", exact " << exact << ")\n"
            << "metadata records: " << info.metadata_count << '\n'
            << "block size:       " << info.block_size << " entries\n"
            << "size:             " << info.file_bytes << " bytes (" << per_entry_text
            << " bytes per entry)\n";
  for (const auto& section : info.sections) {
    std::cout << "  section " << section.name << ": " << section.bytes << " bytes\n";
  }
  std::cout << "signature:        "
            << (info.signed_embedded ? "embedded, key id " + hex(info.signer_key_id)
                                     : std::string("none"))
            << '\n'
            << "content id:       " << content_id << '\n';
  if (changes) {
    std::cout << "changes:          " << changes->keys.size() << " entries against serial "
              << changes->previous_serial << " (content id " << hex64(changes->previous_id)
              << ")\n";
  }
  return kExitOk;
}

}  // namespace pangea::tools
