#pragma once
// Internal: Ed25519 primitives shared by signature.cpp and the reader.

#include <array>
#include <cstdint>
#include <span>

namespace pangea::trie::format {

// Verifies an embedded signature of `file` (a structurally valid list) against
// `public_key`.
bool verify_embedded_signature(std::span<const uint8_t> file,
                               const std::array<uint8_t, 32>& public_key);

}  // namespace pangea::trie::format
