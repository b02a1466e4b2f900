#pragma once
// Log levels and the logging hook through which the policy layer reports. The
// Unbound glue routes these to Unbound's log; tests collect them.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace pangea::policy {

enum class Level : uint8_t { error = 0, warning = 1, info = 2, debug = 3 };

std::string_view to_string(Level level);  // "error", "warning", "info", "debug"
std::optional<Level> level_from_string(std::string_view text);

// Called from whichever thread produced the message (the caller of Engine::start,
// or the watcher thread): it must be thread-safe. It must not call back into the
// Engine. An empty function discards messages.
using Logger = std::function<void(Level, const std::string&)>;

}  // namespace pangea::policy
