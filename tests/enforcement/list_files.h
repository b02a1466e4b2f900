#pragma once
// Compiled lists for integration tests, built in-process with the format
// library (the CLI is tested on its own) and written the way `pangea compile`
// writes them: a temporary file renamed over the target.

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

#include "harness/test_resolver.h"
#include "pangea/trie/entry.h"

namespace pangea::integration {

// A subtree block entry with referral metadata.
trie::Entry block(std::string name, std::string agency = "DNRED Cyberdouane",
                  std::string referral = "CYB-2026-0042");
trie::Entry exact_block(std::string name);
trie::Entry allow(std::string name);

// The whole .pbl file for `entries`, as bytes.
std::string compile_list(const std::vector<trie::Entry>& entries, uint64_t serial = 1);

// Replaces `path` atomically with a list of `entries` (temp file + rename).
void replace_list(const std::filesystem::path& path, const std::vector<trie::Entry>& entries,
                  uint64_t serial);

// A resolver whose module enforces <test dir>/fr.pbl, compiled from `entries`
// (serial 1), as list `fr` with action nxdomain and a 60 s TTL, and watches it
// (inotify, and a 50 ms poll); `extra_config` is appended to pangea.yaml.
ResolverOptions watched_list(const std::vector<trie::Entry>& entries,
                             const std::string& extra_config = "",
                             const std::string& module_config = "dynlib validator iterator");

// Replaces the resolver's <test dir>/fr.pbl with `entries` and waits (bounded,
// a Catch2 REQUIRE) until the module put generation `serial` in force, cache
// purge included. Generation 1 is the start.
void swap_list(TestResolver& r, const std::vector<trie::Entry>& entries, uint64_t serial);

}  // namespace pangea::integration
