#include "delegation_zones.h"

#include <chrono>

namespace pangea::integration {

std::vector<ZoneFile> glueless_delegation_zones() {
  return {
      {"hosting.test.",
       "$TTL 3600\n"
       "@    SOA ns.test. hostmaster.test. 1 3600 900 604800 300\n"
       "@    NS  ns.test.\n"
       "site NS  ns1.leaky.test.\n"},
      {"leaky.test.",
       "$TTL 3600\n"
       "@    SOA ns.test. hostmaster.test. 1 3600 900 604800 300\n"
       "@    NS  ns.test.\n"
       "ns1  A   127.0.0.1\n"},
  };
}

void resolve_under_glueless_delegation(const TestResolver& r) {
  QueryOptions patient;
  patient.timeout = std::chrono::milliseconds(8000);
  try {
    (void)r.query("www.site.hosting.test", "A", patient);
  } catch (const DnsError&) {
  }
}

}  // namespace pangea::integration
