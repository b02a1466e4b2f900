// URL lists: one URL per line, as agencies paste them from a browser
// ("https://www.cheap-pills.example/buy?x=1"). The host is what gets blocked, with
// the list's default scope. A line is a comment only when it starts with '#': a '#'
// inside a URL starts its fragment.
#include <string>

#include "input.h"
#include "normalise.h"
#include "url.h"

namespace pangea::tools {

void parse_urls(const Source& source, ParseContext& context) {
  // Only a leading '#' makes a comment: inside a URL it starts the fragment.
  auto clean = [](std::string_view line) {
    std::string_view text = trim(line);
    return text.starts_with('#') ? std::string_view() : text;
  };
  for_each_line(source, context, clean, [&](std::string_view text, const Location& where) {
    if (text.find_first_of(" \t") != std::string_view::npos) {
      context.diagnostics->error(where, "syntax",
                                 "whitespace in '" + quote(text) + "', expected one URL per line");
      return;
    }
    UrlError url_error;
    std::optional<std::string> host = host_from_url(text, url_error);
    if (!host) {
      context.diagnostics->error(where, url_error.kind, url_error.message);
      return;
    }
    emit_entry(*host, default_entry(context), where, context);
  });
}

}  // namespace pangea::tools
