#include "pangea/policy/ede.h"

#include <array>
#include <cstring>

#include "pangea/policy/snapshot.h"
#include "pangea/trie/name.h"

namespace pangea::policy {
namespace {

constexpr std::array<std::string_view, 6> kPlaceholders{"list",     "agency",      "referral",
                                                        "category", "legal_basis", "entry"};

// Length of the valid UTF-8 sequence starting at s[0], or 0 when invalid.
size_t utf8_sequence(std::string_view s) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  size_t n = 0;
  if (b0 < 0x80)
    return 1;
  if (b0 >= 0xc2 && b0 <= 0xdf)
    n = 2;
  else if (b0 >= 0xe0 && b0 <= 0xef)
    n = 3;
  else if (b0 >= 0xf0 && b0 <= 0xf4)
    n = 4;
  else
    return 0;
  if (s.size() < n)
    return 0;
  for (size_t i = 1; i < n; ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xc0) != 0x80)
      return 0;
  }
  const auto b1 = static_cast<unsigned char>(s[1]);
  if (b0 == 0xe0 && b1 < 0xa0)
    return 0;  // overlong
  if (b0 == 0xed && b1 > 0x9f)
    return 0;  // surrogates
  if (b0 == 0xf0 && b1 < 0x90)
    return 0;  // overlong
  if (b0 == 0xf4 && b1 > 0x8f)
    return 0;  // above U+10FFFF
  return n;
}

// Appends whole, valid, printable characters while they fit.
class Writer {
 public:
  explicit Writer(size_t max) : max_(max) { out_.reserve(max); }

  // Returns false once the output is full.
  bool append(std::string_view text) {
    if (full_)
      return false;
    while (!text.empty()) {
      size_t n = utf8_sequence(text);
      std::string_view piece = text.substr(0, n == 0 ? 1 : n);
      const bool control =
          n == 1 && (static_cast<unsigned char>(text[0]) < 0x20 || text[0] == 0x7f);
      if (n == 0 || control)
        piece = "?";
      if (out_.size() + piece.size() > max_) {
        full_ = true;
        return false;
      }
      out_.append(piece);
      text.remove_prefix(n == 0 ? 1 : n);
    }
    return true;
  }

  bool full() const { return full_; }
  std::string take() { return std::move(out_); }

 private:
  size_t max_;
  bool full_ = false;
  std::string out_;
};

// Walks a template: calls literal(text) and placeholder(name) in order. Returns
// the problem, if any.
template <typename Literal, typename Placeholder>
std::optional<std::string> walk(std::string_view text, Literal&& literal,
                                Placeholder&& placeholder) {
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      literal(std::string_view("{"));
      i += 2;
    } else if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
      literal(std::string_view("}"));
      i += 2;
    } else if (c == '{') {
      const size_t close = text.find('}', i);
      if (close == std::string_view::npos) {
        return "found an unclosed '{' at offset " + std::to_string(i) +
               ", expected {placeholder} or {{ for a literal brace";
      }
      const std::string_view name = text.substr(i + 1, close - i - 1);
      bool known = false;
      for (auto candidate : kPlaceholders)
        known = known || candidate == name;
      if (!known) {
        return "found unknown placeholder '{" + std::string(name) +
               "}', expected one of {list}, {agency}, {referral}, {category}, {legal_basis}, "
               "{entry} (or {{ for a literal brace)";
      }
      placeholder(name);
      i = close + 1;
    } else if (c == '}') {
      return "found a lone '}' at offset " + std::to_string(i) +
             ", expected }} for a literal brace";
    } else {
      const size_t next = text.find_first_of("{}", i);
      const size_t end = next == std::string_view::npos ? text.size() : next;
      literal(text.substr(i, end - i));
      i = end;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_ede_template(std::string_view text) {
  auto problem = walk(
      text, [](std::string_view) {}, [](std::string_view) {});
  if (problem)
    return problem;
  for (size_t i = 0; i < text.size();) {
    const size_t n = utf8_sequence(text.substr(i));
    if (n == 0)
      return "found invalid UTF-8 at offset " + std::to_string(i) + ", expected UTF-8 text";
    i += n;
  }
  return std::nullopt;
}

std::string render_ede_text(std::string_view text, const Decision& decision, size_t max_bytes) {
  Writer out(max_bytes);
  walk(
      text, [&](std::string_view literal) { out.append(literal); },
      [&](std::string_view name) {
        const auto& meta = decision.meta;
        if (name == "list") {
          if (!meta.list.empty()) {
            out.append(meta.list);
          } else if (decision.list != nullptr) {
            out.append(decision.list->name);
          }
        } else if (name == "agency") {
          out.append(meta.agency);
        } else if (name == "referral") {
          out.append(meta.referral);
        } else if (name == "category") {
          out.append(meta.category);
        } else if (name == "legal_basis") {
          out.append(meta.legal_basis);
        } else if (name == "entry" && !decision.entry.empty()) {
          out.append(trie::text_from_wire(decision.entry));
        }
      });
  return out.take();
}

}  // namespace pangea::policy
