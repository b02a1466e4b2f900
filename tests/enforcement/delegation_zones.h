#pragma once
// Test zones shared by the enforcement tests that need Unbound's iterator to
// look a name-server host up by itself (a query no module sees).

#include <vector>

#include "harness/nsd_server.h"
#include "harness/test_resolver.h"

namespace pangea::integration {

// site.hosting.test. is delegated without glue to ns1.leaky.test., whose address
// (127.0.0.1: the delegation's queries stay on loopback) is in leaky.test.:
// resolving a name under site.hosting.test makes the iterator look up
// ns1.leaky.test itself. Tests list leaky.test to put that host under a block.
std::vector<ZoneFile> glueless_delegation_zones();

// Asks `r` for www.site.hosting.test, which makes its iterator look
// ns1.leaky.test up; the answer itself is a SERVFAIL or a timeout (nothing
// serves the site), which is ignored.
void resolve_under_glueless_delegation(const TestResolver& r);

}  // namespace pangea::integration
