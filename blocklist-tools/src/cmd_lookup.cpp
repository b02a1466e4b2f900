// pangea lookup: is a name blocked by a compiled list, and by which entry.
//
// The most specific entry that is active at the evaluation time decides: an allow
// entry for "info.x" beats a block of the subtree "x" for "info.x" (that is what
// an exception is for), and an entry outside its validity window is skipped; the
// same rule as the resolver's policy layer (module/policy/src/snapshot.cpp).
#include <array>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include "args.h"
#include "commands.h"
#include "diff.h"
#include "input.h"
#include "json.h"
#include "list_io.h"
#include "normalise.h"
#include "timefmt.h"
#include "pangea/trie/name.h"

namespace pangea::tools {
namespace {

constexpr const char* kHelp =
    "usage: pangea lookup [--json] [--at TIME] LIST.pbl NAME...\n"
    "\n"
    "Says whether each NAME is blocked, and by which entry. '-' reads names from stdin,\n"
    "one per line. The most specific entry active at TIME (default: now) decides.\n"
    "\n"
    "options:\n"
    "      --json     one JSON object per query, in an array\n"
    "      --at TIME  evaluate validity windows at TIME (2026-12-01T00:00:00Z)\n"
    "\n"
    "exit status: 0 if any name is blocked, 1 if none is, 2 on error (bad list or name).\n";

constexpr OptionSpec kOptions[] = {
    {"help", 'h', false},
    {"json", 0, false},
    {"at", 0, true},
};

// The last `labels` labels of `name`.
std::string suffix_labels(const std::string& name, size_t labels) {
  size_t pos = name.size();
  for (size_t i = 0; i < labels; ++i) {
    size_t dot = pos == 0 ? std::string::npos : name.rfind('.', pos - 1);
    if (dot == std::string::npos)
      return name;
    pos = dot;
  }
  return name.substr(pos + 1);
}

struct Found {
  trie::Entry entry;
  bool active = false;
};

}  // namespace

int cmd_lookup(std::span<const std::string> argv) {
  Args args;
  std::string error;
  if (!args.parse(argv, kOptions, error))
    return usage_error("lookup", error);
  if (args.has("help")) {
    std::fputs(kHelp, stdout);
    return kExitOk;
  }
  if (args.positional().size() < 2)
    return usage_error("lookup", "expected LIST.pbl NAME...");
  int64_t at = static_cast<int64_t>(std::time(nullptr));
  if (auto text = args.value("at")) {
    auto parsed = parse_time(*text);
    if (!parsed)
      return usage_error("lookup", "--at '" + *text + "', expected 2026-12-01T00:00:00Z");
    at = *parsed;
  }
  bool json = args.has("json");

  std::vector<std::string> queries;
  for (size_t i = 1; i < args.positional().size(); ++i) {
    const std::string& arg = args.positional()[i];
    if (arg != "-") {
      queries.push_back(arg);
      continue;
    }
    std::string line;
    while (std::getline(std::cin, line)) {
      std::string_view text = strip_comment(line);
      if (!text.empty())
        queries.emplace_back(text);
    }
  }

  auto list = open_list(args.positional()[0]);
  if (!list)
    return kExitUsage;

  bool any_blocked = false;
  bool any_error = false;
  bool first_json = true;
  if (json)
    std::cout << "[";
  for (const std::string& query : queries) {
    NameError name_error;
    NormaliseOptions options;
    options.allow_single_label = true;
    std::optional<std::string> name = normalise_name(query, name_error, options);
    std::optional<std::vector<uint8_t>> wire;
    if (name)
      wire = trie::wire_from_text(*name);
    if (!name || !wire) {
      std::fprintf(stderr, "pangea: '%s': %s\n", quote(query).c_str(),
                   name ? "not a valid name" : name_error.message.c_str());
      any_error = true;
      continue;
    }
    std::array<trie::Match, trie::kMaxLabels> matches;
    size_t count = list->lookup(*wire, matches);
    std::vector<Found> found;
    const Found* decision = nullptr;
    for (size_t i = 0; i < count; ++i) {
      Found f;
      f.entry.name = suffix_labels(*name, matches[i].labels);
      f.entry.policy = matches[i].policy;
      f.entry.scope = matches[i].scope;
      f.entry.meta = list->metadata(matches[i].metadata_id).to_owned();
      f.active = trie::is_active(f.entry.meta, at);
      found.push_back(std::move(f));
    }
    for (const Found& f : found) {
      if (f.active) {
        decision = &f;
        break;
      }
    }
    // As the resolver does: an allow entry, or a block entry whose action is
    // passthru, lets the name through; log-only answers normally and only logs.
    std::string verdict = "not-listed";
    if (decision == nullptr) {
      verdict = found.empty() ? "not-listed" : "inactive";
    } else if (decision->entry.policy == trie::Policy::allow ||
               decision->entry.meta.action == trie::Action::passthru) {
      verdict = "allowed";
    } else if (decision->entry.meta.action == trie::Action::log_only) {
      verdict = "logged";
    } else {
      verdict = "blocked";
    }
    bool blocked = verdict == "blocked";
    any_blocked = any_blocked || blocked;
    if (json) {
      std::cout << (first_json ? "\n" : ",\n") << "  {\"query\": " << json_string(query)
                << ", \"name\": " << json_string(*name) << ", \"verdict\": " << json_string(verdict)
                << ", \"blocked\": " << (blocked ? "true" : "false") << ", \"matches\": [";
      first_json = false;
      for (size_t i = 0; i < found.size(); ++i) {
        const trie::Entry& e = found[i].entry;
        const trie::Metadata& m = e.meta;
        std::cout << (i ? ", " : "") << "{\"name\": " << json_string(e.name)
                  << ", \"policy\": " << json_string(to_string(e.policy))
                  << ", \"scope\": " << json_string(to_string(e.scope))
                  << ", \"active\": " << (found[i].active ? "true" : "false")
                  << ", \"decides\": " << (&found[i] == decision ? "true" : "false")
                  << ", \"action\": " << json_string(to_string(m.action))
                  << ", \"list\": " << json_string(m.list)
                  << ", \"category\": " << json_string(m.category)
                  << ", \"agency\": " << json_string(m.agency)
                  << ", \"referral\": " << json_string(m.referral)
                  << ", \"legal_basis\": " << json_string(m.legal_basis)
                  << ", \"referral_date\": " << json_time(m.referral_date)
                  << ", \"not_before\": " << json_time(m.not_before)
                  << ", \"not_after\": " << json_time(m.not_after) << "}";
      }
      std::cout << "]}";
      continue;
    }
    if (decision != nullptr) {
      std::cout << *name << ": " << verdict << " by " << decision->entry.name << " ("
                << describe_entry(decision->entry) << ")\n";
    } else if (found.empty()) {
      std::cout << *name << ": not listed\n";
    } else {
      std::cout << *name << ": not blocked (no entry active at " << format_time(at) << ")\n";
    }
    for (const Found& f : found) {
      if (&f == decision)
        continue;
      std::cout << "  also " << (f.active ? "matches " : "matches, inactive: ") << f.entry.name
                << " (" << describe_entry(f.entry) << ")\n";
    }
  }
  if (json)
    std::cout << (first_json ? "]\n" : "\n]\n");
  std::cout.flush();
  if (any_error)
    return kExitUsage;
  return any_blocked ? kExitOk : kExitData;
}

}  // namespace pangea::tools
