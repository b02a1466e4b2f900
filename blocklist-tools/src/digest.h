#pragma once
// SHA-256 over the compiler's inputs (BuildOptions::source_digest), so a compiled
// list says exactly which bytes it was built from. Not thread-safe per instance.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace pangea::tools {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  std::array<uint8_t, 32> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Digest of several inputs: each contributes its length (8 bytes, big-endian) then
// its bytes, so ("ab","c") and ("a","bc") differ.
class InputDigest {
 public:
  void add(std::string_view input);
  std::array<uint8_t, 32> finish() { return sha_.finish(); }

 private:
  Sha256 sha_;
};

std::string hex(const uint8_t* bytes, size_t size);
template <size_t N>
std::string hex(const std::array<uint8_t, N>& bytes) {
  return hex(bytes.data(), N);
}

}  // namespace pangea::tools
