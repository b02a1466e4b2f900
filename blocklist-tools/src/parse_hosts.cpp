// hosts files: "0.0.0.0 name [name...]", "127.0.0.1 name", ":: name", comments with
// '#'. Loopback and broadcast names that every hosts file carries ("localhost",
// "ip6-allnodes", ...) are skipped. An address other than an unspecified or
// loopback one is a redirect, not a block: it is blocked anyway, with a warning,
// because a blocklist cannot redirect a name to an address of the list's choosing.
//
// hosts entries get the list's default scope (subtree unless --scope exact), as
// every other format: a referral blocks a domain, and hosts files that list
// "www.x" next to "x" then compile to one entry.
#include <array>
#include <string>

#include "input.h"
#include "normalise.h"

namespace pangea::tools {
namespace {

constexpr std::array<std::string_view, 12> kSkipped{
    "localhost",     "localhost.localdomain", "local",        "broadcasthost",
    "ip6-localhost", "ip6-loopback",          "ip6-localnet", "ip6-mcastprefix",
    "ip6-allnodes",  "ip6-allrouters",        "ip6-allhosts", "0.0.0.0",
};

constexpr std::array<std::string_view, 6> kSinkholes{
    "0.0.0.0", "127.0.0.1", "::", "::1", "0:0:0:0:0:0:0:0", "0:0:0:0:0:0:0:1",
};

bool skipped(std::string_view name) {
  std::string lower = ascii_lower(name);
  if (lower.ends_with('.'))
    lower.pop_back();
  for (std::string_view s : kSkipped) {
    if (lower == s)
      return true;
  }
  return false;
}

}  // namespace

void parse_hosts(const Source& source, ParseContext& context) {
  for_each_line(source, context, strip_comment, [&](std::string_view text, const Location& where) {
    size_t end = text.find_first_of(" \t");
    std::string_view address = text.substr(0, end);
    if (!is_ip_address(address)) {
      context.diagnostics->error(where, "syntax",
                                 "'" + quote(address) +
                                     "' at the start of a hosts line, "
                                     "expected an IP address such as 0.0.0.0");
      return;
    }
    if (end == std::string_view::npos) {
      context.diagnostics->error(where, "syntax",
                                 "address '" + quote(address) + "' alone, expected names after it");
      return;
    }
    bool sinkhole = false;
    for (std::string_view s : kSinkholes)
      sinkhole = sinkhole || address == s;
    bool warned = false;

    std::string_view rest = trim(text.substr(end));
    while (!rest.empty()) {
      size_t space = rest.find_first_of(" \t");
      std::string_view word = rest.substr(0, space);
      rest = space == std::string_view::npos ? std::string_view() : trim(rest.substr(space));
      if (skipped(word))
        continue;
      if (!sinkhole && !warned) {
        context.diagnostics->warning(where, "redirect",
                                     "address '" + quote(address) +
                                         "' redirects rather than blocks, expected 0.0.0.0, "
                                         "127.0.0.1, :: or ::1; blocking the names anyway");
        warned = true;
      }
      emit_entry(word, default_entry(context), where, context);
    }
  });
}

}  // namespace pangea::tools
