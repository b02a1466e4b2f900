#pragma once
// Reports a list hit: counters, top entries and one hit-log line.

#include <cstdint>
#include <span>

#include "instance.h"
#include "pangea/policy/snapshot.h"
#include "unbound_api.h"

namespace pangea::unbound {

// Whether the query name itself matched, or a CNAME target in its chain.
enum class HitVia : uint8_t { query_name, cname_chain };

// `qinfo` is the client's question; `matched_name` is the wire name the
// decision was taken for (the query name or the chain target). Never throws.
void report_hit(Instance& instance, const query_info& qinfo, const policy::Client& client,
                const policy::Decision& decision, std::span<const uint8_t> matched_name,
                HitVia via) noexcept;

}  // namespace pangea::unbound
