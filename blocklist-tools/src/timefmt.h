#pragma once
// ISO-8601 times as referral lists write them, to and from UTC epoch seconds.
// Stateless and thread-safe (no locale, no time zone database).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pangea::tools {

// Which end of a day a date without a time stands for.
enum class DateBound { start, end };

// Accepts "2026-12-01T00:00:00Z", "2026-12-01T00:00Z", "2026-12-01 00:00:00Z", an
// explicit offset ("2026-12-01T01:00:00+01:00") and a bare date "2026-12-01", which
// means 00:00:00 UTC, or 23:59:59 UTC with DateBound::end (a not_after date keeps the
// entry active for the whole of that day). A time without a zone is rejected:
// guessing the zone of an agency's spreadsheet is how entries expire a day early.
std::optional<int64_t> parse_time(std::string_view text, DateBound bound = DateBound::start);

// "2026-12-01T00:00:00Z".
std::string format_time(int64_t seconds);

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);

}  // namespace pangea::tools
