#pragma once
// Conversions between presentation and wire forms of domain names.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pangea::trie {

// "Shop.Example." or "shop.example" -> wire format (lowercased). Accepts RFC 1035
// escapes (\. \\ \DDD). Returns nullopt for empty labels, labels over 63 octets,
// names over 255 octets in wire form, or a malformed escape.
std::optional<std::vector<uint8_t>> wire_from_text(std::string_view text);

// Wire format -> presentation form without the trailing dot ("" for the root).
// Bytes outside [A-Za-z0-9_-] are escaped as \DDD (and '.' as \.), so the result
// is safe to write on one log line. Malformed input yields "<malformed>".
std::string text_from_wire(std::span<const uint8_t> wire);

// Number of labels in a wire name (0 for the root), or nullopt if malformed.
std::optional<size_t> count_labels(std::span<const uint8_t> wire);

}  // namespace pangea::trie
