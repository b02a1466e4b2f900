#include "cname_chain.h"

namespace pangea::unbound {

std::span<const uint8_t> cname_rdata_target(const ub_packed_rrset_key* rrset) {
  const auto* data = static_cast<const packed_rrset_data*>(rrset->entry.data);
  if (data == nullptr || data->count == 0 || data->rr_len[0] < 3)
    return {};
  const uint8_t* rdata = data->rr_data[0] + 2;
  const size_t size = data->rr_len[0] - 2;
  // Names in cached/parsed rdata are uncompressed; still, never trust a length
  // byte to stay inside the rdata.
  size_t pos = 0;
  while (pos < size && rdata[pos] != 0) {
    if ((rdata[pos] & 0xc0) != 0)
      return {};
    pos += 1 + rdata[pos];
  }
  if (pos >= size)
    return {};
  return {rdata, pos + 1};
}

}  // namespace pangea::unbound
