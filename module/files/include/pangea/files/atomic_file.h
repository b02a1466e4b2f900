#pragma once
// Writing whole files so that no reader ever sees half of one: a temporary file in
// the target's directory, fsync, rename over the target, fsync the directory
// (PowerDNS dumpZoneToDisk). On any failure the temporary is removed and the
// target is left as it was.

#include <cstdint>
#include <span>
#include <string>

#include <sys/types.h>

namespace pangea::files {

// Writes `data` to `path` atomically with permission bits `mode` (masked by the
// umask, as open(2) would). Returns false and sets `error` to
// "<path>: <what failed>: <strerror>" on failure.
bool write_file_atomic(const std::string& path, std::span<const uint8_t> data, mode_t mode,
                       std::string& error);

// Reads a whole file ("-": stdin). Returns false and sets `error` on failure.
bool read_file(const std::string& path, std::string& contents, std::string& error);

}  // namespace pangea::files
