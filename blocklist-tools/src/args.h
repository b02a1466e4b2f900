#pragma once
// Command-line options of the `pangea` subcommands: "--name value", "--name=value",
// "-x value", flags, positional arguments, "--" ending the options, and "-" as a
// positional argument (stdin/stdout).

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pangea::tools {

struct OptionSpec {
  std::string_view name;  // long name without "--", e.g. "output"
  char short_name = 0;    // e.g. 'o'; 0 for none
  bool takes_value = false;
};

class Args {
 public:
  // Parses `args` (the words after the subcommand). Returns false with `error` set
  // ("unknown option '--foo'", "option '--list' needs a value") on misuse.
  bool parse(std::span<const std::string> args, std::span<const OptionSpec> specs,
             std::string& error);

  bool has(std::string_view name) const { return values_.count(std::string(name)) != 0; }
  // The last value given (options given twice: the last wins).
  std::optional<std::string> value(std::string_view name) const;
  // Every value, in order (repeatable options such as --key).
  std::vector<std::string> values(std::string_view name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
  std::vector<std::string> positional_;
};

}  // namespace pangea::tools
