#include "pangea/trie/name.h"

#include <array>

namespace pangea::trie {
namespace {

constexpr size_t kMaxWire = 255;
constexpr size_t kMaxLabel = 63;

uint8_t lower(uint8_t c) {
  return c >= 'A' && c <= 'Z' ? static_cast<uint8_t>(c + 32) : c;
}

bool is_plain(uint8_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

std::optional<std::vector<uint8_t>> wire_from_text(std::string_view text) {
  std::vector<uint8_t> wire;
  wire.reserve(text.size() + 2);
  if (text == ".") {
    wire.push_back(0);
    return wire;
  }
  if (text.empty())
    return std::nullopt;
  size_t label_start = 0;  // index of the current label's length octet
  wire.push_back(0);
  bool label_empty = true;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<uint8_t>(text[i]);
    if (c == '.') {
      if (label_empty)
        return std::nullopt;  // empty label ("a..b", ".a")
      if (i + 1 == text.size())
        break;  // trailing dot: fully qualified
      wire[label_start] = static_cast<uint8_t>(wire.size() - label_start - 1);
      label_start = wire.size();
      wire.push_back(0);
      label_empty = true;
      continue;
    }
    if (c == '\\') {
      if (i + 1 >= text.size())
        return std::nullopt;
      auto d = static_cast<uint8_t>(text[i + 1]);
      if (d >= '0' && d <= '9') {
        unsigned value = 0;
        for (size_t k = 1; k <= 3; ++k) {
          if (i + k >= text.size())
            return std::nullopt;
          auto digit = static_cast<uint8_t>(text[i + k]);
          if (digit < '0' || digit > '9')
            return std::nullopt;
          value = value * 10 + (digit - '0');
        }
        if (value > 255)
          return std::nullopt;
        c = static_cast<uint8_t>(value);
        i += 3;
      } else {
        c = d;
        i += 1;
      }
    }
    wire.push_back(lower(c));
    label_empty = false;
    if (wire.size() - label_start - 1 > kMaxLabel)
      return std::nullopt;
  }
  if (label_empty)
    return std::nullopt;
  wire[label_start] = static_cast<uint8_t>(wire.size() - label_start - 1);
  wire.push_back(0);
  if (wire.size() > kMaxWire)
    return std::nullopt;
  return wire;
}

std::string text_from_wire(std::span<const uint8_t> wire) {
  if (!count_labels(wire))
    return "<malformed>";
  std::string out;
  size_t pos = 0;
  while (wire[pos] != 0) {
    size_t len = wire[pos];
    if (!out.empty())
      out.push_back('.');
    for (size_t k = 1; k <= len; ++k) {
      uint8_t c = wire[pos + k];
      if (is_plain(c)) {
        out.push_back(static_cast<char>(c));
      } else if (c == '.') {
        out += "\\.";
      } else {
        std::array<char, 5> esc{'\\', static_cast<char>('0' + c / 100),
                                static_cast<char>('0' + (c / 10) % 10),
                                static_cast<char>('0' + c % 10), 0};
        out.append(esc.data(), 4);
      }
    }
    pos += len + 1;
  }
  return out;
}

std::optional<size_t> count_labels(std::span<const uint8_t> wire) {
  size_t pos = 0;
  size_t labels = 0;
  while (pos < wire.size() && pos < kMaxWire) {
    uint8_t len = wire[pos];
    if (len == 0)
      return labels;
    if (len > kMaxLabel)
      return std::nullopt;  // also rejects compression pointers
    pos += len + 1;
    ++labels;
  }
  return std::nullopt;
}

}  // namespace pangea::trie
