#pragma once
// Makes a mutated compiled list pass the checksum stage of List::from_bytes, so that
// the fuzzer reaches the structural checks and the lazily decoded blocks behind them
// (a random byte change is otherwise always "checksum mismatch"). Uses the reader's
// own layout constants (module/trie/src/format.h, docs/format.md).
//
// fix_up() rewrites, where they can be located inside the file: file_size, every
// section checksum, then the header checksum. Anything else is left as mutated.

#include <xxhash.h>

#include <cstdint>
#include <vector>

#include "format.h"

namespace pangea::fuzz {

inline void fix_up(std::vector<uint8_t>& file) {
  namespace f = pangea::trie::format;
  if (file.size() < f::kHeaderSize)
    return;
  f::store_u64(file.data() + f::kOffFileSize, file.size());
  const uint64_t sections = f::load_u32(file.data() + f::kOffSectionCount);
  if (sections <= 64 && f::kHeaderSize + sections * f::kSectionEntrySize <= file.size()) {
    for (uint64_t s = 0; s < sections; ++s) {
      uint8_t* entry = file.data() + f::kHeaderSize + s * f::kSectionEntrySize;
      const uint64_t offset = f::load_u64(entry + 8);
      const uint64_t length = f::load_u64(entry + 16);
      if (offset <= file.size() && length <= file.size() - offset) {
        f::store_u64(entry + 24, XXH3_64bits(file.data() + offset, length));
      }
    }
  }
  f::store_u64(file.data() + f::kOffHeaderChecksum, f::header_checksum(file));
}

}  // namespace pangea::fuzz
