#pragma once
// Reading referral lists: the input formats, their detection, and the context every
// parser reports to. Parsers turn one source (a whole file in memory) into entries
// with normalised names; they never stop at a bad line: each one becomes a
// diagnostic and parsing goes on.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "diagnostics.h"
#include "text.h"
#include "pangea/trie/entry.h"

namespace pangea::tools {

enum class Format { text, csv, hosts, rpz, urls };

std::string_view to_string(Format format);
std::optional<Format> format_from_string(std::string_view text);

// One input: its display name (the path, or "<stdin>") and its whole contents.
struct Source {
  std::string name;
  std::string_view data;
};

// What an entry gets when its input does not say: the list-wide options of
// `pangea compile`. Per-row values (CSV columns, text prefixes) win.
struct Defaults {
  trie::Metadata meta;
  trie::Policy policy = trie::Policy::block;
  trie::Scope scope = trie::Scope::subtree;
};

struct ParseContext {
  Defaults defaults;
  Diagnostics* diagnostics = nullptr;  // required
  // Receives each entry with the place it came from.
  std::function<void(trie::Entry&&, const Location&)> sink;
  // Called now and then with the bytes of the current source consumed so far.
  std::function<void(size_t)> progress;
};

// Guesses the format from the file name, then from the first meaningful line:
// "$ORIGIN"/"$TTL"/an SOA or CNAME record -> rpz; "<IP> <name>" -> hosts;
// "scheme://" -> urls; a header naming a domain/name/url column -> csv; else text.
Format detect_format(std::string_view path, std::string_view data);

// Parses `source` in `format`.
void parse(Format format, const Source& source, ParseContext& context);

void parse_text(const Source& source, ParseContext& context);
void parse_csv(const Source& source, ParseContext& context);
void parse_hosts(const Source& source, ParseContext& context);
void parse_rpz(const Source& source, ParseContext& context);
void parse_urls(const Source& source, ParseContext& context);

// Shared by the parsers: line splitting and trimming.
class LineReader {
 public:
  explicit LineReader(std::string_view data) : data_(data) {
    if (data_.starts_with("\xEF\xBB\xBF"))
      pos_ = 3;
  }
  // Next line without its terminator (LF or CRLF); false at end of input.
  bool next(std::string_view& line);
  size_t line_number() const { return line_; }
  size_t offset() const { return pos_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
  size_t line_ = 0;
};

// Calls visit(text, where) for each line of `source` that is not blank, after
// `clean` (e.g. strip_comment or trim) and with progress reported; the
// line-oriented formats share it.
template <typename Clean, typename Visit>
void for_each_line(const Source& source, ParseContext& context, Clean&& clean, Visit&& visit) {
  LineReader lines(source.data);
  std::string_view line;
  while (lines.next(line)) {
    if (lines.line_number() % 4096 == 0 && context.progress)
      context.progress(lines.offset());
    std::string_view text = clean(line);
    if (text.empty())
      continue;
    visit(text, Location{source.name, lines.line_number()});
  }
  if (context.progress)
    context.progress(source.data.size());
}

// Normalises `raw` and hands `entry` (its other fields already set) to the
// sink with the normalised name; reports a bad name at `where` and returns false.
bool emit_entry(std::string_view raw, trie::Entry entry, const Location& where,
                ParseContext& context);

// An entry with the list-wide defaults (policy, scope, metadata).
trie::Entry default_entry(const ParseContext& context);

// Text before a '#' comment, trimmed.
std::string_view strip_comment(std::string_view line);

}  // namespace pangea::tools
