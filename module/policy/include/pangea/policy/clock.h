#pragma once
// The time decisions are taken at. Validity windows (metadata not_before /
// not_after) are compared with Clock::now(), so integration tests can move time
// with the TEST-ONLY environment variable PANGEA_FAKE_NOW:
//   PANGEA_FAKE_NOW=1767225600   the clock is frozen at that Unix second
//   PANGEA_FAKE_NOW=+86400       real time shifted by that many seconds (or -3600)
// The variable is read once, when the configuration is loaded.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pangea::policy {

class Clock {
 public:
  // The real UTC clock.
  Clock() = default;
  static Clock frozen_at(int64_t unix_seconds);
  static Clock shifted_by(int64_t seconds);

  // Parses a PANGEA_FAKE_NOW value; nullopt + `error` ("found 'x', expected Unix
  // seconds or a signed offset such as +3600") when malformed.
  static std::optional<Clock> parse(std::string_view text, std::string& error);

  // UTC seconds since the Unix epoch. Thread-safe.
  int64_t now() const noexcept;

  bool is_fake() const { return frozen_ || offset_ != 0; }
  std::string describe() const;  // "real", "frozen at 1767225600", "real +86400 s"

 private:
  std::optional<int64_t> frozen_;
  int64_t offset_ = 0;
};

// "2026-11-29T21:05:33Z"
std::string format_utc(int64_t unix_seconds);

}  // namespace pangea::policy
