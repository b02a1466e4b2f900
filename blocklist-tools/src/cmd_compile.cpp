// pangea compile: referral lists in, one compiled list out.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "args.h"
#include "pangea/files/atomic_file.h"
#include "commands.h"
#include "diagnostics.h"
#include "digest.h"
#include "input.h"
#include "list_io.h"
#include "progress.h"
#include "summary.h"
#include "timefmt.h"
#include "pangea/trie/builder.h"
#include "pangea/trie/signature.h"

namespace pangea::tools {
namespace {

constexpr const char* kHelp =
    "usage: pangea compile -o OUT.pbl [options] INPUT...\n"
    "\n"
    "Compiles referral lists into one compiled list. INPUT is a file or '-' (stdin);\n"
    "each input's format is detected (extension, then content) unless --format is given.\n"
    "Formats: text (one name per line; '*.name' subtree (default), '=name' exact only,\n"
    "'!name' or '@@name' allow), csv (header row: domain|name|url, policy, scope, action,\n"
    "list, category, agency, referral, legal_basis, referral_date, not_before, not_after),\n"
    "hosts ('0.0.0.0 name...'), rpz (zone file, QNAME triggers), urls (one URL per line).\n"
    "\n"
    "options:\n"
    "  -o, --output OUT        compiled list to write ('-': stdout), atomically\n"
    "  -f, --format F          force the input format: text|csv|hosts|rpz|urls\n"
    "      --scope S           default scope: subtree (default) or exact\n"
    "      --list NAME         list-wide metadata; CSV cells win over these:\n"
    "      --agency X  --category X  --referral X  --legal-basis X\n"
    "      --referral-date D  --not-before T  --not-after T   (2026-12-01T00:00:00Z or\n"
    "                          2026-12-01; a --not-after date means the end of that day)\n"
    "      --action A          nxdomain|nodata|redirect|cname|refuse|drop|passthru|log-only\n"
    "      --strict            any rejected line or warning: exit 1, write nothing\n"
    "      --previous OLD.pbl  the list this one replaces: guards against truncated feeds,\n"
    "                          and records the entries changed against it (resolvers that\n"
    "                          have OLD loaded then swap in the new list without a diff)\n"
    "      --max-shrink F      with --previous: refuse if more than F (default 0.2) of the\n"
    "                          old entry count is gone\n"
    "      --allow-empty       write a list with no entries (refused otherwise)\n"
    "      --serial N          list serial (default: build time, or previous serial + 1)\n"
    "      --block-size N      entries per block, 1 to 4096 (default 18): smaller blocks\n"
    "                          give faster lookups and a larger file\n"
    "      --sign-key KEY.pem  embed an Ed25519 signature\n"
    "  -q, --quiet             no summary\n"
    "\n"
    "Rejected lines are reported as 'file:line: error: ...' and skipped; the list is still\n"
    "written and the exit status is 1 (0 when nothing was rejected). With --strict nothing\n"
    "is written. Exit 2 on usage or I/O errors. SOURCE_DATE_EPOCH, when set, is the build\n"
    "time (reproducible builds).\n";

constexpr OptionSpec kOptions[] = {
    {"help", 'h', false},       {"output", 'o', true},     {"format", 'f', true},
    {"scope", 0, true},         {"list", 0, true},         {"agency", 0, true},
    {"category", 0, true},      {"referral", 0, true},     {"legal-basis", 0, true},
    {"referral-date", 0, true}, {"not-before", 0, true},   {"not-after", 0, true},
    {"action", 0, true},        {"strict", 0, false},      {"previous", 0, true},
    {"max-shrink", 0, true},    {"allow-empty", 0, false}, {"serial", 0, true},
    {"sign-key", 0, true},      {"quiet", 'q', false},     {"block-size", 0, true},
};

bool parse_unsigned(const std::string& text, uint64_t& value) {
  if (text.empty() || text.size() > 19)
    return false;
  value = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

// Fills the list-wide defaults from the options; false + message on a bad value.
bool read_defaults(const Args& args, Defaults& defaults, std::string& error) {
  trie::Metadata& meta = defaults.meta;
  meta.list = args.value("list").value_or("");
  meta.agency = args.value("agency").value_or("");
  meta.category = args.value("category").value_or("");
  meta.referral = args.value("referral").value_or("");
  meta.legal_basis = args.value("legal-basis").value_or("");
  struct TimeOption {
    const char* name;
    DateBound bound;
    std::optional<int64_t>* out;
  };
  const TimeOption times[] = {{"referral-date", DateBound::start, &meta.referral_date},
                              {"not-before", DateBound::start, &meta.not_before},
                              {"not-after", DateBound::end, &meta.not_after}};
  for (const TimeOption& option : times) {
    if (auto text = args.value(option.name)) {
      *option.out = parse_time(*text, option.bound);
      if (!*option.out) {
        error = std::string("--") + option.name + " '" + *text +
                "', expected 2026-12-01T00:00:00Z or 2026-12-01";
        return false;
      }
    }
  }
  if (auto text = args.value("action")) {
    auto action = trie::action_from_string(*text);
    if (!action) {
      error = "--action '" + *text +
              "', expected nxdomain, nodata, redirect, cname, refuse, "
              "drop, passthru or log-only";
      return false;
    }
    meta.action = *action;
  }
  if (auto text = args.value("scope")) {
    auto scope = trie::scope_from_string(*text);
    if (!scope) {
      error = "--scope '" + *text + "', expected subtree or exact";
      return false;
    }
    defaults.scope = *scope;
  }
  return true;
}

int64_t build_time() {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
    uint64_t value = 0;
    if (parse_unsigned(epoch, value))
      return static_cast<int64_t>(value);
  }
  return static_cast<int64_t>(std::time(nullptr));
}

}  // namespace

int cmd_compile(std::span<const std::string> argv) {
  Args args;
  std::string error;
  if (!args.parse(argv, kOptions, error))
    return usage_error("compile", error);
  if (args.has("help")) {
    std::fputs(kHelp, stdout);
    return kExitOk;
  }
  std::optional<std::string> output = args.value("output");
  if (!output)
    return usage_error("compile", "missing -o OUT.pbl");
  if (args.positional().empty())
    return usage_error("compile", "no input files");

  std::optional<Format> forced;
  if (auto text = args.value("format")) {
    forced = format_from_string(*text);
    if (!forced) {
      return usage_error("compile",
                         "--format '" + *text + "', expected text, csv, hosts, rpz or urls");
    }
  }
  Defaults defaults;
  if (!read_defaults(args, defaults, error))
    return usage_error("compile", error);
  double max_shrink = 0.2;
  if (auto text = args.value("max-shrink")) {
    char* end = nullptr;
    max_shrink = std::strtod(text->c_str(), &end);
    if (end == text->c_str() || *end != '\0' || !(max_shrink >= 0.0 && max_shrink <= 1.0)) {
      return usage_error("compile", "--max-shrink '" + *text + "', expected a fraction 0 to 1");
    }
  }
  uint64_t serial = 0;
  if (auto text = args.value("serial")) {
    if (!parse_unsigned(*text, serial) || serial == 0) {
      return usage_error("compile", "--serial '" + *text + "', expected a positive integer");
    }
  }
  trie::BuildOptions options;
  if (auto text = args.value("block-size")) {
    uint64_t block_size = 0;
    if (!parse_unsigned(*text, block_size) || block_size < 1 || block_size > trie::kMaxBlockSize) {
      return usage_error("compile", "--block-size '" + *text + "', expected 1 to " +
                                        std::to_string(trie::kMaxBlockSize));
    }
    options.block_size = static_cast<size_t>(block_size);
  }
  std::string sign_key;
  if (auto path = args.value("sign-key")) {
    if (!files::read_file(*path, sign_key, error)) {
      std::fprintf(stderr, "pangea: %s\n", error.c_str());
      return kExitUsage;
    }
  }
  std::shared_ptr<const trie::List> previous;
  if (auto path = args.value("previous")) {
    previous = open_list(*path);
    if (!previous)
      return kExitUsage;
  }

  // Read every input first: the digest covers them all, and stdin can be sniffed.
  std::vector<std::string> contents(args.positional().size());
  InputDigest digest;
  ReadCounts read;
  for (size_t i = 0; i < contents.size(); ++i) {
    if (!files::read_file(args.positional()[i], contents[i], error)) {
      std::fprintf(stderr, "pangea: %s\n", error.c_str());
      return kExitUsage;
    }
    digest.add(contents[i]);
    read.bytes += contents[i].size();
  }
  read.inputs = contents.size();

  Diagnostics diagnostics(&std::cerr);
  trie::Builder builder;
  Progress progress(stderr, read.bytes);
  size_t done_before = 0;
  ParseContext context;
  context.defaults = defaults;
  context.diagnostics = &diagnostics;
  context.sink = [&](trie::Entry&& entry, const Location& where) {
    try {
      builder.add(std::move(entry));
      ++read.entries;
    } catch (const std::invalid_argument& e) {
      diagnostics.error(where, "internal",
                        std::string("entry refused by the builder: ") + e.what());
    }
  };
  context.progress = [&](size_t done) { progress.update(done_before + done); };
  for (size_t i = 0; i < contents.size(); ++i) {
    const std::string& path = args.positional()[i];
    Source source{path == "-" ? "<stdin>" : path, contents[i]};
    Format format = forced ? *forced : detect_format(path == "-" ? "" : path, contents[i]);
    parse(format, source, context);
    done_before += contents[i].size();
  }
  progress.finish();
  diagnostics.finish();

  options.generator = generator();
  options.build_time = build_time();
  options.source_digest = digest.finish();
  options.serial = serial;
  if (serial == 0 && previous) {
    // Keep serials monotonic across rebuilds even when the clock goes backwards.
    uint64_t now = static_cast<uint64_t>(options.build_time);
    options.serial = std::max(now, previous->info().serial + 1);
  }
  // Resolvers that have the previous list loaded take the changes recorded in
  // the new file instead of diffing the two.
  options.previous = previous.get();
  std::vector<uint8_t> bytes;
  try {
    bytes = builder.finish(options);
  } catch (const std::length_error& e) {
    // Past the format's limits (entries, metadata, string sizes): the data, not a bug.
    std::fprintf(stderr, "pangea: cannot build %s: %s\n", output->c_str(), e.what());
    return kExitData;
  }
  const trie::BuildStats& stats = builder.stats();
  bool quiet = args.has("quiet");
  if (!quiet)
    std::cerr << format_summary(read, stats, diagnostics);

  if (args.has("strict") && (diagnostics.errors() > 0 || diagnostics.warnings() > 0)) {
    std::fprintf(stderr, "pangea: --strict: %zu rejected, %zu warnings; %s not written\n",
                 diagnostics.errors(), diagnostics.warnings(), output->c_str());
    return kExitData;
  }
  if (stats.kept == 0 && !args.has("allow-empty")) {
    std::fprintf(stderr,
                 "pangea: no entries to write, expected at least one (--allow-empty to write an "
                 "empty list); %s not written\n",
                 output->c_str());
    return kExitData;
  }
  if (previous) {
    uint64_t old_count = previous->info().entry_count;
    if (old_count > 0 && stats.kept < old_count) {
      double shrink = static_cast<double>(old_count - stats.kept) / static_cast<double>(old_count);
      if (shrink > max_shrink) {
        std::fprintf(stderr,
                     "pangea: %llu entries against %llu in %s (%.1f%% fewer), expected at most "
                     "%.1f%% fewer (--max-shrink); a truncated feed? %s not written\n",
                     static_cast<unsigned long long>(stats.kept),
                     static_cast<unsigned long long>(old_count), args.value("previous")->c_str(),
                     shrink * 100.0, max_shrink * 100.0, output->c_str());
        return kExitData;
      }
    }
  }
  if (!sign_key.empty()) {
    std::vector<uint8_t> signed_bytes;
    if (!trie::sign_list(bytes, sign_key, signed_bytes, error)) {
      std::fprintf(stderr, "pangea: %s: %s\n", args.value("sign-key")->c_str(), error.c_str());
      return kExitUsage;
    }
    bytes = std::move(signed_bytes);
  }

  if (*output == "-") {
    std::fwrite(bytes.data(), 1, bytes.size(), stdout);
    if (std::fflush(stdout) != 0) {
      std::fprintf(stderr, "pangea: write to stdout failed\n");
      return kExitUsage;
    }
  } else if (!files::write_file_atomic(*output, bytes, 0644, error)) {
    std::fprintf(stderr, "pangea: %s\n", error.c_str());
    return kExitUsage;
  }
  if (!quiet) {
    double per_entry =
        stats.kept ? static_cast<double>(bytes.size()) / static_cast<double>(stats.kept) : 0.0;
    std::fprintf(stderr, "pangea: wrote %s: %zu bytes, %.1f bytes per entry%s\n",
                 *output == "-" ? "<stdout>" : output->c_str(), bytes.size(), per_entry,
                 sign_key.empty() ? "" : ", signed");
  }
  return diagnostics.errors() > 0 ? kExitData : kExitOk;
}

}  // namespace pangea::tools
