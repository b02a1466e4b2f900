#include "answer.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "cached_answer.h"

namespace pangea::unbound {
namespace {

struct Rdata {
  const uint8_t* bytes;
  size_t size;
};

// Lays an RRset out in one contiguous block, as packed_rrset_sizeof() and
// packed_rrset_ptr_fixup() (used by every copy, e.g. into the cache) expect:
// data struct, rr_len[], rr_data[], rr_ttl[], then every rdata prefixed with
// its 2-byte length.
ub_packed_rrset_key* make_rrset(regional* region, std::span<const uint8_t> owner, uint16_t type,
                                uint16_t klass, uint32_t ttl, std::span<const Rdata> rdatas) {
  auto* key =
      static_cast<ub_packed_rrset_key*>(regional_alloc_zero(region, sizeof(ub_packed_rrset_key)));
  if (key == nullptr)
    return nullptr;
  key->rk.dname = static_cast<uint8_t*>(regional_alloc_init(region, owner.data(), owner.size()));
  if (key->rk.dname == nullptr)
    return nullptr;
  key->rk.dname_len = owner.size();
  key->rk.type = htons(type);
  key->rk.rrset_class = htons(klass);
  // Marks the RRset as Pangea's: in the RRset cache it never meets (or
  // replaces) real data, and the cache-hit callback recognises the answer. The
  // hash must be set for an RRset that may be stored (see cached_answer.h).
  key->rk.flags = kPangeaRrsetFlags;
  key->entry.hash = rrset_key_hash(&key->rk);
  key->entry.key = key;

  const size_t count = rdatas.size();
  size_t total =
      sizeof(packed_rrset_data) + count * (sizeof(size_t) + sizeof(time_t) + sizeof(uint8_t*));
  for (const auto& rd : rdatas)
    total += 2 + rd.size;
  auto* block = static_cast<uint8_t*>(regional_alloc_zero(region, total));
  if (block == nullptr)
    return nullptr;
  auto* data = reinterpret_cast<packed_rrset_data*>(block);
  data->ttl = ttl;
  data->count = count;
  data->trust = rrset_trust_auth_noAA;
  data->security = sec_status_insecure;
  data->rr_len = reinterpret_cast<size_t*>(block + sizeof(packed_rrset_data));
  data->rr_data = reinterpret_cast<uint8_t**>(data->rr_len + count);
  data->rr_ttl = reinterpret_cast<time_t*>(data->rr_data + count);
  uint8_t* cursor = reinterpret_cast<uint8_t*>(data->rr_ttl + count);
  for (size_t i = 0; i < count; ++i) {
    data->rr_len[i] = 2 + rdatas[i].size;
    data->rr_ttl[i] = ttl;
    data->rr_data[i] = cursor;
    const auto rdlength = static_cast<uint16_t>(rdatas[i].size);
    cursor[0] = static_cast<uint8_t>(rdlength >> 8);
    cursor[1] = static_cast<uint8_t>(rdlength & 0xff);
    std::memcpy(cursor + 2, rdatas[i].bytes, rdatas[i].size);
    cursor += 2 + rdatas[i].size;
  }
  key->entry.data = data;
  return key;
}

// The last `labels` labels of a wire name (the name must be well formed).
std::span<const uint8_t> suffix_labels(std::span<const uint8_t> name, size_t labels) {
  size_t total = 0;
  for (size_t pos = 0; pos < name.size() && name[pos] != 0; pos += 1 + name[pos])
    ++total;
  size_t skip = total > labels ? total - labels : 0;
  size_t pos = 0;
  while (skip-- > 0)
    pos += 1 + name[pos];
  return name.subspan(pos);
}

void put_u32(uint8_t* out, uint32_t value) {
  out[0] = static_cast<uint8_t>(value >> 24);
  out[1] = static_cast<uint8_t>(value >> 16);
  out[2] = static_cast<uint8_t>(value >> 8);
  out[3] = static_cast<uint8_t>(value);
}

ub_packed_rrset_key* make_soa(regional* region, std::span<const uint8_t> owner, uint16_t klass,
                              const Sinkhole& hole) {
  const size_t size = hole.soa_mname.size() + hole.soa_rname.size() + 20;
  auto* rdata = static_cast<uint8_t*>(regional_alloc(region, size));
  if (rdata == nullptr)
    return nullptr;
  uint8_t* p = rdata;
  std::memcpy(p, hole.soa_mname.data(), hole.soa_mname.size());
  p += hole.soa_mname.size();
  std::memcpy(p, hole.soa_rname.data(), hole.soa_rname.size());
  p += hole.soa_rname.size();
  for (uint32_t value :
       {hole.soa_serial, hole.soa_refresh, hole.soa_retry, hole.soa_expire, hole.ttl}) {
    put_u32(p, value);
    p += 4;
  }
  const Rdata rd{rdata, size};
  return make_rrset(region, owner, LDNS_RR_TYPE_SOA, klass, hole.ttl, std::span(&rd, 1));
}

dns_msg* new_message(module_qstate* qstate, size_t capacity) {
  dns_msg* msg = dns_msg_create(qstate->qinfo.qname, qstate->qinfo.qname_len, qstate->qinfo.qtype,
                                qstate->qinfo.qclass, qstate->region, capacity);
  if (msg == nullptr)
    return nullptr;
  // RA: we are a recursive resolver. AA and AD stay clear: this is policy, not
  // authoritative or validated data. Insecure, because a validator treats
  // unchecked data as bogus and would turn the answer into SERVFAIL.
  msg->rep->flags = BIT_QR | BIT_RA;
  msg->rep->authoritative = 0;
  msg->rep->security = sec_status_insecure;
  return msg;
}

void set_ttls(reply_info* rep, uint32_t ttl) {
  rep->ttl = ttl;
  rep->prefetch_ttl = PREFETCH_TTL_CALC(rep->ttl);
  rep->serve_expired_ttl = rep->ttl + SERVE_EXPIRED_TTL;
}

bool add_answer(dns_msg* msg, ub_packed_rrset_key* rrset) {
  if (rrset == nullptr)
    return false;
  msg->rep->rrsets[msg->rep->rrset_count++] = rrset;
  msg->rep->an_numrrsets++;
  return true;
}

bool add_authority(dns_msg* msg, ub_packed_rrset_key* rrset) {
  if (rrset == nullptr)
    return false;
  msg->rep->rrsets[msg->rep->rrset_count++] = rrset;
  msg->rep->ns_numrrsets++;
  return true;
}

bool attach_ede(module_qstate* qstate, const Sinkhole& hole) {
  if (hole.ede_code == kNoEde)
    return true;
  // The text is copied into the region by edns_opt_list_append_ede; it needs a
  // NUL-terminated string.
  auto* text = static_cast<char*>(regional_alloc(qstate->region, hole.ede_text.size() + 1));
  if (text == nullptr)
    return false;
  std::memcpy(text, hole.ede_text.data(), hole.ede_text.size());
  text[hole.ede_text.size()] = '\0';
  return edns_opt_list_append_ede(&qstate->edns_opts_front_out, qstate->region,
                                  static_cast<sldns_ede_code>(hole.ede_code), text) != 0;
}

}  // namespace

bool answer_with_sinkhole(module_qstate* qstate, const Sinkhole& hole, const SinkholeSite& site) {
  qstate->return_msg = nullptr;
  qstate->return_rcode = LDNS_RCODE_NOERROR;
  // Our answers must never be stored as if they were the zone's data.
  qstate->no_cache_store = 1;

  switch (hole.kind) {
    case SinkholeKind::drop:
      qstate->is_drop = 1;
      qstate->return_rcode = LDNS_RCODE_REFUSED;
      return true;
    case SinkholeKind::refuse:
      qstate->return_rcode = LDNS_RCODE_REFUSED;
      return attach_ede(qstate, hole);
    default:
      break;
  }

  const uint16_t qtype = qstate->qinfo.qtype;
  const uint16_t klass = qstate->qinfo.qclass;
  dns_msg* msg =
      new_message(qstate, site.chain.size() + 2 + std::max(hole.a.size(), hole.aaaa.size()));
  if (msg == nullptr)
    return false;
  for (ub_packed_rrset_key* link : site.chain) {
    if (!add_answer(msg, link))
      return false;
  }
  set_ttls(msg->rep, hole.ttl);

  bool negative = false;
  uint16_t rcode = LDNS_RCODE_NOERROR;
  switch (hole.kind) {
    case SinkholeKind::nxdomain:
      negative = true;
      rcode = LDNS_RCODE_NXDOMAIN;
      break;
    case SinkholeKind::nodata:
      negative = true;
      break;
    case SinkholeKind::redirect: {
      std::array<Rdata, 16> rdatas{};
      size_t n = 0;
      uint16_t type = 0;
      if (qtype == LDNS_RR_TYPE_A || qtype == LDNS_RR_TYPE_ANY) {
        for (const auto& addr : hole.a) {
          if (n < rdatas.size())
            rdatas[n++] = Rdata{addr.data(), addr.size()};
        }
        type = LDNS_RR_TYPE_A;
      } else if (qtype == LDNS_RR_TYPE_AAAA) {
        for (const auto& addr : hole.aaaa) {
          if (n < rdatas.size())
            rdatas[n++] = Rdata{addr.data(), addr.size()};
        }
        type = LDNS_RR_TYPE_AAAA;
      }
      if (n == 0) {
        negative = true;  // other types, or no address of that family: NODATA
        break;
      }
      if (!add_answer(msg, make_rrset(qstate->region, site.blocked_name, type, klass, hole.ttl,
                                      std::span(rdatas.data(), n)))) {
        return false;
      }
      break;
    }
    case SinkholeKind::cname: {
      const Rdata rd{hole.cname_target.data(), hole.cname_target.size()};
      if (!add_answer(msg, make_rrset(qstate->region, site.blocked_name, LDNS_RR_TYPE_CNAME, klass,
                                      hole.ttl, std::span(&rd, 1)))) {
        return false;
      }
      break;
    }
    default:
      break;
  }
  if (negative) {
    const auto owner = suffix_labels(site.blocked_name, site.zone_labels);
    if (!add_authority(msg, make_soa(qstate->region, owner, klass, hole)))
      return false;
  }
  msg->rep->flags |= rcode;
  qstate->return_msg = msg;
  qstate->return_rcode = LDNS_RCODE_NOERROR;
  return attach_ede(qstate, hole);
}

bool answer_with_status(module_qstate* qstate, std::span<const std::string> texts) {
  qstate->no_cache_store = 1;
  dns_msg* msg = new_message(qstate, 1);
  if (msg == nullptr)
    return false;
  set_ttls(msg->rep, 0);
  if (qstate->qinfo.qtype == LDNS_RR_TYPE_TXT && !texts.empty()) {
    std::vector<Rdata> rdatas;
    for (const std::string& text : texts) {
      const size_t size = std::min<size_t>(text.size(), 255);
      auto* rdata = static_cast<uint8_t*>(regional_alloc(qstate->region, size + 1));
      if (rdata == nullptr)
        return false;
      rdata[0] = static_cast<uint8_t>(size);
      std::memcpy(rdata + 1, text.data(), size);
      rdatas.push_back(Rdata{rdata, size + 1});
    }
    if (!add_answer(msg, make_rrset(qstate->region, {qstate->qinfo.qname, qstate->qinfo.qname_len},
                                    LDNS_RR_TYPE_TXT, qstate->qinfo.qclass, 0, rdatas))) {
      return false;
    }
  }
  qstate->return_msg = msg;
  qstate->return_rcode = LDNS_RCODE_NOERROR;
  return true;
}

void append_landing(module_qstate* super, dns_msg*& answer, const module_qstate* landing) {
  const dns_msg* resolved = landing->return_msg;
  if (landing->return_rcode != LDNS_RCODE_NOERROR || resolved == nullptr ||
      resolved->rep == nullptr) {
    return;
  }
  const reply_info* from = resolved->rep;
  dns_msg* merged = new_message(super, answer->rep->rrset_count + from->an_numrrsets);
  if (merged == nullptr)
    return;
  merged->rep->flags =
      static_cast<uint16_t>((answer->rep->flags & ~0xfU) | FLAGS_GET_RCODE(from->flags));
  merged->rep->ttl = answer->rep->ttl;
  merged->rep->prefetch_ttl = answer->rep->prefetch_ttl;
  merged->rep->serve_expired_ttl = answer->rep->serve_expired_ttl;
  for (size_t i = 0; i < answer->rep->an_numrrsets; ++i) {
    if (!add_answer(merged, answer->rep->rrsets[i]))
      return;
  }
  for (size_t i = 0; i < from->an_numrrsets; ++i) {
    // The landing rrsets live in the subquery's region, which dies with it.
    ub_packed_rrset_key* copy = packed_rrset_copy_region(from->rrsets[i], super->region, 0);
    if (copy == nullptr || !add_answer(merged, copy))
      return;
  }
  answer = merged;
}

}  // namespace pangea::unbound
