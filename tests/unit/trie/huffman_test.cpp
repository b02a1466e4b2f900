#include "huffman.h"

#include <random>

#include <catch2/catch.hpp>

using namespace pangea::trie::format;

namespace {

void round_trip(const std::vector<uint64_t>& freqs, const std::vector<uint16_t>& message) {
  auto lengths = code_lengths(freqs);
  std::string why;
  REQUIRE(valid_code_lengths(lengths, why));
  Encoder enc(lengths);
  BitWriter out;
  for (auto s : message)
    out.put(enc.code[s], enc.length[s]);
  out.flush();
  Decoder dec;
  dec.init(lengths);
  BitReader in(out.bytes());
  for (auto s : message)
    REQUIRE(dec.decode(in) == s);
  CHECK_FALSE(in.overrun());
}

}  // namespace

TEST_CASE("huffman: codes round-trip and respect the length limit", "[huffman]") {
  // Fibonacci weights force deep trees without the limit.
  std::vector<uint64_t> fib(40);
  fib[0] = fib[1] = 1;
  for (size_t i = 2; i < fib.size(); ++i)
    fib[i] = fib[i - 1] + fib[i - 2];
  auto lengths = code_lengths(fib);
  for (auto l : lengths)
    CHECK(l <= kMaxCodeLength);
  std::vector<uint16_t> message;
  for (uint16_t s = 0; s < 40; ++s)
    message.push_back(s);
  round_trip(fib, message);

  std::mt19937 rng(3);
  std::vector<uint64_t> freqs(257);
  for (auto& f : freqs)
    f = rng() % 1000;
  freqs[5] = 0;
  std::vector<uint16_t> msg;
  for (int i = 0; i < 5000; ++i) {
    auto s = static_cast<uint16_t>(rng() % 257);
    if (freqs[s] != 0)
      msg.push_back(s);
  }
  round_trip(freqs, msg);
}

TEST_CASE("huffman: a lone symbol costs zero bits", "[huffman]") {
  std::vector<uint64_t> freqs(10, 0);
  freqs[7] = 100;
  auto lengths = code_lengths(freqs);
  Encoder enc(lengths);
  CHECK(enc.length[7] == 0);
  round_trip(freqs, {7, 7, 7});
}

TEST_CASE("huffman: incomplete or oversubscribed codes are rejected", "[huffman]") {
  std::string why;
  CHECK(valid_code_lengths(std::vector<uint8_t>{1, 1}, why));
  CHECK_FALSE(valid_code_lengths(std::vector<uint8_t>{1, 2}, why));     // incomplete
  CHECK_FALSE(valid_code_lengths(std::vector<uint8_t>{1, 1, 1}, why));  // oversubscribed
  CHECK_FALSE(valid_code_lengths(std::vector<uint8_t>{12, 1}, why));    // too long
  CHECK_FALSE(valid_code_lengths(std::vector<uint8_t>{0, 2}, why));     // lone symbol, length 2
  CHECK(valid_code_lengths(std::vector<uint8_t>{0, 0}, why));           // empty
}

TEST_CASE("huffman: reading past the end latches overrun and returns zeros", "[huffman]") {
  const uint8_t data[] = {0xff};
  BitReader in(data);
  CHECK(in.bits(8) == 0xff);
  CHECK_FALSE(in.overrun());
  CHECK(in.bits(1) == 0);
  CHECK(in.overrun());
  Decoder empty;
  empty.init(std::vector<uint8_t>(4, 0));
  BitReader in2(data);
  CHECK(empty.decode(in2) == -1);
  CHECK(in2.overrun());
}
