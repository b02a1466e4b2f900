#include "pangea/trie/signature.h"

#include "format.h"
#include "test_util.h"

using namespace pangea::trie;
using namespace pangea::trie::test;

namespace {

std::array<uint8_t, 32> public_key(const KeyPair& pair) {
  std::array<uint8_t, 32> raw{};
  std::string error;
  REQUIRE(parse_public_key(pair.public_pem, raw, error));
  return raw;
}

std::vector<uint8_t> signed_file(const std::vector<uint8_t>& file, const KeyPair& pair) {
  std::vector<uint8_t> out;
  std::string error;
  INFO(error);
  REQUIRE(sign_list(file, pair.private_pem, out, error));
  return out;
}

}  // namespace

TEST_CASE("signature: keys are PEM PKCS#8 and SPKI", "[signature]") {
  auto pair = generate_key_pair();
  CHECK(pair.private_pem.rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
  CHECK(pair.public_pem.rfind("-----BEGIN PUBLIC KEY-----", 0) == 0);
  std::array<uint8_t, 32> raw{};
  std::string error;
  CHECK(parse_public_key(pair.public_pem, raw, error));
  CHECK_FALSE(parse_public_key("garbage", raw, error));
  CHECK_FALSE(error.empty());
  CHECK_FALSE(parse_public_key(pair.private_pem, raw, error));
}

TEST_CASE("signature: verify with the right key, refuse wrong key, unsigned and tampered",
          "[signature]") {
  auto pair = generate_key_pair();
  auto other = generate_key_pair();
  const auto file = build_bytes({make_entry("cheap-pills.example"), make_entry("a.test")});
  const auto signed_bytes = signed_file(file, pair);
  REQUIRE(signed_bytes.size() == file.size());
  OpenOptions pinned;
  pinned.trusted_keys = {public_key(pair)};
  OpenOptions wrong;
  wrong.trusted_keys = {public_key(other)};
  OpenOptions both;
  both.trusted_keys = {public_key(other), public_key(pair)};

  std::string error;
  auto list = List::from_bytes(signed_bytes, pinned, error);
  REQUIRE(list != nullptr);
  CHECK(list->info().signed_embedded);
  CHECK(list->info().signer_key_id == key_id(public_key(pair)));
  CHECK(lookup(*list, "www.cheap-pills.example").size() == 1);
  CHECK(List::from_bytes(signed_bytes, both, error) != nullptr);
  // No keys pinned: a signed list opens too (the signature is not checked).
  CHECK(List::from_bytes(signed_bytes, {}, error) != nullptr);

  CHECK(List::from_bytes(signed_bytes, wrong, error) == nullptr);
  CHECK(error.find("not a trusted key") != std::string::npos);
  CHECK(List::from_bytes(file, pinned, error) == nullptr);
  CHECK(error == "unsigned list, but trusted keys are configured");

  // Tamper after signing, with every checksum recomputed: only the signature notices.
  auto tampered = signed_bytes;
  {
    using namespace pangea::trie::format;
    store_u64(tampered.data() + kOffSerial, 999);
    store_u64(tampered.data() + kOffHeaderChecksum, header_checksum(tampered));
  }
  CHECK(List::from_bytes(tampered, {}, error) != nullptr);
  CHECK(List::from_bytes(tampered, pinned, error) == nullptr);
  CHECK(error.rfind("bad signature", 0) == 0);
  // A flipped signature byte breaks the header checksum even without pinned keys.
  auto flipped = signed_bytes;
  flipped[pangea::trie::format::kOffSignature] ^= 1;
  CHECK(List::from_bytes(flipped, {}, error) == nullptr);

  // Re-signing with another key replaces the signature.
  auto resigned = signed_file(signed_bytes, other);
  CHECK(List::from_bytes(resigned, wrong, error) != nullptr);
  CHECK(List::from_bytes(resigned, pinned, error) == nullptr);
}

TEST_CASE("signature: sign_list refuses invalid input and bad keys", "[signature]") {
  auto pair = generate_key_pair();
  std::vector<uint8_t> out;
  std::string error;
  CHECK_FALSE(sign_list({1, 2, 3}, pair.private_pem, out, error));
  CHECK(error.rfind("not a valid list", 0) == 0);
  auto file = build_bytes({make_entry("a.test")});
  CHECK_FALSE(sign_list(file, pair.public_pem, out, error));
  CHECK_FALSE(sign_list(file, "", out, error));
}
