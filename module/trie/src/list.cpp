#include "pangea/trie/list.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "format.h"
#include "huffman.h"
#include "key.h"
#include "pangea/trie/builder.h"  // kMaxBlockSize
#include "pangea/trie/signature.h"
#include "signing.h"

namespace pangea::trie {

using namespace format;

Metadata MetadataView::to_owned() const {
  Metadata m;
  m.list = std::string(list);
  m.category = std::string(category);
  m.agency = std::string(agency);
  m.referral = std::string(referral);
  m.legal_basis = std::string(legal_basis);
  m.referral_date = referral_date;
  m.not_before = not_before;
  m.not_after = not_after;
  m.action = action;
  return m;
}

namespace {

// Owns the mapped or copied bytes.
class Storage {
 public:
  virtual ~Storage() = default;
  virtual std::span<const uint8_t> bytes() const = 0;
};

class MappedStorage final : public Storage {
 public:
  MappedStorage(void* addr, size_t size) : addr_(addr), size_(size) {}
  ~MappedStorage() override { munmap(addr_, size_); }
  std::span<const uint8_t> bytes() const override {
    return {static_cast<const uint8_t*>(addr_), size_};
  }

 private:
  void* addr_;
  size_t size_;
};

class VectorStorage final : public Storage {
 public:
  explicit VectorStorage(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  std::span<const uint8_t> bytes() const override { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

std::string hex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

bool all_zero(std::span<const uint8_t> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

// Key buffers: the longest key, plus the index prefix copied before a short
// first key is known to end, plus a whole token copied past the end.
constexpr size_t kKeyBuffer = kMaxKey + kIndexPrefix + kMaxTokenLength;

// A table of short strings (tokens, top-level labels): u32 count, one length
// octet each, then their octets, concatenated. Calls visit(index, offset in the
// section, octets) for each, which may refuse one (false, error set); false
// with `error` set when the table itself is malformed.
template <typename Visit>
bool read_string_table(Cursor c, const std::string& section, size_t max_count, size_t max_length,
                       std::string& error, Visit&& visit) {
  const uint32_t count = c.u32();
  if (!c.ok() || count > max_count) {
    error = "bad " + section + " section: " + std::to_string(count) + " entries (at most " +
            std::to_string(max_count) + ")";
    return false;
  }
  auto lengths = c.bytes(count);
  if (!c.ok()) {
    error = "truncated: " + section + " section ends inside the lengths";
    return false;
  }
  for (uint32_t i = 0; i < count; ++i) {
    const uint8_t len = lengths[i];
    if (len == 0 || len > max_length) {
      error = "bad " + section + " section: entry " + std::to_string(i) + " has length " +
              std::to_string(len) + " (expected 1-" + std::to_string(max_length) + ")";
      return false;
    }
    const size_t at = c.pos();
    auto octets = c.bytes(len);
    if (!c.ok()) {
      error = "truncated: " + section + " section ends inside entry " + std::to_string(i);
      return false;
    }
    if (!visit(size_t{i}, at, octets))
      return false;
  }
  if (c.remaining() != 0) {
    error = "bad " + section + " section: trailing bytes";
    return false;
  }
  return true;
}

struct StackEntry {
  uint8_t len;
  uint32_t value_class;
};

class ListImpl final : public List {
 public:
  explicit ListImpl(std::unique_ptr<Storage> storage)
      : storage_(std::move(storage)), file_(storage_->bytes()) {}

  bool verify(const OpenOptions& options, std::string& error);

  const ListInfo& info() const override { return info_; }
  const std::optional<ChangeList>& changes() const override { return changes_; }
  size_t lookup(std::span<const uint8_t> wire_name, std::span<Match> out) const noexcept override;
  MetadataView metadata(uint32_t metadata_id) const override;
  void for_each(const std::function<void(const Entry&)>& visit) const override;
  std::unique_ptr<EntryCursor> entries() const override;

 private:
  class Entries;

  bool verify_header(std::string& error);
  bool verify_sections(std::string& error);
  bool verify_changes(std::string& error);
  bool verify_codes(std::string& error);
  bool verify_top_labels(std::string& error);
  // Rank of a top-level label (length octet first), -1 when the list has none.
  int64_t top_label_rank(const uint8_t* label) const noexcept;
  bool verify_tables(std::string& error);

  uint64_t index_at(size_t block) const { return index_.u64_at(block * 8); }
  std::span<const uint8_t> block_bytes(size_t block) const {
    uint32_t begin = offsets_.u32_at(block * 4);
    uint32_t end = offsets_.u32_at(block * 4 + 4);
    return blocks_.sub(begin, end - begin);
  }
  size_t entries_in(size_t block) const {
    return block + 1 == block_count_ ? info_.entry_count - block * info_.block_size
                                     : info_.block_size;
  }

  // Decodes a key's octets from `from` on; the label containing `from` started at
  // `label_start` and has `rem` octets left (0: `from` is a label boundary).
  // Returns the key length or -1 for corrupt input.
  int decode_suffix(BitReader& in, uint8_t* key, size_t from, size_t label_start, size_t rem) const;
  // Decodes the first key of `block`, using the index prefix.
  int decode_first_key(BitReader& in, size_t block, uint8_t* key) const;
  // Decodes the rest of a key that shares `lcp` octets with the previous key, `len` long.
  int decode_next_key(BitReader& in, uint8_t* key, size_t lcp) const;
  int64_t decode_value(BitReader& in) const;
  // -1, 0, 1 for the first key of `block` against `q`; 2 for corrupt.
  int compare_first_key(size_t block, const uint8_t* q, size_t qlen) const;
  // Scans `block` for the matches of key q (see docs/format.md "Lookup"); returns
  // how many were written, or kFirstKeyAbove when the block starts after q.
  static constexpr int kFirstKeyAbove = -2;
  int scan_block(size_t block, const uint8_t* q, size_t qlen, const uint8_t* labels_at,
                 std::span<Match> out) const noexcept;
  void value_record(uint32_t value_class, uint32_t& meta, Policy& policy, Scope& scope) const {
    size_t at = size_t{value_class} * kValueRecordSize;
    meta = values_.u32_at(at);
    uint8_t flags = values_.u8_at(at + 4);
    policy = flags != 0 ? Policy::allow : Policy::block;
    scope = values_.u8_at(at + 5) != 0 ? Scope::exact : Scope::subtree;
  }

  std::unique_ptr<Storage> storage_;
  std::span<const uint8_t> file_;
  ListInfo info_;
  Cursor strings_, metadata_, values_, codes_, index_, offsets_, blocks_, token_section_,
      top_label_section_, changes_section_;
  bool has_changes_ = false;
  std::optional<ChangeList> changes_;
  size_t block_count_ = 0;
  size_t value_classes_ = 0;
  size_t value_alphabet_ = 0;
  int64_t lone_value_ = -1;  // the only value class, when the value code is a lone symbol
  unsigned escape_bits_ = 0;
  Decoder boundary_, lcp_, value_;
  std::array<TokenDecoder, kTokenContexts> token_tables_;
  // Each token's octets in a 16-octet slot (zero-padded), so that a decoded token
  // is one fixed-size copy.
  std::vector<std::array<uint8_t, kMaxTokenLength>> tokens_;
  std::vector<uint8_t> token_lengths_;
  std::vector<uint8_t> token_next_context_;
  // Top-level labels: where each starts in the section (its octets; the
  // length octets come first), and an open-addressing table of rank + 1 by
  // hash, built at open (at most a few thousand labels in practice).
  std::vector<uint32_t> top_label_at_;
  std::vector<uint8_t> top_label_length_;
  std::vector<uint32_t> top_label_slots_;
  size_t index_tail_ = 0;
};

bool ListImpl::verify(const OpenOptions& options, std::string& error) {
  if (!verify_header(error) || !verify_sections(error) || !verify_codes(error) ||
      !verify_top_labels(error) || !verify_tables(error) || !verify_changes(error)) {
    return false;
  }
  if (!options.trusted_keys.empty()) {
    if (!info_.signed_embedded) {
      error = "unsigned list, but trusted keys are configured";
      return false;
    }
    const std::array<uint8_t, 32>* signer = nullptr;
    for (const auto& k : options.trusted_keys) {
      if (key_id(k) == info_.signer_key_id)
        signer = &k;
    }
    if (signer == nullptr) {
      error = "signed by key id " + hex(info_.signer_key_id) + ", which is not a trusted key";
      return false;
    }
    if (!verify_embedded_signature(file_, *signer)) {
      error = "bad signature (key id " + hex(info_.signer_key_id) + ")";
      return false;
    }
  }
  return true;
}

bool ListImpl::verify_header(std::string& error) {
  const size_t size = file_.size();
  if (size < kHeaderSize) {
    error = "truncated: file has " + std::to_string(size) + " bytes, the header alone needs " +
            std::to_string(kHeaderSize);
    return false;
  }
  Cursor h(file_.first(kHeaderSize));
  auto magic = h.bytes(8);
  if (!std::equal(magic.begin(), magic.end(), kMagic.begin())) {
    error = "not a compiled list: bad magic";
    return false;
  }
  info_.format_version = h.u32();
  if (info_.format_version != kVersion) {
    error = "unsupported format version " + std::to_string(info_.format_version) +
            " (this reader supports " + std::to_string(kVersion) + ")";
    return false;
  }
  uint32_t header_size = h.u32();
  if (header_size != kHeaderSize) {
    error = "bad header size " + std::to_string(header_size);
    return false;
  }
  uint64_t flags = h.u64();
  uint64_t file_size = h.u64();
  if (file_size != size) {
    error = (file_size > size ? "truncated: header says " : "trailing data: header says ") +
            std::to_string(file_size) + " bytes, file has " + std::to_string(size);
    return false;
  }
  if ((flags & 0xffffffffu & ~kKnownRequiredFlags) != 0) {
    error = "unsupported required flags " + std::to_string(flags & 0xffffffffu);
    return false;
  }
  info_.file_bytes = size;
  info_.entry_count = h.u64();
  info_.metadata_count = h.u64();
  info_.serial = h.u64();
  info_.build_time = static_cast<int64_t>(h.u64());
  auto digest = h.bytes(32);
  std::copy(digest.begin(), digest.end(), info_.source_digest.begin());
  auto generator = h.bytes(kGeneratorSize);
  size_t glen = 0;
  while (glen < generator.size() && generator[glen] != 0) {
    if (generator[glen] < 0x20 || generator[glen] >= 0x7f) {
      error = "bad header: generator string is not printable ASCII";
      return false;
    }
    ++glen;
  }
  if (glen == generator.size() || !all_zero(generator.subspan(glen))) {
    error = "bad header: generator string not NUL-padded";
    return false;
  }
  info_.generator.assign(reinterpret_cast<const char*>(generator.data()), glen);
  uint32_t sections = h.u32();
  info_.block_size = h.u32();
  auto key_id_bytes = h.bytes(8);
  std::copy(key_id_bytes.begin(), key_id_bytes.end(), info_.signer_key_id.begin());
  auto signature = h.bytes(kSignatureSize);
  uint64_t reserved = h.u64();
  uint64_t checksum = h.u64();
  info_.signed_embedded = (flags & kFlagSigned) != 0;
  if (!h.ok() || reserved != 0) {
    error = "bad header: reserved field is not zero";
    return false;
  }
  if (!info_.signed_embedded && (!all_zero(key_id_bytes) || !all_zero(signature))) {
    error = "bad header: signature slot set in an unsigned list";
    return false;
  }
  if (sections > 64 || kHeaderSize + uint64_t{sections} * kSectionEntrySize > size) {
    error = "truncated: section table of " + std::to_string(sections) +
            " entries ends past end of file " + std::to_string(size);
    return false;
  }
  if (header_checksum(file_) != checksum) {
    error = "checksum mismatch in header";
    return false;
  }
  if (info_.block_size < 1 || info_.block_size > kMaxBlockSize) {
    error = "bad header: block size " + std::to_string(info_.block_size);
    return false;
  }
  return true;
}

// The optional change list: a header, then keys (a length octet of 1-255, the
// key octets), well formed (labels of 1-63 octets) and strictly increasing.
bool ListImpl::verify_changes(std::string& error) {
  if (!has_changes_)
    return true;
  Cursor c = changes_section_;
  ChangeList changes;
  changes.previous_id = c.u64();
  changes.previous_serial = c.u64();
  const uint64_t count = c.u64();
  if (!c.ok() || count > c.remaining() / 2) {
    error = "bad changes section: " + std::to_string(count) + " keys in " +
            std::to_string(changes_section_.size()) + " octets";
    return false;
  }
  changes.keys.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    const uint8_t length = c.u8();
    const std::span<const uint8_t> key = c.bytes(length);
    bool labels_ok = c.ok() && length > 0;
    for (size_t at = 0; labels_ok && at < key.size(); at += size_t{key[at]} + 1)
      labels_ok = key[at] >= 1 && key[at] <= 63 && key.size() - at > key[at];
    const bool increasing =
        changes.keys.empty() ||
        std::lexicographical_compare(changes.keys.back().begin(), changes.keys.back().end(),
                                     key.begin(), key.end());
    if (!labels_ok || !increasing) {
      error = "bad changes section: key " + std::to_string(i) + " is " +
              (labels_ok ? "out of order" : "malformed");
      return false;
    }
    changes.keys.push_back(key);
  }
  if (c.remaining() != 0) {
    error = "bad changes section: " + std::to_string(c.remaining()) + " trailing octets";
    return false;
  }
  changes_ = std::move(changes);
  return true;
}

bool ListImpl::verify_sections(std::string& error) {
  const size_t size = file_.size();
  uint32_t sections = load_u32(file_.data() + kOffSectionCount);
  Cursor table(file_.subspan(kHeaderSize, size_t{sections} * kSectionEntrySize));
  size_t covered = kHeaderSize + size_t{sections} * kSectionEntrySize;  // bytes accounted for
  std::array<bool, kLastSection + 1> seen{};
  info_.content_id = content_id(file_);
  for (uint32_t s = 0; s < sections; ++s) {
    uint32_t id = table.u32();
    uint32_t flags = table.u32();
    uint64_t offset = table.u64();
    uint64_t length = table.u64();
    uint64_t checksum = table.u64();
    std::string name = "'" + std::string(section_name(id)) + "'";
    if (id < kFirstSection || id > kLastSection)
      name = "#" + std::to_string(id);
    if (flags != 0) {
      error = "bad section table: section " + name + " has unknown flags";
      return false;
    }
    if (offset % kAlign != 0 || offset < covered || offset - covered >= kAlign) {
      error = "bad section table: section " + name + " at byte " + std::to_string(offset) +
              " is misplaced (expected " + std::to_string(covered) + ", 8-aligned)";
      return false;
    }
    if (offset > size || length > size - offset) {
      error = "truncated: section " + name + " ends at byte " + std::to_string(offset + length) +
              " past end of file " + std::to_string(size);
      return false;
    }
    if (!all_zero(file_.subspan(covered, offset - covered))) {
      error = "padding before section " + name + " is not zero";
      return false;
    }
    auto data = file_.subspan(offset, length);
    if (XXH3_64bits(data.data(), data.size()) != checksum) {
      error = "checksum mismatch in section " + name;
      return false;
    }
    covered = offset + length;
    info_.sections.push_back(ListInfo::Section{
        id < kFirstSection || id > kLastSection ? name : std::string(section_name(id)), length});
    if (id < kFirstSection || id > kLastSection)
      continue;  // unknown: verified, ignored
    if (seen[id]) {
      error = "bad section table: section " + name + " appears twice";
      return false;
    }
    seen[id] = true;
    Cursor c(data);
    switch (static_cast<SectionId>(id)) {
      case SectionId::strings:
        strings_ = c;
        break;
      case SectionId::metadata:
        metadata_ = c;
        break;
      case SectionId::values:
        values_ = c;
        break;
      case SectionId::codes:
        codes_ = c;
        break;
      case SectionId::index:
        index_ = c;
        break;
      case SectionId::offsets:
        offsets_ = c;
        break;
      case SectionId::blocks:
        blocks_ = c;
        break;
      case SectionId::tokens:
        token_section_ = c;
        break;
      case SectionId::top_labels:
        top_label_section_ = c;
        break;
      case SectionId::changes:
        changes_section_ = c;
        has_changes_ = true;
        break;
    }
  }
  if (size - covered >= kAlign || !all_zero(file_.subspan(covered))) {
    error = "bad padding after the last section";
    return false;
  }
  for (uint32_t id = kFirstSection; id <= kLastRequiredSection; ++id) {
    if (!seen[id]) {
      error = "missing section '" + std::string(section_name(id)) + "'";
      return false;
    }
  }
  return true;
}

bool ListImpl::verify_codes(std::string& error) {
  // Tokens first: the token tables' alphabet is the token count.
  token_lengths_.clear();
  tokens_.clear();
  token_next_context_.clear();
  if (!read_string_table(token_section_, "tokens", kMaxTokens, kMaxTokenLength, error,
                         [&](size_t, size_t, std::span<const uint8_t> octets) {
                           token_lengths_.push_back(static_cast<uint8_t>(octets.size()));
                           auto& slot = tokens_.emplace_back();
                           std::copy(octets.begin(), octets.end(), slot.begin());
                           token_next_context_.push_back(token_context_after(octets.back()));
                           return true;
                         })) {
    return false;
  }
  const size_t token_count = tokens_.size();

  Cursor c = codes_;
  uint32_t tables = c.u32();
  uint32_t reserved = c.u32();
  if (!c.ok() || reserved != 0 || tables != kTableCount) {
    error = "bad codes section: " + std::to_string(tables) + " tables (expected " +
            std::to_string(kTableCount) + ")";
    return false;
  }
  for (size_t i = 0; i < tables; ++i) {
    const bool token_table = i >= kTableFirstToken;
    size_t expected = i == kTableBoundary ? kBoundaryAlphabet
                      : i == kTableLcp    ? kLcpAlphabet
                      : token_table       ? token_count
                                          : 0;
    uint16_t alphabet = c.u16();
    auto lengths = c.bytes(alphabet);
    if (!c.ok()) {
      error = "truncated: codes section ends inside table " + std::to_string(i);
      return false;
    }
    if ((i != kTableValue && alphabet != expected) ||
        (i == kTableValue && alphabet > kMaxValueAlphabet)) {
      error = "bad codes section: table " + std::to_string(i) + " has " + std::to_string(alphabet) +
              " symbols";
      return false;
    }
    std::string why;
    if (!valid_code_lengths(lengths, why)) {
      error = "bad codes section: table " + std::to_string(i) + ": " + why;
      return false;
    }
    if (i == kTableBoundary)
      boundary_.init(lengths);
    if (i == kTableLcp)
      lcp_.init(lengths);
    if (i == kTableValue) {
      value_.init(lengths);
      value_alphabet_ = alphabet;
      size_t used = 0, symbol = 0;
      for (size_t k = 0; k < lengths.size(); ++k) {
        if (lengths[k] != 0) {
          ++used;
          symbol = k;
        }
      }
      lone_value_ = used == 1 ? static_cast<int64_t>(symbol) : -1;
      if (alphabet == 0 && info_.entry_count != 0) {
        error = "bad codes section: no value codes";
        return false;
      }
    }
    if (token_table)
      token_tables_[i - kTableFirstToken].init(lengths, token_lengths_, token_next_context_);
  }
  if (c.remaining() != 0) {
    error = "bad codes section: trailing bytes";
    return false;
  }
  return true;
}

bool ListImpl::verify_tables(std::string& error) {
  // Metadata records.
  if (metadata_.size() != info_.metadata_count * kMetadataRecordSize ||
      info_.metadata_count > UINT32_MAX) {
    error = "bad metadata section: size " + std::to_string(metadata_.size()) + " for " +
            std::to_string(info_.metadata_count) + " records";
    return false;
  }
  for (size_t r = 0; r < info_.metadata_count; ++r) {
    size_t at = r * kMetadataRecordSize;
    for (size_t f = 0; f < 5; ++f) {
      uint64_t off = metadata_.u32_at(at + f * 8);
      uint64_t len = metadata_.u32_at(at + f * 8 + 4);
      if (off + len > strings_.size()) {
        error = "bad metadata record " + std::to_string(r) + ": string past the string table";
        return false;
      }
    }
    uint8_t action = metadata_.u8_at(at + 64);
    uint8_t present = metadata_.u8_at(at + 65);
    if (action > static_cast<uint8_t>(Action::log_only) || present > 7 ||
        !all_zero(metadata_.sub(at + 66, 6))) {
      error = "bad metadata record " + std::to_string(r);
      return false;
    }
    for (size_t t = 0; t < 3; ++t) {
      if ((present & (1u << t)) == 0 && metadata_.u64_at(at + 40 + t * 8) != 0) {
        error = "bad metadata record " + std::to_string(r) + ": absent time is not zero";
        return false;
      }
    }
  }
  // Value classes.
  if (values_.size() % kValueRecordSize != 0) {
    error = "bad values section size";
    return false;
  }
  value_classes_ = values_.size() / kValueRecordSize;
  for (size_t v = 0; v < value_classes_; ++v) {
    size_t at = v * kValueRecordSize;
    if (values_.u32_at(at) >= info_.metadata_count || values_.u8_at(at + 4) > 1 ||
        values_.u8_at(at + 5) > 1 || values_.u8_at(at + 6) != 0 || values_.u8_at(at + 7) != 0) {
      error = "bad value record " + std::to_string(v);
      return false;
    }
  }
  if (value_classes_ > kMaxValueAlphabet) {
    size_t extra = value_classes_ - kMaxValueAlphabet;
    escape_bits_ = 0;
    while (extra > 0) {
      ++escape_bits_;
      extra >>= 1;
    }
  }
  if (lone_value_ >= 0 &&
      (static_cast<size_t>(lone_value_) >= value_classes_ || value_classes_ > kMaxValueAlphabet)) {
    lone_value_ = -1;  // decode it the long way (and fail there if it is invalid)
  }
  size_t value_alphabet = std::min(value_classes_, kMaxValueAlphabet);
  if (value_alphabet_ != value_alphabet) {
    error = "bad codes section: value table does not match the values section";
    return false;
  }
  // Block index and offsets.
  uint64_t blocks = (info_.entry_count + info_.block_size - 1) / info_.block_size;
  if (index_.size() != blocks * 8 || offsets_.size() != (blocks + 1) * 4 ||
      info_.entry_count > UINT32_MAX * uint64_t{info_.block_size}) {
    error = "bad index: " + std::to_string(index_.size() / 8) + " blocks for " +
            std::to_string(info_.entry_count) + " entries";
    return false;
  }
  block_count_ = blocks;
  if (offsets_.u32_at(0) != 0 || offsets_.u32_at(blocks * 4) != blocks_.size()) {
    error = "bad offsets: they do not span the blocks section";
    return false;
  }
  for (size_t b = 0; b < blocks; ++b) {
    if (offsets_.u32_at(b * 4) >= offsets_.u32_at(b * 4 + 4)) {
      error = "bad offsets: block " + std::to_string(b) + " is empty or out of order";
      return false;
    }
    if (b > 0 && index_at(b - 1) > index_at(b)) {
      error = "bad index: block " + std::to_string(b) + " is out of order";
      return false;
    }
    if ((index_at(b) >> (8 * index_tail_)) >= top_label_at_.size()) {
      error = "bad index: block " + std::to_string(b) + " names top-level label " +
              std::to_string(index_at(b) >> (8 * index_tail_)) + " of " +
              std::to_string(top_label_at_.size());
      return false;
    }
  }
  return true;
}

namespace {

uint64_t top_label_hash(const uint8_t* label) {
  return XXH3_64bits(label, size_t{1} + label[0]);
}

}  // namespace

bool ListImpl::verify_top_labels(std::string& error) {
  top_label_at_.clear();
  top_label_length_.clear();
  std::span<const uint8_t> previous;
  const bool read = read_string_table(
      top_label_section_, "top_labels", kMaxTopLabels, kMaxLabel, error,
      [&](size_t i, size_t at, std::span<const uint8_t> octets) {
        // Strictly increasing in key order: the length octet first, then the octets.
        if (i > 0 && !(previous.size() < octets.size() ||
                       (previous.size() == octets.size() &&
                        std::lexicographical_compare(previous.begin(), previous.end(),
                                                     octets.begin(), octets.end())))) {
          error = "bad top_labels section: entry " + std::to_string(i) + " is out of order";
          return false;
        }
        previous = octets;
        top_label_at_.push_back(static_cast<uint32_t>(at));
        top_label_length_.push_back(static_cast<uint8_t>(octets.size()));
        return true;
      });
  if (!read)
    return false;
  size_t slots = 16;
  while (slots < 2 * top_label_at_.size())
    slots *= 2;
  top_label_slots_.assign(slots, 0);
  uint8_t label[1 + kMaxLabel];
  for (size_t i = 0; i < top_label_at_.size(); ++i) {
    label[0] = top_label_length_[i];
    auto octets = top_label_section_.sub(top_label_at_[i], label[0]);
    std::copy(octets.begin(), octets.end(), label + 1);
    size_t slot = top_label_hash(label) & (slots - 1);
    while (top_label_slots_[slot] != 0)
      slot = (slot + 1) & (slots - 1);
    top_label_slots_[slot] = static_cast<uint32_t>(i + 1);
  }
  index_tail_ = index_tail(top_label_at_.size());
  return true;
}

int64_t ListImpl::top_label_rank(const uint8_t* label) const noexcept {
  const size_t mask = top_label_slots_.size() - 1;
  for (size_t slot = top_label_hash(label) & mask;; slot = (slot + 1) & mask) {
    const uint32_t entry = top_label_slots_[slot];
    if (entry == 0)
      return -1;
    const size_t rank = entry - 1;
    if (top_label_length_[rank] == label[0] &&
        std::memcmp(top_label_section_.sub(top_label_at_[rank], label[0]).data(), label + 1,
                    label[0]) == 0) {
      return static_cast<int64_t>(rank);
    }
  }
}

int ListImpl::decode_suffix(BitReader& reader, uint8_t* key, size_t from, size_t label_start,
                            size_t rem) const {
  // Hot loop of every lookup. Works on a local copy of the reader: stores through
  // the uint8_t* key may alias anything, which would force the reader's state
  // back to memory after every token. `key` has kMaxTokenLength octets of slack:
  // a token is copied whole and then only its length counts.
  BitReader in = reader;
  size_t pos = from;
  size_t context =
      rem == 0 || pos == label_start + 1 ? kContextLabelStart : token_context_after(key[pos - 1]);
  int result = -1;
  for (;;) {
    while (rem > 0) {
      const int32_t t = token_tables_[context].decode(in);
      if (t < 0)
        goto done;
      const auto len = static_cast<size_t>((t >> 16) & 0xff);
      if (len > rem)
        goto done;
      std::memcpy(key + pos, tokens_[static_cast<size_t>(t & 0xfff)].data(), kMaxTokenLength);
      pos += len;
      rem -= len;
      context = static_cast<size_t>(t >> 24);
    }
    int s = boundary_.decode(in);
    if (s < 0)
      goto done;
    if (s == kEndSymbol)
      break;
    if (s == 0 || static_cast<size_t>(s) > kMaxLabel ||
        pos + 1 + static_cast<size_t>(s) > kMaxKey) {
      goto done;
    }
    key[pos++] = static_cast<uint8_t>(s);
    rem = static_cast<size_t>(s);
    context = kContextLabelStart;
  }
  result = in.overrun() ? -1 : static_cast<int>(pos);
done:
  reader = in;
  return result;
}

int ListImpl::decode_first_key(BitReader& in, size_t block, uint8_t* key) const {
  // The index entry gives the top-level label (by rank) and the next
  // index_tail_ octets; the block codes the rest, if any.
  const uint64_t entry = index_at(block);
  const size_t rank = static_cast<size_t>(entry >> (8 * index_tail_));
  if (rank >= top_label_at_.size())
    return -1;
  const uint8_t top = top_label_length_[rank];
  key[0] = top;
  auto octets = top_label_section_.sub(top_label_at_[rank], top);
  std::copy(octets.begin(), octets.end(), key + 1);
  const size_t tail = size_t{1} + top;
  for (size_t i = 0; i < index_tail_; ++i)
    key[tail + i] = static_cast<uint8_t>(entry >> (8 * (index_tail_ - 1 - i)));
  const size_t indexed = tail + index_tail_;
  size_t pos = tail;
  size_t label_start = 0;
  while (pos < indexed) {
    if (key[pos] == 0)
      return static_cast<int>(pos);  // the key ends inside the index entry
    if (key[pos] > kMaxLabel)
      return -1;
    label_start = pos;
    pos += key[pos] + 1;
  }
  if (pos == indexed)
    return decode_suffix(in, key, indexed, indexed, 0);
  return decode_suffix(in, key, indexed, label_start, pos - indexed);
}

int ListImpl::decode_next_key(BitReader& in, uint8_t* key, size_t lcp) const {
  size_t pos = 0;
  size_t label_start = 0;
  while (pos < lcp) {
    label_start = pos;
    pos += key[pos] + 1;
  }
  const int len = decode_suffix(in, key, lcp, label_start, pos - lcp);
  // Every key holds a label: an empty one (lcp 0, then the end symbol) only comes
  // from a crafted file, and must not reach for_each as an entry named "".
  return len == 0 ? -1 : len;
}

int64_t ListImpl::decode_value(BitReader& in) const {
  // A list whose entries all share one class (one list, all block/subtree) codes
  // values in zero bits: nothing to read.
  if (lone_value_ >= 0)
    return lone_value_;
  int s = value_.decode(in);
  if (s < 0)
    return -1;
  uint64_t cls = static_cast<uint64_t>(s);
  if (value_classes_ > kMaxValueAlphabet && cls == kMaxValueAlphabet - 1) {
    cls += in.bits(escape_bits_);
  }
  if (cls >= value_classes_ || in.overrun())
    return -1;
  return static_cast<int64_t>(cls);
}

int ListImpl::compare_first_key(size_t block, const uint8_t* q, size_t qlen) const {
  uint8_t key[kKeyBuffer];
  BitReader in(block_bytes(block));
  int len = decode_first_key(in, block, key);
  if (len < 0)
    return 2;
  size_t n = std::min(static_cast<size_t>(len), qlen);
  int c = std::memcmp(key, q, n);
  if (c != 0)
    return c < 0 ? -1 : 1;
  return static_cast<size_t>(len) < qlen ? -1 : static_cast<size_t>(len) > qlen ? 1 : 0;
}

size_t ListImpl::lookup(std::span<const uint8_t> wire_name, std::span<Match> out) const noexcept {
  uint8_t q[kMaxKey + 1];
  uint8_t labels_at[kMaxKey + 1] = {};
  int qlen_signed = key_from_wire(wire_name, q, labels_at);
  if (qlen_signed <= 0 || block_count_ == 0 || out.empty())
    return 0;
  const size_t qlen = static_cast<size_t>(qlen_signed);

  // Predecessor search: the last block whose index prefix is <= q's (branch-free:
  // the comparisons are unpredictable, the loads mostly cached).
  // A name whose top-level label no entry has cannot match anything.
  const int64_t rank = top_label_rank(q);
  if (rank < 0)
    return 0;
  const uint64_t q8 = index_entry(static_cast<uint64_t>(rank), index_tail_, q, qlen);
  size_t block = 0;
  for (size_t n = block_count_; n > 1;) {
    size_t half = n / 2;
    block = index_at(block + half) <= q8 ? block + half : block;
    n -= half;
  }
  if (index_at(block) > q8)
    return 0;
  if (block > 0 && index_at(block - 1) == q8) {
    // Several blocks share the prefix (rare): binary search by whole first keys.
    size_t upper = block + 1;
    size_t lo = 0, hi = block;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (index_at(mid) < q8) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    while (lo < upper) {
      size_t mid = lo + (upper - lo) / 2;
      int c = compare_first_key(mid, q, qlen);
      if (c == 2)
        return 0;
      if (c <= 0) {
        lo = mid + 1;
      } else {
        upper = mid;
      }
    }
    if (lo == 0)
      return 0;
    block = lo - 1;
  }
  int found = scan_block(block, q, qlen, labels_at, out);
  if (found == kFirstKeyAbove && block > 0) {
    // The block's prefix equals q's but its first key is greater: the previous
    // block (with a smaller prefix) holds the predecessor.
    found = scan_block(block - 1, q, qlen, labels_at, out);
  }
  return found > 0 ? static_cast<size_t>(found) : 0;
}

int ListImpl::scan_block(size_t block, const uint8_t* q, size_t qlen, const uint8_t* labels_at,
                         std::span<Match> out) const noexcept {
  // Scan the block: K = the greatest key <= q; `stack` holds the in-set keys that
  // are prefixes of the current key (block header ancestors, then scanned keys).
  StackEntry stack[kMaxLabels];
  size_t depth = 0;
  uint8_t key[kKeyBuffer];
  BitReader in(block_bytes(block));
  int len = decode_first_key(in, block, key);
  if (len < 0)
    return 0;
  int64_t cls = decode_value(in);
  if (cls < 0)
    return 0;
  if (in.bits(1) != 0) {
    size_t ancestors = in.bits(kAncestorCountBits);
    for (size_t a = 0; a < ancestors; ++a) {
      size_t alen = in.bits(8);
      int64_t acls = decode_value(in);
      if (acls < 0 || alen >= static_cast<size_t>(len) || depth == kMaxLabels ||
          (depth > 0 && alen <= stack[depth - 1].len)) {
        return 0;
      }
      stack[depth++] = {static_cast<uint8_t>(alen), static_cast<uint32_t>(acls)};
    }
  }
  // m = lcp(current key, q); the current key is < q unless `equal`.
  size_t m = 0;
  size_t klen = static_cast<size_t>(len);
  while (m < klen && m < qlen && key[m] == q[m])
    ++m;
  if (m < klen && (m == qlen || key[m] > q[m]))
    return kFirstKeyAbove;
  bool equal = m == klen && m == qlen;
  if (depth == kMaxLabels)
    return 0;
  stack[depth++] = {static_cast<uint8_t>(klen), static_cast<uint32_t>(cls)};
  const size_t entries = entries_in(block);
  for (size_t i = 1; i < entries && !equal; ++i) {
    int lcp_signed = lcp_.decode(in);
    if (lcp_signed < 0 || static_cast<size_t>(lcp_signed) > klen)
      return 0;
    size_t lcp = static_cast<size_t>(lcp_signed);
    if (lcp < m)
      break;  // differs from q earlier than the previous key did, upwards: > q
    int next_len = decode_next_key(in, key, lcp);
    if (next_len < 0)
      return 0;
    size_t nlen = static_cast<size_t>(next_len);
    size_t nm = m;
    if (lcp == m) {
      while (nm < nlen && nm < qlen && key[nm] == q[nm])
        ++nm;
      if (nm < nlen && (nm == qlen || key[nm] > q[nm]))
        break;  // > q
      equal = nm == nlen && nm == qlen;
    }
    int64_t ncls = decode_value(in);
    if (ncls < 0)
      return 0;
    while (depth > 0 && stack[depth - 1].len > lcp)
      --depth;
    if (depth == kMaxLabels)
      return 0;
    stack[depth++] = {static_cast<uint8_t>(nlen), static_cast<uint32_t>(ncls)};
    m = nm;
    klen = nlen;
  }

  size_t written = 0;
  for (size_t d = depth; d-- > 0 && written < out.size();) {
    const StackEntry& e = stack[d];
    if (e.len > m || labels_at[e.len] == 0)
      continue;
    Match match;
    value_record(e.value_class, match.metadata_id, match.policy, match.scope);
    if (e.len < qlen && match.scope != Scope::subtree)
      continue;
    match.labels = labels_at[e.len];
    out[written++] = match;
  }
  return static_cast<int>(written);
}

MetadataView ListImpl::metadata(uint32_t metadata_id) const {
  MetadataView view;
  if (metadata_id >= info_.metadata_count)
    return view;
  size_t at = size_t{metadata_id} * kMetadataRecordSize;
  std::string_view* fields[] = {&view.list, &view.category, &view.agency, &view.referral,
                                &view.legal_basis};
  for (size_t f = 0; f < 5; ++f) {
    auto bytes = strings_.sub(metadata_.u32_at(at + f * 8), metadata_.u32_at(at + f * 8 + 4));
    *fields[f] = std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  uint8_t present = metadata_.u8_at(at + 65);
  std::optional<int64_t>* times[] = {&view.referral_date, &view.not_before, &view.not_after};
  for (size_t t = 0; t < 3; ++t) {
    if ((present & (1u << t)) != 0) {
      *times[t] = static_cast<int64_t>(metadata_.u64_at(at + 40 + t * 8));
    }
  }
  view.action = static_cast<Action>(metadata_.u8_at(at + 64));
  return view;
}

// Decodes the blocks in order, one entry per next(): the front-coded keys of a
// block depend on the previous key, so the cursor keeps the current key.
class ListImpl::Entries final : public EntryCursor {
 public:
  explicit Entries(const ListImpl& list) : list_(list), in_(std::span<const uint8_t>{}) {}

  bool next(RawEntry& entry) override {
    while (index_ == entries_) {
      if (block_ + 1 >= list_.block_count_)
        return false;
      ++block_;
      in_ = BitReader(list_.block_bytes(block_));
      entries_ = list_.entries_in(block_);
      index_ = 0;
    }
    if (index_ == 0) {
      len_ = list_.decode_first_key(in_, block_, key_);
    } else {
      const int lcp = list_.lcp_.decode(in_);
      if (lcp < 0 || lcp > len_)
        corrupt();
      len_ = list_.decode_next_key(in_, key_, static_cast<size_t>(lcp));
    }
    if (len_ < 0)
      corrupt();
    const int64_t cls = list_.decode_value(in_);
    if (cls < 0)
      corrupt();
    if (index_ == 0 && in_.bits(1) != 0) {
      // The block header's ancestors serve lookups; enumeration skips them.
      const size_t ancestors = in_.bits(kAncestorCountBits);
      for (size_t a = 0; a < ancestors; ++a) {
        in_.bits(8);
        if (list_.decode_value(in_) < 0)
          corrupt();
      }
    }
    ++index_;
    entry.key = {key_, static_cast<size_t>(len_)};
    list_.value_record(static_cast<uint32_t>(cls), entry.metadata_id, entry.policy, entry.scope);
    return true;
  }

 private:
  [[noreturn]] void corrupt() const {
    throw std::runtime_error("corrupt list: block " + std::to_string(block_) + " does not decode");
  }

  const ListImpl& list_;
  size_t block_ = SIZE_MAX;  // SIZE_MAX + 1 == 0: the first next() opens block 0
  size_t entries_ = 0;
  size_t index_ = 0;
  BitReader in_;
  int len_ = -1;
  uint8_t key_[kKeyBuffer];
};

std::unique_ptr<EntryCursor> ListImpl::entries() const {
  return std::make_unique<Entries>(*this);
}

void ListImpl::for_each(const std::function<void(const Entry&)>& visit) const {
  Entries cursor(*this);
  RawEntry raw;
  while (cursor.next(raw)) {
    Entry entry;
    entry.name = name_from_key(raw.key);
    entry.policy = raw.policy;
    entry.scope = raw.scope;
    entry.meta = metadata(raw.metadata_id).to_owned();
    visit(entry);
  }
}

std::shared_ptr<const List> make_list(std::unique_ptr<Storage> storage, const OpenOptions& options,
                                      std::string& error) {
  auto list = std::make_shared<ListImpl>(std::move(storage));
  if (!list->verify(options, error))
    return nullptr;
  return list;
}

}  // namespace

std::shared_ptr<const List> List::open(const std::string& path, const OpenOptions& options,
                                       std::string& error) {
  // O_NONBLOCK: a FIFO put in the list's place must not block the reload
  // thread (and with it Unbound's reload) waiting for a writer; it is then
  // refused below as not a regular file.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    error = path + ": " + std::strerror(errno);
    return nullptr;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    error = path + ": " + std::strerror(errno);
    ::close(fd);
    return nullptr;
  }
  if (!S_ISREG(st.st_mode)) {
    error = path + ": not a regular file";
    ::close(fd);
    return nullptr;
  }
  auto size = static_cast<size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    error = path + ": truncated: file is empty";
    return nullptr;
  }
  void* addr = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  int saved = errno;
  ::close(fd);
  if (addr == MAP_FAILED) {
    error = path + ": mmap: " + std::strerror(saved);
    return nullptr;
  }
  auto list = make_list(std::make_unique<MappedStorage>(addr, size), options, error);
  if (!list)
    error = path + ": " + error;
  return list;
}

std::shared_ptr<const List> List::from_bytes(std::vector<uint8_t> bytes, const OpenOptions& options,
                                             std::string& error) {
  return make_list(std::make_unique<VectorStorage>(std::move(bytes)), options, error);
}

}  // namespace pangea::trie
