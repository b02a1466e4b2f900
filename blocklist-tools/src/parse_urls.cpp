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
  LineReader lines(source.data);
  std::string_view line;
  while (lines.next(line)) {
    if (lines.line_number() % 4096 == 0 && context.progress)
      context.progress(lines.offset());
    std::string_view text = trim(line);
    if (text.empty() || text.starts_with('#'))
      continue;
    Location where{source.name, lines.line_number()};
    if (text.find_first_of(" \t") != std::string_view::npos) {
      context.diagnostics->error(where, "syntax",
                                 "whitespace in '" + quote(text) + "', expected one URL per line");
      continue;
    }
    UrlError url_error;
    std::optional<std::string> host = host_from_url(text, url_error);
    if (!host) {
      context.diagnostics->error(where, url_error.kind, url_error.message);
      continue;
    }
    NameError error;
    std::optional<std::string> name = normalise_name(*host, error);
    if (!name) {
      context.diagnostics->error(where, error.kind, error.message);
      continue;
    }
    trie::Entry entry;
    entry.name = std::move(*name);
    entry.policy = context.defaults.policy;
    entry.scope = context.defaults.scope;
    entry.meta = context.defaults.meta;
    context.sink(std::move(entry), where);
  }
  if (context.progress)
    context.progress(source.data.size());
}

}  // namespace pangea::tools
