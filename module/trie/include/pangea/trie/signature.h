#pragma once
// Ed25519 signing of compiled lists (OpenSSL). Keys are PEM files: PKCS#8 private
// keys and SubjectPublicKeyInfo public keys, as `openssl genpkey -algorithm ed25519`
// writes them.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace pangea::trie {

struct KeyPair {
  std::string private_pem;
  std::string public_pem;
};

KeyPair generate_key_pair();

// Reads a PEM public key (file contents) into its raw 32 bytes; false + error on failure.
bool parse_public_key(const std::string& pem, std::array<uint8_t, 32>& raw, std::string& error);

// First 8 bytes of SHA-256 of the raw public key, as stored in the header.
std::array<uint8_t, 8> key_id(const std::array<uint8_t, 32>& raw_public_key);

// Returns `file` with an embedded signature made with `private_pem` (replacing any
// previous one). The input must be a valid list; false + error otherwise.
bool sign_list(const std::vector<uint8_t>& file, const std::string& private_pem,
               std::vector<uint8_t>& signed_file, std::string& error);

}  // namespace pangea::trie
