// pangea diff: what changed between two compiled lists, entry by entry.
#include <cstdio>
#include <iostream>
#include <string>

#include "args.h"
#include "commands.h"
#include "diff.h"
#include "list_io.h"

namespace pangea::tools {
namespace {

constexpr const char* kHelp =
    "usage: pangea diff [-q] OLD.pbl NEW.pbl\n"
    "\n"
    "Lists entries added ('+ name ...'), removed ('- name ...') and changed\n"
    "('~ name: field old -> new; ...') between two compiled lists, sorted by name.\n"
    "\n"
    "  -q, --quiet   print nothing, only set the exit status\n"
    "\n"
    "exit status: 0 same entries, 1 differences, 2 usage error or an unreadable list.\n";

constexpr OptionSpec kOptions[] = {
    {"help", 'h', false},
    {"quiet", 'q', false},
};

}  // namespace

int cmd_diff(std::span<const std::string> argv) {
  Args args;
  std::string error;
  if (!args.parse(argv, kOptions, error))
    return usage_error("diff", error);
  if (args.has("help")) {
    std::fputs(kHelp, stdout);
    return kExitOk;
  }
  if (args.positional().size() != 2)
    return usage_error("diff", "expected OLD.pbl NEW.pbl");
  auto old_list = open_list(args.positional()[0]);
  auto new_list = open_list(args.positional()[1]);
  if (!old_list || !new_list)
    return kExitUsage;

  std::vector<EntryChange> changes = diff_entries(all_entries(*old_list), all_entries(*new_list));
  if (!args.has("quiet")) {
    size_t added = 0, removed = 0, changed = 0;
    for (const EntryChange& change : changes) {
      switch (change.kind) {
        case EntryChange::Kind::added:
          ++added;
          std::cout << "+ " << change.name << ' ' << describe_entry(change.after) << '\n';
          break;
        case EntryChange::Kind::removed:
          ++removed;
          std::cout << "- " << change.name << ' ' << describe_entry(change.before) << '\n';
          break;
        case EntryChange::Kind::changed:
          ++changed;
          std::cout << "~ " << change.name << ": " << describe_change(change.before, change.after)
                    << '\n';
          break;
      }
    }
    std::cout.flush();
    std::fprintf(stderr, "pangea: %zu added, %zu removed, %zu changed\n", added, removed, changed);
  }
  return changes.empty() ? kExitOk : kExitData;
}

}  // namespace pangea::tools
