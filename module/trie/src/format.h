#pragma once
// Internal: layout constants of the compiled-list format (docs/format.md is the
// authoritative description; keep the two in step) and the byte/bit readers that
// every access to mapped bytes goes through.

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace pangea::trie::format {

inline constexpr std::array<uint8_t, 8> kMagic{0x89, 'P', 'B', 'L', '\r', '\n', 0x1a, '\n'};
inline constexpr uint32_t kVersion = 2;
inline constexpr size_t kHeaderSize = 256;
inline constexpr size_t kSectionEntrySize = 32;
inline constexpr size_t kAlign = 8;

// Header field offsets.
inline constexpr size_t kOffMagic = 0;
inline constexpr size_t kOffVersion = 8;
inline constexpr size_t kOffHeaderSize = 12;
inline constexpr size_t kOffFlags = 16;
inline constexpr size_t kOffFileSize = 24;
inline constexpr size_t kOffEntryCount = 32;
inline constexpr size_t kOffMetadataCount = 40;
inline constexpr size_t kOffSerial = 48;
inline constexpr size_t kOffBuildTime = 56;
inline constexpr size_t kOffSourceDigest = 64;
inline constexpr size_t kOffGenerator = 96;
inline constexpr size_t kGeneratorSize = 64;
inline constexpr size_t kOffSectionCount = 160;
inline constexpr size_t kOffBlockSize = 164;
inline constexpr size_t kOffKeyId = 168;
inline constexpr size_t kOffSignature = 176;
inline constexpr size_t kSignatureSize = 64;
inline constexpr size_t kOffReserved = 240;
inline constexpr size_t kOffHeaderChecksum = 248;

// Flags: the low 32 bits are "must understand" (a reader rejects unknown ones),
// the high 32 bits may be ignored by readers that do not know them.
inline constexpr uint64_t kFlagSigned = 1;
inline constexpr uint64_t kKnownRequiredFlags = kFlagSigned;

enum class SectionId : uint32_t {
  strings = 1,
  metadata = 2,
  values = 3,
  codes = 4,
  index = 5,
  offsets = 6,
  blocks = 7,
  tokens = 8,
  top_labels = 9,
  changes = 10,  // optional: see docs/format.md "Changes"
};
inline constexpr uint32_t kFirstSection = 1;
inline constexpr uint32_t kLastRequiredSection = 9;
inline constexpr uint32_t kLastSection = 10;
// The changes section: previous content id, previous serial, key count, keys.
inline constexpr size_t kChangesHeaderSize = 24;

// A list's content id (ListInfo::content_id): XXH3-64 of its section table,
// which holds every section's checksum but not the header's serial, build
// time or signature.
uint64_t content_id(std::span<const uint8_t> file);
std::string_view section_name(uint32_t id);

// xxh3 over the header and section table with the header checksum field zeroed.
// `file` must hold at least the header; a section count beyond the file is clamped.
uint64_t header_checksum(std::span<const uint8_t> file);

// SHA-256 over the whole file with the signature and the header checksum zeroed:
// the message an embedded signature signs (prefixed with kSignatureContext).
std::array<uint8_t, 32> signing_digest(std::span<const uint8_t> file);
inline constexpr std::string_view kSignatureContext = "PANGEA-LIST-SIGNATURE-V1";

inline constexpr size_t kMetadataRecordSize = 72;
inline constexpr size_t kValueRecordSize = 8;

// Entropy coding (see docs/format.md "Blocks").
inline constexpr unsigned kMaxCodeLength = 12;
inline constexpr uint16_t kEndSymbol = 256;       // in the boundary table: end of key
inline constexpr size_t kBoundaryAlphabet = 257;  // label lengths 0..255 + end
inline constexpr size_t kLcpAlphabet = 256;
inline constexpr size_t kMaxValueAlphabet = 256;  // symbol 255 escapes when more classes
inline constexpr size_t kTableBoundary = 0;
inline constexpr size_t kTableLcp = 1;
inline constexpr size_t kTableValue = 2;
// Tokens are coded in one of kTokenContexts tables: at the first octet of a label,
// or by the class of the octet before the token.
inline constexpr size_t kTableFirstToken = 3;
inline constexpr size_t kTokenContexts = 4;
inline constexpr size_t kTableCount = kTableFirstToken + kTokenContexts;
inline constexpr uint8_t kContextLabelStart = 0;
inline constexpr uint8_t token_context_after(uint8_t octet) {
  if (octet >= '0' && octet <= '9')
    return 2;
  if (octet == '-' || octet == '_')
    return 3;
  return 1;  // letters, and any other octet
}
inline constexpr size_t kMaxTokens = 4096;
inline constexpr size_t kMaxTokenLength = 16;
inline constexpr size_t kIndexPrefix = 8;  // key octets held by key_prefix()
// A block's index entry: the rank of its first key's top-level label among the
// list's distinct top-level labels (high octets), then the key octets after
// that label: 7 when the rank fits one octet, else 6.
inline constexpr size_t kMaxTopLabels = size_t{1} << 16;
inline constexpr size_t index_tail(size_t top_labels) {
  return top_labels <= 256 ? 7 : 6;
}
inline constexpr size_t kMaxKey = 254;  // 255-octet wire name minus the root label
inline constexpr size_t kMaxLabel = 63;
inline constexpr unsigned kAncestorCountBits = 7;

inline uint16_t load_u16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}
inline uint32_t load_u32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  if constexpr (std::endian::native == std::endian::big)
    v = __builtin_bswap32(v);
  return v;
}
inline uint64_t load_u64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big)
    v = __builtin_bswap64(v);
  return v;
}
inline void store_u16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
inline void store_u32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = static_cast<uint8_t>(v >> (8 * i));
}
inline void store_u64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    p[i] = static_cast<uint8_t>(v >> (8 * i));
}

// The first kIndexPrefix octets of a key as a big-endian integer, zero padded, so
// that integer order agrees with key order (a < b implies prefix(a) <= prefix(b)).
inline uint64_t key_prefix(const uint8_t* key, size_t len) {
  uint64_t v = 0;
  for (size_t i = 0; i < kIndexPrefix; ++i)
    v = (v << 8) | (i < len ? key[i] : 0);
  return v;
}

// Index entry of a key whose top-level label (the first label of the key) has
// rank `rank`, holding `tail_octets` octets after it (index_tail()): integer
// order agrees with key order.
inline uint64_t index_entry(uint64_t rank, size_t tail_octets, const uint8_t* key, size_t len) {
  const size_t tail = size_t{1} + key[0];  // just after the top-level label
  uint64_t v = rank;
  for (size_t i = 0; i < tail_octets; ++i)
    v = (v << 8) | (tail + i < len ? key[tail + i] : 0);
  return v;
}

// Bounds-checked little-endian reader over one span. A read past the end yields
// zero and latches `ok() == false`; callers test ok() once after a run of reads.
class Cursor {
 public:
  Cursor() = default;
  explicit Cursor(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  bool ok() const { return ok_; }
  size_t pos() const { return pos_; }
  size_t size() const { return bytes_.size(); }
  size_t remaining() const { return pos_ <= bytes_.size() ? bytes_.size() - pos_ : 0; }
  void seek(size_t pos) {
    if (pos > bytes_.size())
      ok_ = false;
    pos_ = pos;
  }

  uint8_t u8() { return check(1) ? bytes_[pos_++] : 0; }
  uint16_t u16() { return advance<uint16_t>(2, load_u16); }
  uint32_t u32() { return advance<uint32_t>(4, load_u32); }
  uint64_t u64() { return advance<uint64_t>(8, load_u64); }
  std::span<const uint8_t> bytes(size_t n) {
    if (!check(n))
      return {};
    auto out = bytes_.subspan(pos_, n);
    pos_ += n;
    return out;
  }

  // Random access without moving the cursor.
  uint8_t u8_at(size_t at) const { return at < bytes_.size() ? bytes_[at] : 0; }
  uint32_t u32_at(size_t at) const {
    return at <= bytes_.size() && bytes_.size() - at >= 4 ? load_u32(bytes_.data() + at) : 0;
  }
  uint64_t u64_at(size_t at) const {
    return at <= bytes_.size() && bytes_.size() - at >= 8 ? load_u64(bytes_.data() + at) : 0;
  }
  std::span<const uint8_t> sub(size_t at, size_t n) const {
    if (at > bytes_.size() || bytes_.size() - at < n)
      return {};
    return bytes_.subspan(at, n);
  }

 private:
  bool check(size_t n) {
    if (!ok_ || pos_ > bytes_.size() || bytes_.size() - pos_ < n) {
      ok_ = false;
      return false;
    }
    return true;
  }
  template <typename T, typename F>
  T advance(size_t n, F load) {
    if (!check(n))
      return 0;
    T v = load(bytes_.data() + pos_);
    pos_ += n;
    return v;
  }

  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// LSB-first bit reader over one block. Reads past the end return zero bits and
// latch overrun(); it never touches a byte outside the span.
class BitReader {
 public:
  explicit BitReader(std::span<const uint8_t> bytes)
      : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}

  // Ensures at least 56 bits are buffered, or every remaining bit.
  void refill() {
    if (end_ - p_ >= 8) {
      uint64_t v;
      std::memcpy(&v, p_, 8);
      if constexpr (std::endian::native == std::endian::big)
        v = __builtin_bswap64(v);
      buf_ |= v << avail_;
      p_ += (63 - avail_) >> 3;
      avail_ |= 56;
    } else {
      while (avail_ <= 56 && p_ < end_) {
        buf_ |= static_cast<uint64_t>(*p_++) << avail_;
        avail_ += 8;
      }
    }
  }
  unsigned available() const { return avail_; }
  uint64_t peek() const { return buf_; }
  void consume(unsigned n) {
    if (n > avail_) {
      fail();
      return;
    }
    buf_ >>= n;
    avail_ -= n;
  }
  // Up to 32 bits.
  uint32_t bits(unsigned n) {
    if (n == 0)
      return 0;
    if (avail_ < n)
      refill();
    auto v = static_cast<uint32_t>(buf_ & ((uint64_t{1} << n) - 1));
    consume(n);
    return overrun_ ? 0 : v;
  }
  bool overrun() const { return overrun_; }
  void fail() {
    overrun_ = true;
    buf_ = 0;
    avail_ = 0;
    p_ = end_;
  }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
  uint64_t buf_ = 0;
  unsigned avail_ = 0;
  bool overrun_ = false;
};

}  // namespace pangea::trie::format
