#pragma once
// EDE (RFC 8914) EXTRA-TEXT templates: "blocked by order of {agency}, referral
// {referral}". Placeholders: {list} {agency} {referral} {category} {legal_basis}
// {entry}; "{{" and "}}" are literal braces. Templates are validated when the
// configuration is parsed, so rendering never fails.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pangea::policy {

struct Decision;

inline constexpr size_t kMaxEdeText = 200;  // bytes; keeps the OPT record small

// nullopt when `text` is a valid template, otherwise what is wrong
// ("unknown placeholder '{agnecy}', expected one of {list}, ...").
std::optional<std::string> check_ede_template(std::string_view text);

// Substitutes the placeholders from the decision's metadata: {list} is the
// metadata's list name, or the configured list name when the entry has none;
// {entry} is the matched entry's name. Values are sanitised (control characters
// and invalid UTF-8 become '?'), and the result is cut at a UTF-8 character
// boundary to at most `max_bytes`. A placeholder without a value renders as "".
std::string render_ede_text(std::string_view text, const Decision& decision,
                            size_t max_bytes = kMaxEdeText);

}  // namespace pangea::policy
