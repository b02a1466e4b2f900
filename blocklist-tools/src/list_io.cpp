#include "list_io.h"

#include <cstdio>

#include "pangea/files/atomic_file.h"
#include "commands.h"
#include "pangea/trie/signature.h"
#include "pangea/version.h"

namespace pangea::tools {

std::shared_ptr<const trie::List> open_list(const std::string& path,
                                            const trie::OpenOptions& options) {
  std::string error;
  std::shared_ptr<const trie::List> list = trie::List::open(path, options, error);
  if (!list) {
    std::fprintf(stderr, "pangea: %s: %s\n", path.c_str(), strip_path(path, error).c_str());
  }
  return list;
}

std::string strip_path(const std::string& path, const std::string& error) {
  std::string prefix = path + ": ";
  return error.starts_with(prefix) ? error.substr(prefix.size()) : error;
}

std::vector<trie::Entry> all_entries(const trie::List& list) {
  std::vector<trie::Entry> entries;
  entries.reserve(list.info().entry_count);
  list.for_each([&](const trie::Entry& entry) { entries.push_back(entry); });
  return entries;
}

bool load_public_keys(const std::vector<std::string>& paths,
                      std::vector<std::array<uint8_t, 32>>& keys) {
  for (const std::string& path : paths) {
    std::string pem, error;
    if (!files::read_file(path, pem, error)) {
      std::fprintf(stderr, "pangea: %s\n", error.c_str());
      return false;
    }
    std::array<uint8_t, 32> raw{};
    if (!trie::parse_public_key(pem, raw, error)) {
      std::fprintf(stderr, "pangea: %s: %s\n", path.c_str(), error.c_str());
      return false;
    }
    keys.push_back(raw);
  }
  return true;
}

int usage_error(const char* command, const std::string& message) {
  std::fprintf(stderr, "pangea %s: %s\n(see 'pangea %s --help')\n", command, message.c_str(),
               command);
  return kExitUsage;
}

std::string generator() {
  return std::string("pangea ") + pangea::kVersion;
}

}  // namespace pangea::tools
