#pragma once
// Synthesises sinkhole answers into a query state. Everything is allocated in
// qstate->region, so nothing here touches the heap or outlives the query.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "unbound_api.h"

namespace pangea::unbound {

// No EDE option (the info-code space is 16 bits; 0xffff is not assigned).
inline constexpr uint16_t kNoEde = 0xffff;

enum class SinkholeKind : uint8_t { nxdomain, nodata, redirect, cname, refuse, drop };

// What to answer. Spans and views must stay valid for the duration of the call.
struct Sinkhole {
  SinkholeKind kind = SinkholeKind::nxdomain;
  uint32_t ttl = 300;  // TTL of synthesised records, and negative TTL of the SOA
  std::span<const std::array<uint8_t, 4>> a;      // redirect: A records
  std::span<const std::array<uint8_t, 16>> aaaa;  // redirect: AAAA records
  std::span<const uint8_t> cname_target;          // cname: wire-format target
  std::span<const uint8_t> soa_mname;             // wire-format SOA MNAME
  std::span<const uint8_t> soa_rname;             // wire-format SOA RNAME
  uint32_t soa_serial = 1;                        // the matched list's serial, modulo 2^32
  uint32_t soa_refresh = 3600;
  uint32_t soa_retry = 600;
  uint32_t soa_expire = 86400;
  uint16_t ede_code = kNoEde;  // RFC 8914 info-code
  std::string_view ede_text;
};

// Where the blocked name sits in the answer: `blocked_name` is the wire name the
// policy matched (the query name, or a CNAME target in its chain) and
// `zone_labels` the number of labels of the matching entry (the SOA owner).
// `chain` holds CNAME rrsets to keep in front of the sinkhole (chain hits).
struct SinkholeSite {
  std::span<const uint8_t> blocked_name;
  size_t zone_labels = 0;
  std::span<ub_packed_rrset_key* const> chain;
};

// Fills qstate->return_msg / return_rcode / is_drop and the EDE option for
// `hole`. Returns false when the region is exhausted (the caller answers
// SERVFAIL through module_error).
bool answer_with_sinkhole(module_qstate* qstate, const Sinkhole& hole, const SinkholeSite& site);

// Answers with one TXT record per string (each cut to 255 octets), TTL 0 and no
// EDE: the module's status name. Other query types get NODATA without SOA.
bool answer_with_status(module_qstate* qstate, std::span<const std::string> texts);

// For the cname action: appends the answer section of the landing name's
// subquery `landing` to `answer` (in `super`'s region), taking its rcode.
// Leaves `answer` as it was when the subquery failed.
void append_landing(module_qstate* super, dns_msg*& answer, const module_qstate* landing);

}  // namespace pangea::unbound
