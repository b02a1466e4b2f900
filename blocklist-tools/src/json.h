#pragma once
// Minimal JSON output for `--json`: string escaping and a few writers. Output only;
// the tools never parse JSON.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pangea::tools {

// "text" with quotes, backslashes and control characters escaped (\" \\ \n \u0001).
// Bytes >= 0x80 are copied as is: names and metadata are UTF-8.
std::string json_string(std::string_view text);

// An optional time as "2026-12-01T00:00:00Z" or null.
std::string json_time(const std::optional<int64_t>& seconds);

}  // namespace pangea::tools
