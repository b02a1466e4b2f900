#include "args.h"

namespace pangea::tools {

bool Args::parse(std::span<const std::string> args, std::span<const OptionSpec> specs,
                 std::string& error) {
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg == "-" || !arg.starts_with('-')) {
      positional_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    const OptionSpec* spec = nullptr;
    std::optional<std::string> inline_value;
    if (arg.starts_with("--")) {
      std::string_view body = std::string_view(arg).substr(2);
      size_t eq = body.find('=');
      std::string_view name = body.substr(0, eq);
      if (eq != std::string_view::npos)
        inline_value = std::string(body.substr(eq + 1));
      for (const OptionSpec& s : specs) {
        if (s.name == name)
          spec = &s;
      }
    } else if (arg.size() == 2) {
      for (const OptionSpec& s : specs) {
        if (s.short_name != 0 && s.short_name == arg[1])
          spec = &s;
      }
    }
    if (spec == nullptr) {
      error = "unknown option '" + arg + "'";
      return false;
    }
    std::vector<std::string>& slot = values_[std::string(spec->name)];
    if (!spec->takes_value) {
      if (inline_value) {
        error = "option '--" + std::string(spec->name) + "' takes no value";
        return false;
      }
      slot.emplace_back();
      continue;
    }
    if (inline_value) {
      slot.push_back(*inline_value);
    } else if (i + 1 < args.size()) {
      slot.push_back(args[++i]);
    } else {
      error = "option '--" + std::string(spec->name) + "' needs a value";
      return false;
    }
  }
  return true;
}

std::optional<std::string> Args::value(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty())
    return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::values(std::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace pangea::tools
