#include "key.h"

#include <array>

namespace pangea::trie::format {
namespace {

bool is_name_octet(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

bool key_from_name(std::string_view name, std::string& key) {
  key.clear();
  if (name.empty() || name.size() > kMaxKey - 1)
    return false;
  size_t end = name.size();
  for (;;) {
    size_t dot = name.rfind('.', end - 1);
    size_t start = dot == std::string_view::npos ? 0 : dot + 1;
    size_t len = end - start;
    if (len == 0 || len > kMaxLabel)
      return false;
    key.push_back(static_cast<char>(len));
    for (size_t i = start; i < end; ++i) {
      if (!is_name_octet(name[i]))
        return false;
      key.push_back(name[i]);
    }
    if (dot == std::string_view::npos)
      break;
    if (dot == 0)
      return false;
    end = dot;
  }
  return key.size() <= kMaxKey;
}

std::string name_from_key(std::span<const uint8_t> key) {
  // Labels in key order, then joined in reverse.
  std::array<size_t, 128> starts{};
  size_t count = 0;
  size_t pos = 0;
  while (pos < key.size() && count < starts.size()) {
    starts[count++] = pos;
    pos += key[pos] + 1;
  }
  std::string out;
  for (size_t i = count; i-- > 0;) {
    size_t len = key[starts[i]];
    for (size_t k = 1; k <= len && starts[i] + k < key.size(); ++k) {
      uint8_t c = key[starts[i] + k];
      if (is_name_octet(static_cast<char>(c))) {
        out.push_back(static_cast<char>(c));
      } else {
        out.push_back('\\');
        out.push_back(static_cast<char>('0' + c / 100));
        out.push_back(static_cast<char>('0' + (c / 10) % 10));
        out.push_back(static_cast<char>('0' + c % 10));
      }
    }
    if (i != 0)
      out.push_back('.');
  }
  return out;
}

int key_from_wire(std::span<const uint8_t> wire, uint8_t* key, uint8_t* labels_at) {
  std::array<uint8_t, 128> starts;  // offsets of the length octets
  size_t count = 0;
  size_t pos = 0;
  for (;;) {
    if (pos >= wire.size() || pos >= 255)
      return -1;
    uint8_t len = wire[pos];
    if (len == 0)
      break;
    if (len > kMaxLabel || count == starts.size())
      return -1;
    starts[count++] = static_cast<uint8_t>(pos);
    pos += len + 1;
  }
  // pos is the root octet, so the wire name is pos + 1 <= 255 octets long and the
  // key (same octets minus the root) fits in kMaxKey.
  size_t out = 0;
  labels_at[0] = 0;
  for (size_t i = count; i-- > 0;) {
    size_t start = starts[i];
    uint8_t len = wire[start];
    key[out++] = len;
    for (size_t k = 1; k <= len; ++k) {
      uint8_t c = wire[start + k];
      key[out++] = c >= 'A' && c <= 'Z' ? static_cast<uint8_t>(c + 32) : c;
    }
    labels_at[out] = static_cast<uint8_t>(count - i);
  }
  return static_cast<int>(out);
}

}  // namespace pangea::trie::format
