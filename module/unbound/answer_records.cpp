#include "answer_records.h"

#include <limits>

#include "pangea/policy/ede.h"

namespace pangea::unbound {

AnswerRecords::AnswerRecords(std::shared_ptr<const policy::Snapshot> snapshot)
    : snapshot_(std::move(snapshot)), tag_(token_tag(snapshot_->generation())) {}

uint32_t AnswerRecords::token_for(const policy::Decision& decision, int64_t now) noexcept {
  try {
    if (decision.source != policy::Source::list || decision.list == nullptr ||
        decision.client_dependent || decision.failed) {
      return 0;
    }
    const Key key{decision.list_index,
                  decision.match.metadata_id,
                  decision.labels,
                  static_cast<uint8_t>(decision.source),
                  static_cast<uint8_t>(decision.action),
                  static_cast<uint8_t>(decision.policy),
                  static_cast<uint8_t>(decision.match.scope),
                  decision.fell_back};
    std::lock_guard lock(mutex_);
    if (auto it = tokens_.find(key); it != tokens_.end()) {
      const AnswerRecord* record = find(it->second);
      // A record made before a validity-window transition no longer stands
      // for decisions taken after it; the answer then goes without a token.
      return record != nullptr && now < record->valid_until ? it->second : 0;
    }
    if (next_index_ >= (uint32_t{1} << kTokenIndexBits))
      return 0;
    auto record = std::make_unique<AnswerRecord>();
    record->decision = decision;
    record->decision.entry = {};
    record->decision.qtype = 0;
    record->valid_until =
        snapshot_->next_transition(now).value_or(std::numeric_limits<int64_t>::max());
    const std::string& text = decision.list->ede.text;
    record->ede_per_hit = text.find("{entry}") != std::string::npos;
    if (!record->ede_per_hit)
      record->ede_text = policy::render_ede_text(text, decision);

    const uint32_t index = next_index_++;
    const size_t chunk = index >> kChunkBits;
    Chunk* slots = chunks_[chunk].load(std::memory_order_relaxed);
    if (slots == nullptr) {
      owned_chunks_.push_back(std::make_unique<Chunk>());
      slots = owned_chunks_.back().get();
      for (auto& slot : *slots)
        slot.store(nullptr, std::memory_order_relaxed);
      chunks_[chunk].store(slots, std::memory_order_release);
    }
    owned_records_.push_back(std::move(record));
    (*slots)[index & (kChunk - 1)].store(owned_records_.back().get(), std::memory_order_release);
    const uint32_t token = (tag_ << kTokenIndexBits) | index;
    tokens_.emplace(key, token);
    return token;
  } catch (...) {
    return 0;  // no memory: the answer is cached without a token
  }
}

const AnswerRecord* AnswerRecords::find(uint32_t token) const noexcept {
  if (tag_of_token(token) != tag_)
    return nullptr;
  const uint32_t index = token & ((uint32_t{1} << kTokenIndexBits) - 1);
  const Chunk* slots = chunks_[index >> kChunkBits].load(std::memory_order_acquire);
  if (slots == nullptr)
    return nullptr;
  return (*slots)[index & (kChunk - 1)].load(std::memory_order_acquire);
}

std::span<const uint8_t> last_labels(std::span<const uint8_t> qname, uint16_t labels) noexcept {
  // Offsets of each label start; a wire name has at most 127 labels.
  size_t starts[128];
  size_t count = 0;
  size_t at = 0;
  while (at < qname.size() && qname[at] != 0 && count < 128) {
    starts[count++] = at;
    at += 1 + qname[at];
  }
  if (at >= qname.size() || labels > count)
    return {};
  return labels == 0 ? qname.subspan(at) : qname.subspan(starts[count - labels]);
}

}  // namespace pangea::unbound
