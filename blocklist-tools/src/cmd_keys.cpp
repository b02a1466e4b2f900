// pangea keygen and pangea sign: Ed25519 keys for compiled lists.
#include <sys/stat.h>

#include <cstdio>
#include <string>
#include <vector>

#include "args.h"
#include "pangea/files/atomic_file.h"
#include "commands.h"
#include "digest.h"
#include "list_io.h"
#include "pangea/trie/signature.h"

namespace pangea::tools {
namespace {

constexpr const char* kKeygenHelp =
    "usage: pangea keygen -o PREFIX [--force]\n"
    "\n"
    "Writes a new Ed25519 key pair: PREFIX.key (PKCS#8 PEM, mode 0600) and PREFIX.pub\n"
    "(SubjectPublicKeyInfo PEM). Refuses to replace an existing PREFIX.key unless --force.\n"
    "\n"
    "exit status: 0 ok, 2 usage or I/O error.\n";

constexpr const char* kSignHelp =
    "usage: pangea sign --key KEY.pem [-o OUT.pbl] LIST.pbl\n"
    "\n"
    "Embeds an Ed25519 signature in a compiled list (replacing any previous one), written\n"
    "atomically to OUT.pbl, or over LIST.pbl without -o.\n"
    "\n"
    "exit status: 0 ok, 1 the list is not valid, 2 usage or I/O error.\n";

std::span<const uint8_t> as_bytes(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

int cmd_keygen(std::span<const std::string> argv) {
  constexpr OptionSpec kOptions[] = {
      {"help", 'h', false}, {"output", 'o', true}, {"force", 0, false}};
  Args args;
  std::string error;
  if (!args.parse(argv, kOptions, error))
    return usage_error("keygen", error);
  if (args.has("help")) {
    std::fputs(kKeygenHelp, stdout);
    return kExitOk;
  }
  auto prefix = args.value("output");
  if (!prefix || !args.positional().empty())
    return usage_error("keygen", "expected -o PREFIX");
  std::string key_path = *prefix + ".key";
  std::string pub_path = *prefix + ".pub";
  struct stat st;
  if (!args.has("force") && ::stat(key_path.c_str(), &st) == 0) {
    std::fprintf(stderr, "pangea: %s exists, not replacing a private key (--force to do it)\n",
                 key_path.c_str());
    return kExitUsage;
  }
  trie::KeyPair pair = trie::generate_key_pair();
  // The private key is written first, with 0600 from creation (mkstemp): it is never
  // readable by others, not even for a moment.
  if (!files::write_file_atomic(key_path, as_bytes(pair.private_pem), 0600, error)) {
    std::fprintf(stderr, "pangea: %s\n", error.c_str());
    return kExitUsage;
  }
  if (!files::write_file_atomic(pub_path, as_bytes(pair.public_pem), 0644, error)) {
    std::fprintf(stderr, "pangea: %s\n", error.c_str());
    return kExitUsage;
  }
  std::array<uint8_t, 32> raw{};
  if (trie::parse_public_key(pair.public_pem, raw, error)) {
    std::printf("wrote %s and %s (key id %s)\n", key_path.c_str(), pub_path.c_str(),
                hex(trie::key_id(raw)).c_str());
  }
  return kExitOk;
}

int cmd_sign(std::span<const std::string> argv) {
  constexpr OptionSpec kOptions[] = {
      {"help", 'h', false}, {"key", 'k', true}, {"output", 'o', true}};
  Args args;
  std::string error;
  if (!args.parse(argv, kOptions, error))
    return usage_error("sign", error);
  if (args.has("help")) {
    std::fputs(kSignHelp, stdout);
    return kExitOk;
  }
  if (args.positional().size() != 1)
    return usage_error("sign", "expected one LIST.pbl");
  auto key_path = args.value("key");
  if (!key_path)
    return usage_error("sign", "missing --key KEY.pem");
  const std::string& path = args.positional()[0];
  std::string key, contents;
  if (!files::read_file(*key_path, key, error) || !files::read_file(path, contents, error)) {
    std::fprintf(stderr, "pangea: %s\n", error.c_str());
    return kExitUsage;
  }
  std::vector<uint8_t> file(contents.begin(), contents.end());
  std::vector<uint8_t> signed_file;
  if (!trie::sign_list(file, key, signed_file, error)) {
    std::fprintf(stderr, "pangea: %s: %s\n", path.c_str(), error.c_str());
    return kExitData;
  }
  std::string output = args.value("output").value_or(path);
  if (!files::write_file_atomic(output, signed_file, 0644, error)) {
    std::fprintf(stderr, "pangea: %s\n", error.c_str());
    return kExitUsage;
  }
  std::string verify_error;
  auto list = trie::List::from_bytes(signed_file, {}, verify_error);
  if (list && list->info().signed_embedded) {
    std::fprintf(stderr, "pangea: signed %s (key id %s)\n", output.c_str(),
                 hex(list->info().signer_key_id).c_str());
  }
  return kExitOk;
}

}  // namespace pangea::tools
