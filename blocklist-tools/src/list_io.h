#pragma once
// Shared by the subcommands that read compiled lists.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pangea/trie/entry.h"
#include "pangea/trie/list.h"

namespace pangea::tools {

// Opens and verifies a compiled list; on failure prints "pangea: PATH: reason" to
// stderr and returns null.
std::shared_ptr<const trie::List> open_list(const std::string& path,
                                            const trie::OpenOptions& options = {});

// The reader's error without a leading "PATH: " (List::open names the file itself
// in some messages), so callers can prefix the path exactly once.
std::string strip_path(const std::string& path, const std::string& error);

// Every entry of the list, in the file's order.
std::vector<trie::Entry> all_entries(const trie::List& list);

// Reads PEM public keys into raw keys; prints the reason and returns false on failure.
bool load_public_keys(const std::vector<std::string>& paths,
                      std::vector<std::array<uint8_t, 32>>& keys);

// Prints "pangea <cmd>: <message>" and the usage hint; returns kExitUsage.
int usage_error(const char* command, const std::string& message);

// The generator string written into lists: "pangea 0.1.0".
std::string generator();

}  // namespace pangea::tools
