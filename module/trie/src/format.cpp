#include "format.h"

#include <openssl/evp.h>
#include <xxhash.h>

#include <algorithm>

namespace pangea::trie::format {

std::string_view section_name(uint32_t id) {
  switch (static_cast<SectionId>(id)) {
    case SectionId::strings:
      return "strings";
    case SectionId::metadata:
      return "metadata";
    case SectionId::values:
      return "values";
    case SectionId::codes:
      return "codes";
    case SectionId::index:
      return "index";
    case SectionId::offsets:
      return "offsets";
    case SectionId::blocks:
      return "blocks";
    case SectionId::tokens:
      return "tokens";
    case SectionId::top_labels:
      return "top_labels";
    case SectionId::changes:
      return "changes";
  }
  return "unknown";
}

uint64_t content_id(std::span<const uint8_t> file) {
  if (file.size() < kHeaderSize)
    return 0;
  const uint64_t table = uint64_t{load_u32(file.data() + kOffSectionCount)} * kSectionEntrySize;
  const size_t length = table <= file.size() - kHeaderSize ? table : file.size() - kHeaderSize;
  return XXH3_64bits(file.data() + kHeaderSize, length);
}

uint64_t header_checksum(std::span<const uint8_t> file) {
  size_t end = kHeaderSize;
  if (file.size() >= kHeaderSize) {
    uint64_t table = uint64_t{load_u32(file.data() + kOffSectionCount)} * kSectionEntrySize;
    end = table <= file.size() - kHeaderSize ? kHeaderSize + table : file.size();
  }
  // The header and table are small: hash a copy with the checksum field zeroed.
  uint8_t copy[kHeaderSize + 64 * kSectionEntrySize];
  size_t n = std::min(end, sizeof copy);
  std::memcpy(copy, file.data(), n);
  std::memset(copy + kOffHeaderChecksum, 0, 8);
  if (end > sizeof copy) {
    XXH3_state_t* state = XXH3_createState();
    XXH3_64bits_reset(state);
    XXH3_64bits_update(state, copy, n);
    XXH3_64bits_update(state, file.data() + n, end - n);
    uint64_t h = XXH3_64bits_digest(state);
    XXH3_freeState(state);
    return h;
  }
  return XXH3_64bits(copy, n);
}

std::array<uint8_t, 32> signing_digest(std::span<const uint8_t> file) {
  static constexpr uint8_t kZero[kSignatureSize] = {};
  std::array<uint8_t, 32> out{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr)
    return out;
  unsigned int len = 0;
  bool ok = EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
            EVP_DigestUpdate(ctx, file.data(), kOffSignature) == 1 &&
            EVP_DigestUpdate(ctx, kZero, kSignatureSize) == 1 &&
            EVP_DigestUpdate(ctx, file.data() + kOffSignature + kSignatureSize,
                             kOffHeaderChecksum - kOffSignature - kSignatureSize) == 1 &&
            EVP_DigestUpdate(ctx, kZero, 8) == 1 &&
            EVP_DigestUpdate(ctx, file.data() + kHeaderSize, file.size() - kHeaderSize) == 1 &&
            EVP_DigestFinal_ex(ctx, out.data(), &len) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok)
    out.fill(0);
  return out;
}

}  // namespace pangea::trie::format
