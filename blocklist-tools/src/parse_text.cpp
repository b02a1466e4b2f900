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
  for_each_line(source, context, strip_comment, [&](std::string_view text, const Location& where) {
    trie::Entry entry = default_entry(context);
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
      return;
    }
    emit_entry(text, std::move(entry), where, context);
  });
}

}  // namespace pangea::tools
