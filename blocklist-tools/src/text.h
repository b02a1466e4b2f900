#pragma once
// Small text helpers shared by the parsers: ASCII whitespace and case only (names
// are normalised by normalise.h; these never touch non-ASCII bytes).

#include <string>
#include <string_view>

namespace pangea::tools {

bool is_space(char c);                           // space, tab, CR, LF
std::string_view trim(std::string_view text);    // without leading/trailing is_space
std::string ascii_lower(std::string_view text);  // A-Z to a-z, other bytes as they are

}  // namespace pangea::tools
