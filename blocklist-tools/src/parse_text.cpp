// Plain-text lists: one name per line.
//
//   cheap-pills.example        block the name and everything under it (the default)
//   *.cheap-pills.example      the same, written explicitly
//   =shop.cheap-pills.example  block this name only, not its subdomains
//   !info.cheap-pills.example  allow: an exception to a block of an ancestor
//   @@info.cheap-pills.example allow, in Adblock's spelling
//   !=a.example, @@*.b.example  prefixes combine: allow first, then the scope
//   # comment                  comments, also after a name; blank lines are ignored
#include <string>

#include "input.h"
#include "normalise.h"

namespace pangea::tools {

void parse_text(const Source& source, ParseContext& context) {
  LineReader lines(source.data);
  std::string_view line;
  while (lines.next(line)) {
    if (lines.line_number() % 4096 == 0 && context.progress)
      context.progress(lines.offset());
    std::string_view text = strip_comment(line);
    if (text.empty())
      continue;
    Location where{source.name, lines.line_number()};

    trie::Entry entry;
    entry.policy = context.defaults.policy;
    entry.scope = context.defaults.scope;
    entry.meta = context.defaults.meta;
    if (text.starts_with('!')) {
      entry.policy = trie::Policy::allow;
      text.remove_prefix(1);
    } else if (text.starts_with("@@")) {
      entry.policy = trie::Policy::allow;
      text.remove_prefix(2);
    }
    if (text.starts_with('=')) {
      entry.scope = trie::Scope::exact;
      text.remove_prefix(1);
    } else if (text.starts_with("*.")) {
      entry.scope = trie::Scope::subtree;
      text.remove_prefix(2);
    }
    if (size_t space = text.find_first_of(" \t"); space != std::string_view::npos) {
      context.diagnostics->error(where, "syntax",
                                 "unexpected text '" + quote(trim(text.substr(space))) +
                                     "' after the name, expected one name per line");
      continue;
    }
    NameError error;
    std::optional<std::string> name = normalise_name(text, error);
    if (!name) {
      context.diagnostics->error(where, error.kind, error.message);
      continue;
    }
    entry.name = std::move(*name);
    context.sink(std::move(entry), where);
  }
  if (context.progress)
    context.progress(source.data.size());
}

}  // namespace pangea::tools
