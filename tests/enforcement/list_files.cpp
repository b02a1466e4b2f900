#include "list_files.h"

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string>

#include <catch2/catch.hpp>

#include "pangea/trie/builder.h"

namespace pangea::integration {

trie::Entry block(std::string name, std::string agency, std::string referral) {
  trie::Entry entry;
  entry.name = std::move(name);
  entry.meta.list = "fr-customs";
  entry.meta.agency = std::move(agency);
  entry.meta.referral = std::move(referral);
  entry.meta.category = "illegal-pharmacy";
  return entry;
}

trie::Entry exact_block(std::string name) {
  trie::Entry entry = block(std::move(name));
  entry.scope = trie::Scope::exact;
  return entry;
}

trie::Entry allow(std::string name) {
  trie::Entry entry;
  entry.name = std::move(name);
  entry.policy = trie::Policy::allow;
  return entry;
}

std::string compile_list(const std::vector<trie::Entry>& entries, uint64_t serial) {
  trie::Builder builder;
  for (const auto& entry : entries)
    builder.add(entry);
  trie::BuildOptions options;
  options.generator = "pangea integration tests";
  options.build_time = 1764460800;
  options.serial = serial;
  const auto bytes = builder.finish(options);
  return std::string(bytes.begin(), bytes.end());
}

void replace_list(const std::filesystem::path& path, const std::vector<trie::Entry>& entries,
                  uint64_t serial) {
  const auto tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    const auto bytes = compile_list(entries, serial);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out)
      throw std::runtime_error("cannot write " + tmp);
  }
  std::filesystem::rename(tmp, path);
}

ResolverOptions watched_list(const std::vector<trie::Entry>& entries,
                             const std::string& extra_config, const std::string& module_config) {
  ResolverOptions options;
  options.module_config = module_config;
  options.files["fr.pbl"] = compile_list(entries, 1);
  options.pangea_config =
      "version: 1\n"
      "lists:\n"
      "  - { name: fr, file: fr.pbl, action: nxdomain, ttl: 60 }\n"
      "reload: { interval_ms: 50 }\n" +
      extra_config;
  return options;
}

void swap_list(TestResolver& r, const std::vector<trie::Entry>& entries, uint64_t serial) {
  const size_t from = r.log_size();
  replace_list(r.path("fr.pbl"), entries, serial);
  INFO(r.log_tail());
  REQUIRE(r.wait_for_log("generation " + std::to_string(serial) + " in force",
                         std::chrono::milliseconds(5000), from));
}

}  // namespace pangea::integration
