#include "cache_index.h"

#include <arpa/inet.h>

#include <cstring>
#include <span>
#include <vector>

namespace pangea::unbound {
namespace {

// Unbound's limit for a chain it follows (MAX_RESTART_COUNT) is 11 steps;
// anything past this is not a chain the iterator stored.
constexpr size_t kMaxNames = 1 + 2 * 16;

void add(CachedNames& index, std::span<const std::span<const uint8_t>> names, uint16_t qtype,
         uint16_t qclass) {
  if (names.empty())
    return;
  index.add_message(names[0], qtype, qclass, names.subspan(1));
}

// Whether `list` holds the question `qinfo` alone (no chain).
bool holds_question(const RecordedNames* list, const query_info& qinfo) {
  for (; list != nullptr; list = list->next) {
    if (list->count == 1 && list->qtype == qinfo.qtype && list->qclass == qinfo.qclass &&
        list->lengths[0] == qinfo.qname_len &&
        query_dname_compare(const_cast<uint8_t*>(list->names[0]), qinfo.qname) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

void record_message(CachedNames& index, const query_info& qinfo, const reply_info* rep,
                    regional* region, const QueryRecord* record) {
  if (record != nullptr && *record->list == nullptr)
    *record->epoch = index.epoch();
  std::span<const uint8_t> names[kMaxNames];
  size_t count = 0;
  names[count++] = {qinfo.qname, qinfo.qname_len};
  if (rep != nullptr) {
    for (size_t i = 0; i < rep->an_numrrsets && i < rep->rrset_count; ++i) {
      const ub_packed_rrset_key* rrset = rep->rrsets[i];
      if (rrset == nullptr || ntohs(rrset->rk.type) != LDNS_RR_TYPE_CNAME ||
          count + 2 > kMaxNames) {
        continue;
      }
      names[count++] = {rrset->rk.dname, rrset->rk.dname_len};
      const auto* data = static_cast<const packed_rrset_data*>(rrset->entry.data);
      if (data != nullptr && data->count > 0 && data->rr_len[0] > 2)
        names[count++] = {data->rr_data[0] + 2, data->rr_len[0] - 2};
    }
  }
  // The common case, a query's answer with no chain: its question was recorded
  // when it was passed on, and is still, unless the index was cleared since.
  if (count == 1 && record != nullptr && index.epoch() == *record->epoch &&
      holds_question(*record->list, qinfo)) {
    return;
  }
  add(index, {names, count}, qinfo.qtype, qinfo.qclass);
  if (record == nullptr || region == nullptr)
    return;
  auto* node = static_cast<RecordedNames*>(regional_alloc(region, sizeof(RecordedNames)));
  auto* copies = static_cast<const uint8_t**>(regional_alloc(region, count * sizeof(uint8_t*)));
  auto* lengths = static_cast<size_t*>(regional_alloc(region, count * sizeof(size_t)));
  if (node == nullptr || copies == nullptr || lengths == nullptr)
    return;  // region exhausted: the query fails anyway
  for (size_t i = 0; i < count; ++i) {
    void* copy = regional_alloc_init(region, names[i].data(), names[i].size());
    if (copy == nullptr)
      return;
    copies[i] = static_cast<const uint8_t*>(copy);
    lengths[i] = names[i].size();
  }
  *node = RecordedNames{*record->list, qinfo.qtype, qinfo.qclass, count, copies, lengths};
  *record->list = node;
}

void record_again(CachedNames& index, const RecordedNames* list, uint64_t epoch) {
  if (index.epoch() == epoch)
    return;
  for (; list != nullptr; list = list->next) {
    std::span<const uint8_t> names[kMaxNames];
    const size_t count = std::min(list->count, kMaxNames);
    for (size_t i = 0; i < count; ++i)
      names[i] = {list->names[i], list->lengths[i]};
    add(index, {names, count}, list->qtype, list->qclass);
  }
}

}  // namespace pangea::unbound
