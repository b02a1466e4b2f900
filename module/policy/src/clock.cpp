#include "pangea/policy/clock.h"

#include <charconv>
#include <chrono>
#include <ctime>

namespace pangea::policy {

Clock Clock::frozen_at(int64_t unix_seconds) {
  Clock clock;
  clock.frozen_ = unix_seconds;
  return clock;
}

Clock Clock::shifted_by(int64_t seconds) {
  Clock clock;
  clock.offset_ = seconds;
  return clock;
}

std::optional<Clock> Clock::parse(std::string_view text, std::string& error) {
  const bool relative = !text.empty() && (text[0] == '+' || text[0] == '-');
  std::string_view digits = relative ? text.substr(1) : text;
  int64_t value = 0;
  const char* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, value);
  if (digits.empty() || digits[0] < '0' || digits[0] > '9' || ec != std::errc() || ptr != end) {
    error = "found '" + std::string(text) +
            "', expected Unix seconds (1767225600) or a signed offset in seconds (+3600, -3600)";
    return std::nullopt;
  }
  if (!relative)
    return frozen_at(value);
  return shifted_by(text[0] == '-' ? -value : value);
}

int64_t Clock::now() const noexcept {
  if (frozen_)
    return *frozen_;
  const auto real = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  // Saturate: PANGEA_FAKE_NOW accepts any int64 offset, and signed overflow is UB.
  int64_t shifted = 0;
  if (__builtin_add_overflow(static_cast<int64_t>(real), offset_, &shifted))
    return offset_ > 0 ? INT64_MAX : INT64_MIN;
  return shifted;
}

std::string Clock::describe() const {
  if (frozen_)
    return "frozen at " + std::to_string(*frozen_) + " (" + format_utc(*frozen_) + ")";
  if (offset_ != 0)
    return "real " + std::string(offset_ > 0 ? "+" : "") + std::to_string(offset_) + " s";
  return "real";
}

std::string format_utc(int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr)
    return std::to_string(unix_seconds);
  char buffer[32];
  const size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return n == 0 ? std::to_string(unix_seconds) : std::string(buffer, n);
}

}  // namespace pangea::policy
