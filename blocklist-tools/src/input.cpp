#include "input.h"

#include <array>
#include <utility>

#include "csv.h"
#include "normalise.h"
#include "text.h"
#include "url.h"

namespace pangea::tools {
namespace {

constexpr std::array<std::pair<Format, std::string_view>, 5> kFormatNames{{
    {Format::text, "text"},
    {Format::csv, "csv"},
    {Format::hosts, "hosts"},
    {Format::rpz, "rpz"},
    {Format::urls, "urls"},
}};

// Whitespace-separated words of a line.
std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i]))
      ++i;
    size_t start = i;
    while (i < line.size() && !is_space(line[i]))
      ++i;
    if (i > start)
      out.push_back(line.substr(start, i - start));
  }
  return out;
}

bool looks_like_rpz(std::string_view line) {
  if (line.starts_with("$ORIGIN") || line.starts_with("$TTL") || line.starts_with("$INCLUDE")) {
    return true;
  }
  for (std::string_view word : words(line)) {
    std::string w = ascii_lower(word);
    if (w == "soa" || w == "cname" || w == "ns")
      return true;
  }
  return false;
}

bool looks_like_csv_header(std::string_view line) {
  char delimiter = guess_delimiter(line);
  if (line.find(delimiter) == std::string_view::npos)
    return false;
  CsvReader reader(line, delimiter);
  std::vector<std::string> fields;
  std::string error;
  if (reader.next(fields, error) != CsvReader::Status::record)
    return false;
  for (const std::string& field : fields) {
    std::string name = ascii_lower(trim(field));
    if (name == "domain" || name == "name" || name == "url")
      return true;
  }
  return false;
}

}  // namespace

std::string_view to_string(Format format) {
  for (const auto& [value, name] : kFormatNames) {
    if (value == format)
      return name;
  }
  return "unknown";
}

std::optional<Format> format_from_string(std::string_view text) {
  for (const auto& [value, name] : kFormatNames) {
    if (name == text)
      return value;
  }
  return std::nullopt;
}

bool LineReader::next(std::string_view& line) {
  if (pos_ >= data_.size())
    return false;
  size_t end = data_.find('\n', pos_);
  if (end == std::string_view::npos)
    end = data_.size();
  line = data_.substr(pos_, end - pos_);
  if (line.ends_with('\r'))
    line.remove_suffix(1);
  pos_ = end + 1;
  ++line_;
  return true;
}

std::string_view strip_comment(std::string_view line) {
  return trim(line.substr(0, line.find('#')));
}

Format detect_format(std::string_view path, std::string_view data) {
  std::string name = ascii_lower(path);
  if (name.ends_with(".csv"))
    return Format::csv;
  if (name.ends_with(".rpz") || name.ends_with(".zone"))
    return Format::rpz;
  if (name.ends_with(".hosts") || name.ends_with("/hosts") || name == "hosts")
    return Format::hosts;

  LineReader lines(data);
  std::string_view line;
  size_t examined = 0;
  while (lines.next(line) && examined < 50) {
    std::string_view text = trim(line);
    if (text.empty() || text.starts_with('#') || text.starts_with(';') || text.starts_with("//")) {
      continue;
    }
    ++examined;
    if (looks_like_rpz(text))
      return Format::rpz;
    std::vector<std::string_view> fields = words(strip_comment(text));
    if (fields.size() >= 2 && is_ip_address(fields[0]))
      return Format::hosts;
    if (has_url_scheme(text))
      return Format::urls;
    if (looks_like_csv_header(text))
      return Format::csv;
    return Format::text;
  }
  return Format::text;
}

void parse(Format format, const Source& source, ParseContext& context) {
  switch (format) {
    case Format::text:
      return parse_text(source, context);
    case Format::csv:
      return parse_csv(source, context);
    case Format::hosts:
      return parse_hosts(source, context);
    case Format::rpz:
      return parse_rpz(source, context);
    case Format::urls:
      return parse_urls(source, context);
  }
}

bool emit_entry(std::string_view raw, trie::Entry entry, const Location& where,
                ParseContext& context) {
  NameError error;
  std::optional<std::string> name = normalise_name(raw, error);
  if (!name) {
    context.diagnostics->error(where, error.kind, error.message);
    return false;
  }
  entry.name = std::move(*name);
  context.sink(std::move(entry), where);
  return true;
}

trie::Entry default_entry(const ParseContext& context) {
  trie::Entry entry;
  entry.policy = context.defaults.policy;
  entry.scope = context.defaults.scope;
  entry.meta = context.defaults.meta;
  return entry;
}

}  // namespace pangea::tools
