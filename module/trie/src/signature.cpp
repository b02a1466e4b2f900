#include "pangea/trie/signature.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/err.h>

#include <memory>

#include "format.h"
#include "pangea/trie/list.h"
#include "signing.h"

namespace pangea::trie {

using namespace format;

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct CtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct PctxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

std::string openssl_error(const char* what) {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0)
    return what;
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return std::string(what) + ": " + buf;
}

std::string write_pem(EVP_PKEY* key, bool private_key) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio)
    throw std::runtime_error("BIO_new failed");
  int ok = private_key
               ? PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr)
               : PEM_write_bio_PUBKEY(bio.get(), key);
  if (ok != 1)
    throw std::runtime_error(openssl_error("PEM write failed"));
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

std::array<uint8_t, 56> signed_message(std::span<const uint8_t> file) {
  std::array<uint8_t, 56> msg{};
  static_assert(kSignatureContext.size() == 24);
  std::copy(kSignatureContext.begin(), kSignatureContext.end(), msg.begin());
  auto digest = signing_digest(file);
  std::copy(digest.begin(), digest.end(), msg.begin() + 24);
  return msg;
}

}  // namespace

namespace format {

bool verify_embedded_signature(std::span<const uint8_t> file,
                               const std::array<uint8_t, 32>& public_key) {
  Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(), 32));
  if (!key) {
    ERR_clear_error();
    return false;
  }
  auto msg = signed_message(file);
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
            EVP_DigestVerify(ctx.get(), file.data() + kOffSignature, kSignatureSize, msg.data(),
                             msg.size()) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace format

KeyPair generate_key_pair() {
  std::unique_ptr<EVP_PKEY_CTX, PctxFree> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &raw) != 1) {
    throw std::runtime_error(openssl_error("Ed25519 key generation failed"));
  }
  Pkey key(raw);
  return {write_pem(key.get(), true), write_pem(key.get(), false)};
}

bool parse_public_key(const std::string& pem, std::array<uint8_t, 32>& raw, std::string& error) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Pkey key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) {
    error = openssl_error("not a PEM public key");
    return false;
  }
  if (EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519) {
    error = "public key is not an Ed25519 key";
    return false;
  }
  size_t len = raw.size();
  if (EVP_PKEY_get_raw_public_key(key.get(), raw.data(), &len) != 1 || len != raw.size()) {
    error = openssl_error("cannot read the raw public key");
    return false;
  }
  return true;
}

std::array<uint8_t, 8> key_id(const std::array<uint8_t, 32>& raw_public_key) {
  std::array<uint8_t, 32> digest{};
  unsigned int len = 0;
  EVP_Digest(raw_public_key.data(), raw_public_key.size(), digest.data(), &len, EVP_sha256(),
             nullptr);
  std::array<uint8_t, 8> id;
  std::copy(digest.begin(), digest.begin() + 8, id.begin());
  return id;
}

bool sign_list(const std::vector<uint8_t>& file, const std::string& private_pem,
               std::vector<uint8_t>& signed_file, std::string& error) {
  std::string why;
  if (!List::from_bytes(file, {}, why)) {
    error = "not a valid list: " + why;
    return false;
  }
  Bio bio(BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size())));
  Pkey key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) {
    error = openssl_error("not a PEM private key");
    return false;
  }
  if (EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519) {
    error = "private key is not an Ed25519 key";
    return false;
  }
  std::array<uint8_t, 32> pub{};
  size_t pub_len = pub.size();
  if (EVP_PKEY_get_raw_public_key(key.get(), pub.data(), &pub_len) != 1) {
    error = openssl_error("cannot derive the public key");
    return false;
  }
  std::vector<uint8_t> out = file;
  uint8_t* h = out.data();
  store_u64(h + kOffFlags, load_u64(h + kOffFlags) | kFlagSigned);
  auto id = key_id(pub);
  std::copy(id.begin(), id.end(), h + kOffKeyId);
  std::fill(h + kOffSignature, h + kOffSignature + kSignatureSize, 0);
  auto msg = signed_message(out);
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  size_t sig_len = kSignatureSize;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), h + kOffSignature, &sig_len, msg.data(), msg.size()) != 1 ||
      sig_len != kSignatureSize) {
    error = openssl_error("signing failed");
    return false;
  }
  store_u64(h + kOffHeaderChecksum, header_checksum(out));
  signed_file = std::move(out);
  return true;
}

}  // namespace pangea::trie
