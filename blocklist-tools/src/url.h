#pragma once
// Extracts the host of a URL as pasted into a referral
// ("https://user:pw@Shop.example:8443/buy?x=1"). Stateless and thread-safe. The host is returned as
// written (not normalised).

#include <optional>
#include <string>
#include <string_view>

namespace pangea::tools {

struct UrlError {
  std::string kind;     // "url", "ip-address"
  std::string message;  // "<what was found>, expected <what>"
};

// Accepts "scheme://[userinfo@]host[:port][/path][?query][#fragment]" and, without a
// scheme, "host[:port][/path...]". Rejects IP literals (IPv6 in brackets or IPv4),
// non-numeric ports and an empty host.
std::optional<std::string> host_from_url(std::string_view url, UrlError& error);

// True when `text` starts with "scheme://".
bool has_url_scheme(std::string_view text);

}  // namespace pangea::tools
