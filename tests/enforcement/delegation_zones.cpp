#include "delegation_zones.h"

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

}  // namespace pangea::integration
