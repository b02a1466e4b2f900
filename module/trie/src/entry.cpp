#include "pangea/trie/entry.h"

#include <array>
#include <utility>

namespace pangea::trie {
namespace {

constexpr std::array<std::pair<Action, std::string_view>, 9> kActionNames{{
    {Action::list_default, "list-default"},
    {Action::nxdomain, "nxdomain"},
    {Action::nodata, "nodata"},
    {Action::redirect, "redirect"},
    {Action::cname, "cname"},
    {Action::refuse, "refuse"},
    {Action::drop, "drop"},
    {Action::passthru, "passthru"},
    {Action::log_only, "log-only"},
}};

}  // namespace

std::string_view to_string(Policy policy) {
  return policy == Policy::allow ? "allow" : "block";
}

std::string_view to_string(Scope scope) {
  return scope == Scope::exact ? "exact" : "subtree";
}

std::string_view to_string(Action action) {
  for (const auto& [value, name] : kActionNames) {
    if (value == action)
      return name;
  }
  return "unknown";
}

std::optional<Policy> policy_from_string(std::string_view text) {
  if (text == "block")
    return Policy::block;
  if (text == "allow")
    return Policy::allow;
  return std::nullopt;
}

std::optional<Scope> scope_from_string(std::string_view text) {
  if (text == "subtree")
    return Scope::subtree;
  if (text == "exact")
    return Scope::exact;
  return std::nullopt;
}

std::optional<Action> action_from_string(std::string_view text) {
  if (text == "log_only")
    return Action::log_only;
  if (text == "list_default")
    return Action::list_default;
  for (const auto& [value, name] : kActionNames) {
    if (name == text)
      return value;
  }
  return std::nullopt;
}

}  // namespace pangea::trie
