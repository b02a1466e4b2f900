#include "diff.h"

#include <map>

#include "timefmt.h"

namespace pangea::tools {
namespace {

std::string time_or_none(const std::optional<int64_t>& value) {
  return value ? format_time(*value) : "(none)";
}

std::string text_or_none(const std::string& value) {
  return value.empty() ? "(none)" : "'" + value + "'";
}

}  // namespace

std::vector<EntryChange> diff_entries(const std::vector<trie::Entry>& old_entries,
                                      const std::vector<trie::Entry>& new_entries) {
  std::map<std::string_view, const trie::Entry*> before;
  std::map<std::string_view, const trie::Entry*> after;
  for (const trie::Entry& entry : old_entries)
    before[entry.name] = &entry;
  for (const trie::Entry& entry : new_entries)
    after[entry.name] = &entry;

  std::vector<EntryChange> changes;
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && b->first < a->first)) {
      changes.push_back({EntryChange::Kind::removed, std::string(b->first), *b->second, {}});
      ++b;
    } else if (b == before.end() || a->first < b->first) {
      changes.push_back({EntryChange::Kind::added, std::string(a->first), {}, *a->second});
      ++a;
    } else {
      if (!(*a->second == *b->second)) {
        changes.push_back(
            {EntryChange::Kind::changed, std::string(a->first), *b->second, *a->second});
      }
      ++a;
      ++b;
    }
  }
  return changes;
}

std::string describe_change(const trie::Entry& before, const trie::Entry& after) {
  std::string out;
  auto field = [&](std::string_view name, const std::string& old_value,
                   const std::string& new_value) {
    if (old_value == new_value)
      return;
    if (!out.empty())
      out += "; ";
    out += std::string(name) + " " + old_value + " -> " + new_value;
  };
  field("policy", std::string(to_string(before.policy)), std::string(to_string(after.policy)));
  field("scope", std::string(to_string(before.scope)), std::string(to_string(after.scope)));
  field("action", std::string(to_string(before.meta.action)),
        std::string(to_string(after.meta.action)));
  field("list", text_or_none(before.meta.list), text_or_none(after.meta.list));
  field("category", text_or_none(before.meta.category), text_or_none(after.meta.category));
  field("agency", text_or_none(before.meta.agency), text_or_none(after.meta.agency));
  field("referral", text_or_none(before.meta.referral), text_or_none(after.meta.referral));
  field("legal_basis", text_or_none(before.meta.legal_basis), text_or_none(after.meta.legal_basis));
  field("referral_date", time_or_none(before.meta.referral_date),
        time_or_none(after.meta.referral_date));
  field("not_before", time_or_none(before.meta.not_before), time_or_none(after.meta.not_before));
  field("not_after", time_or_none(before.meta.not_after), time_or_none(after.meta.not_after));
  return out;
}

std::string describe_entry(const trie::Entry& entry) {
  std::string out =
      std::string(to_string(entry.policy)) + " " + std::string(to_string(entry.scope));
  const trie::Metadata& m = entry.meta;
  if (m.action != trie::Action::list_default)
    out += " action=" + std::string(to_string(m.action));
  auto text = [&](std::string_view key, const std::string& value) {
    if (!value.empty())
      out += " " + std::string(key) + "='" + value + "'";
  };
  auto time = [&](std::string_view key, const std::optional<int64_t>& value) {
    if (value)
      out += " " + std::string(key) + "=" + format_time(*value);
  };
  text("list", m.list);
  text("category", m.category);
  text("agency", m.agency);
  text("referral", m.referral);
  text("legal_basis", m.legal_basis);
  time("referral_date", m.referral_date);
  time("not_before", m.not_before);
  time("not_after", m.not_after);
  return out;
}

}  // namespace pangea::tools
