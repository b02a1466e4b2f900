#pragma once
// The subcommands of `pangea`, one file each. Each takes the words after its name
// and returns the process exit code: 0 ok, 1 data problem (or, for lookup and diff,
// "no match" / "differences"), 2 usage or I/O error. Data goes to stdout,
// diagnostics to stderr.

#include <span>
#include <string>

namespace pangea::tools {

inline constexpr int kExitOk = 0;
inline constexpr int kExitData = 1;
inline constexpr int kExitUsage = 2;

int cmd_compile(std::span<const std::string> args);
int cmd_lookup(std::span<const std::string> args);
int cmd_inspect(std::span<const std::string> args);
int cmd_verify(std::span<const std::string> args);
int cmd_diff(std::span<const std::string> args);
int cmd_export(std::span<const std::string> args);
int cmd_keygen(std::span<const std::string> args);
int cmd_sign(std::span<const std::string> args);
int cmd_check(std::span<const std::string> args);

}  // namespace pangea::tools
