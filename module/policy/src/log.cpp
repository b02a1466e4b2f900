#include "pangea/policy/log.h"

namespace pangea::policy {

std::string_view to_string(Level level) {
  switch (level) {
    case Level::error:
      return "error";
    case Level::warning:
      return "warning";
    case Level::info:
      return "info";
    case Level::debug:
      return "debug";
  }
  return "unknown";
}

std::optional<Level> level_from_string(std::string_view text) {
  for (Level level : {Level::error, Level::warning, Level::info, Level::debug}) {
    if (to_string(level) == text)
      return level;
  }
  return std::nullopt;
}

}  // namespace pangea::policy
