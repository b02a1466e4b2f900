#pragma once
// Internal: the sort key of a name. Labels in reverse order (root side first), each
// preceded by its length octet, lowercase: "shop.example" -> "\7example\4shop".
// An entry is an ancestor of a name exactly when its key is a prefix of the name's
// key, because the length octets keep label boundaries aligned.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "format.h"

namespace pangea::trie::format {

// Key of a normalised presentation name (labels of [a-z0-9_-], no trailing dot).
// Returns false for anything else, including the root.
bool key_from_name(std::string_view name, std::string& key);

// Presentation name of a key ("\7example\4shop" -> "shop.example"); octets
// outside [a-z0-9_-] are written as \DDD.
std::string name_from_key(std::span<const uint8_t> key);

// Builds the lowercase key of a wire-format name into `key` (capacity kMaxKey) and
// records, for each key length that ends a label, how many labels that prefix
// holds. Returns the key length, or -1 for a malformed name (bad label length,
// over 255 octets, missing root label within the span). The root yields 0.
int key_from_wire(std::span<const uint8_t> wire, uint8_t* key, uint8_t* labels_at);

}  // namespace pangea::trie::format
