#pragma once
// Internal: length-limited canonical Huffman codes, LSB-first, as used by the
// blocks section (docs/format.md "Entropy coding").

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "format.h"

namespace pangea::trie::format {

// Code lengths (0 = symbol unused) for `freqs`, none longer than kMaxCodeLength.
// A single used symbol gets length 1 (its code then takes zero bits, see Decoder).
std::vector<uint8_t> code_lengths(std::span<const uint64_t> freqs);

// Checks that `lengths` describe a complete prefix code (or a single symbol, or no
// symbol at all); false + reason otherwise.
bool valid_code_lengths(std::span<const uint8_t> lengths, std::string& error);

// Bit-reversed canonical codes for the encoder.
struct Encoder {
  std::vector<uint16_t> code;
  std::vector<uint8_t> length;  // bits written per symbol (0 for a lone symbol)
  explicit Encoder(std::span<const uint8_t> lengths);
  Encoder() = default;
};

// Table-driven decoder. A 256-entry first-level table resolves codes of up to 8
// bits (almost every symbol of the small tables) with one L1-resident load;
// longer codes fall back to a full 2^kMaxCodeLength table.
class Decoder {
 public:
  static constexpr unsigned kFastBits = 8;
  static constexpr uint16_t kInvalid = 15;  // length field: unused code
  static constexpr uint16_t kSlow = 14;  // length field (fast table only): code longer than 8 bits

  // `lengths` must have passed valid_code_lengths().
  void init(std::span<const uint8_t> lengths);

  // Returns the symbol, or -1 (and latches the reader's overrun) on an invalid code.
  int decode(BitReader& in) const {
    if (in.available() < kMaxCodeLength)
      in.refill();
    uint16_t e = fast_[in.peek() & ((1u << kFastBits) - 1)];
    unsigned len = e >> 9;
    if (len >= kSlow)
      return decode_slow(in);
    in.consume(len);
    return static_cast<int>(e & 0x1ff);
  }

 private:
  int decode_slow(BitReader& in) const {
    uint16_t e = table_[in.peek() & ((1u << kMaxCodeLength) - 1)];
    unsigned len = e >> 9;
    if (len == kInvalid) {
      in.fail();
      return -1;
    }
    in.consume(len);
    return e & 0x1ff;
  }

  std::array<uint16_t, 1u << kFastBits> fast_{};        // symbol | length << 9
  std::array<uint16_t, 1u << kMaxCodeLength> table_{};  // symbol | length << 9
};

// Decoder for a token table: one 2^kMaxCodeLength table whose entries also carry
// the token's length, so a label octet run decodes with one load per token.
class TokenDecoder {
 public:
  static constexpr uint32_t kInvalid = 15;

  // `lengths` must have passed valid_code_lengths(); token_lengths[s] is the
  // length of token s (1..kMaxTokenLength), next_context[s] the context of the
  // token after it.
  void init(std::span<const uint8_t> lengths, std::span<const uint8_t> token_lengths,
            std::span<const uint8_t> next_context);

  // Returns symbol | token length << 16 | next context << 24, or -1 (latching the
  // overrun) on an invalid code.
  int32_t decode(BitReader& in) const {
    if (in.available() < kMaxCodeLength)
      in.refill();
    uint32_t e = table_[in.peek() & ((1u << kMaxCodeLength) - 1)];
    unsigned len = (e >> 12) & 15;
    if (len == kInvalid) {
      in.fail();
      return -1;
    }
    in.consume(len);
    return static_cast<int32_t>((e & 0xfff) | ((e >> 16) << 16));
  }

 private:
  // symbol | code length << 12 | token length << 16 | next context << 24
  std::array<uint32_t, 1u << kMaxCodeLength> table_{};
};

// LSB-first bit writer.
class BitWriter {
 public:
  void put(uint32_t value, unsigned n) {
    acc_ |= static_cast<uint64_t>(value) << fill_;
    fill_ += n;
    while (fill_ >= 8) {
      out_.push_back(static_cast<uint8_t>(acc_));
      acc_ >>= 8;
      fill_ -= 8;
    }
  }
  // Pads with zero bits to a whole octet.
  void flush() {
    if (fill_ > 0)
      out_.push_back(static_cast<uint8_t>(acc_));
    acc_ = 0;
    fill_ = 0;
  }
  std::vector<uint8_t>& bytes() { return out_; }
  uint64_t bit_count() const { return out_.size() * 8 + fill_; }

 private:
  std::vector<uint8_t> out_;
  uint64_t acc_ = 0;
  unsigned fill_ = 0;
};

}  // namespace pangea::trie::format
