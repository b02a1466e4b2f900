#pragma once
// Walks the CNAME chain of a resolved answer. The iterator follows CNAMEs
// internally, so the module only ever sees the first name of a chain: a listed
// target is found here, after resolution, as RPZ does.

#include <cstddef>
#include <cstdint>
#include <span>

#include "unbound_api.h"

namespace pangea::unbound {

// One CNAME target in the answer section: the name, and how many answer rrsets
// (the chain up to and including the CNAME that points at it) lead there.
struct ChainLink {
  std::span<const uint8_t> target;
  size_t rrsets_before = 0;
};

// Calls visit(link) for each CNAME target, in chain order, starting from the
// question name; stops early when visit returns true. Returns whether it did.
template <typename Visit>
bool walk_cname_chain(const dns_msg* msg, Visit&& visit);

// Implementation detail, exposed for the template.
std::span<const uint8_t> cname_rdata_target(const ub_packed_rrset_key* rrset);

template <typename Visit>
bool walk_cname_chain(const dns_msg* msg, Visit&& visit) {
  if (msg == nullptr || msg->rep == nullptr)
    return false;
  const uint8_t* current = msg->qinfo.qname;
  // A chain longer than the answer section would be a loop; bound it by the count.
  for (size_t i = 0; i < msg->rep->an_numrrsets && i < msg->rep->rrset_count; ++i) {
    const ub_packed_rrset_key* rrset = msg->rep->rrsets[i];
    if (ntohs(rrset->rk.type) != LDNS_RR_TYPE_CNAME)
      continue;
    if (query_dname_compare(const_cast<uint8_t*>(current), rrset->rk.dname) != 0)
      continue;
    const auto target = cname_rdata_target(rrset);
    if (target.empty())
      return false;
    if (visit(ChainLink{target, i + 1}))
      return true;
    current = target.data();
  }
  return false;
}

}  // namespace pangea::unbound
