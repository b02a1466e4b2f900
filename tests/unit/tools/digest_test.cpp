#include "digest.h"

#include <catch2/catch.hpp>

using namespace pangea::tools;

TEST_CASE("SHA-256 known answers", "[digest]") {
  Sha256 empty;
  CHECK(hex(empty.finish()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256 abc;
  abc.update("a");
  abc.update("bc");
  CHECK(hex(abc.finish()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("the input digest separates inputs", "[digest]") {
  InputDigest one, two, same;
  one.add("ab");
  one.add("c");
  two.add("a");
  two.add("bc");
  same.add("ab");
  same.add("c");
  auto a = one.finish();
  CHECK(a != two.finish());
  CHECK(a == same.finish());
}

TEST_CASE("hex", "[digest]") {
  std::array<uint8_t, 3> bytes{0x00, 0xab, 0xff};
  CHECK(hex(bytes) == "00abff");
}
