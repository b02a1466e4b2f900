#pragma once
// Reading server logs from tests: whole file, last lines (for failure
// messages), and a bounded wait until a line shows up. Files are re-read on
// every call, so these see what the server has written so far.

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

namespace pangea::integration {

// The file's content, or "" if it does not exist (yet).
std::string read_file(const std::filesystem::path& file);

// The last `lines` lines of the file, each prefixed with "  | ", for messages.
std::string tail(const std::filesystem::path& file, size_t lines = 20);

// Polls until the file contains `needle` (true) or `timeout` passes (false).
// `from` skips the first bytes, so a test can wait for something that happens
// after a given point: pass the file size taken before the action.
bool wait_for_text(const std::filesystem::path& file, std::string_view needle,
                   std::chrono::milliseconds timeout, size_t from = 0);

// Current size of the file in bytes (0 if missing).
size_t file_size(const std::filesystem::path& file);

}  // namespace pangea::integration
