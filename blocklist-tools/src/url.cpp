#include "url.h"

#include "diagnostics.h"
#include "normalise.h"

namespace pangea::tools {
namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::optional<std::string> fail(UrlError& error, std::string_view kind, std::string message) {
  error.kind = std::string(kind);
  error.message = std::move(message);
  return std::nullopt;
}

// Length of "scheme://" at the start of text, 0 if none.
size_t scheme_length(std::string_view text) {
  if (text.empty() || !is_alpha(text[0]))
    return 0;
  size_t i = 1;
  while (i < text.size() && (is_alpha(text[i]) || is_digit(text[i]) || text[i] == '+' ||
                             text[i] == '-' || text[i] == '.')) {
    ++i;
  }
  return text.substr(i).starts_with("://") ? i + 3 : 0;
}

}  // namespace

bool has_url_scheme(std::string_view text) {
  return scheme_length(text) != 0;
}

std::optional<std::string> host_from_url(std::string_view url, UrlError& error) {
  std::string_view rest = url.substr(scheme_length(url));
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (authority.starts_with('[')) {
    return fail(error, "ip-address",
                "IPv6 literal '" + quote(authority) + "' in URL '" + quote(url) +
                    "', expected a host name");
  }
  std::string_view host = authority;
  if (size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    host = authority.substr(0, colon);
    bool numeric = !port.empty() && port.size() <= 5;
    for (char c : port)
      numeric = numeric && is_digit(c);
    if (!numeric) {
      return fail(error, "url",
                  "port '" + quote(port) + "' in URL '" + quote(url) + "', expected a number");
    }
  }
  if (host.empty()) {
    return fail(error, "url",
                "URL '" + quote(url) + "' without a host, expected scheme://host/...");
  }
  if (is_ip_address(host)) {
    return fail(
        error, "ip-address",
        "IP address '" + quote(host) + "' in URL '" + quote(url) + "', expected a host name");
  }
  return std::string(host);
}

}  // namespace pangea::tools
