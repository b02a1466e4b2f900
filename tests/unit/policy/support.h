#pragma once
// Helpers shared by the policy tests: temporary directories, wire names and
// small compiled lists built with pangea::trie::Builder.

#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "pangea/trie/builder.h"
#include "pangea/trie/entry.h"
#include "pangea/trie/name.h"

namespace pangea::policy::test {

inline const std::string kFixtures = PANGEA_POLICY_FIXTURES;
inline const std::string kMmdbDir = std::string(PANGEA_TEST_DATA_DIR) + "/mmdb";

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/pangea-policy-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::vector<uint8_t> wire(const std::string& name) {
  auto out = trie::wire_from_text(name);
  if (!out)
    throw std::invalid_argument("bad test name " + name);
  return *out;
}

inline trie::Entry entry(const std::string& name, trie::Policy policy = trie::Policy::block,
                         trie::Scope scope = trie::Scope::subtree, trie::Metadata meta = {}) {
  trie::Entry e;
  e.name = name;
  e.policy = policy;
  e.scope = scope;
  e.meta = std::move(meta);
  return e;
}

inline trie::Entry allow(const std::string& name, trie::Scope scope = trie::Scope::subtree) {
  return entry(name, trie::Policy::allow, scope);
}

inline trie::Entry exact(const std::string& name) {
  return entry(name, trie::Policy::block, trie::Scope::exact);
}

inline trie::Metadata meta_window(std::optional<int64_t> not_before,
                                  std::optional<int64_t> not_after) {
  trie::Metadata meta;
  meta.not_before = not_before;
  meta.not_after = not_after;
  return meta;
}

inline trie::Metadata meta_action(trie::Action action) {
  trie::Metadata meta;
  meta.action = action;
  return meta;
}

inline std::vector<uint8_t> build_list(const std::vector<trie::Entry>& entries,
                                       uint64_t serial = 1) {
  trie::Builder builder;
  for (const auto& e : entries)
    builder.add(e);
  trie::BuildOptions options;
  options.generator = "pangea policy tests";
  options.build_time = 1764000000;
  options.serial = serial;
  return builder.finish(options);
}

inline void write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out)
    throw std::runtime_error("cannot write " + path);
}

inline void write_text(const std::string& path, const std::string& text) {
  write_file(path, std::vector<uint8_t>(text.begin(), text.end()));
}

// Replaces `path` the way the compiler does: write a temporary file, rename it over.
inline void replace_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  const std::string temporary = path + ".tmp";
  write_file(temporary, bytes);
  std::filesystem::rename(temporary, path);
}

}  // namespace pangea::policy::test
