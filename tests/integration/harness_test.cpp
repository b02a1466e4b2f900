// The harness itself: it must fail loudly and clearly in a bad environment,
// and clean up after itself.

#include <signal.h>

#include <algorithm>

#include <catch2/catch.hpp>

#include "harness/free_port.h"
#include "harness/log_file.h"
#include "harness/readiness.h"
#include "harness/test_resolver.h"

using namespace pangea::integration;
using Catch::Matchers::Contains;

TEST_CASE("a resolver port that is taken gives a clear error", "[harness]") {
  PortBlocker taken("127.0.0.1", 0);
  ResolverOptions options;
  options.port = taken.port();
  try {
    TestResolver r(options);
    FAIL("TestResolver started on a port that was taken");
  } catch (const StartupError& e) {
    std::string message = e.what();
    INFO(message);
    CHECK(e.address_in_use());
    CHECK_THAT(message, Contains("unbound on 127.0.0.1@" + std::to_string(taken.port())));
    CHECK_THAT(message, Contains("during startup"));
    CHECK_THAT(message, Contains("is already in use"));
    CHECK_THAT(message, Contains("last lines of"));
  }
}

TEST_CASE("an nsd port that is taken gives a clear error", "[harness]") {
  PortBlocker taken("127.0.0.1", 0);
  ResolverOptions options;
  options.nsd_port = taken.port();
  try {
    TestResolver r(options);
    FAIL("TestResolver started nsd on a port that was taken");
  } catch (const StartupError& e) {
    INFO(e.what());
    CHECK(e.address_in_use());
    CHECK_THAT(e.what(), Contains("nsd on 127.0.0.1@" + std::to_string(taken.port())));
  }
}

TEST_CASE("a bad unbound config fails the start with unbound's own message", "[harness]") {
  ResolverOptions options;
  options.server_options.push_back("no-such-option: yes");
  try {
    TestResolver r(options);
    FAIL("unbound started with a bad config");
  } catch (const StartupError& e) {
    INFO(e.what());
    CHECK_FALSE(e.address_in_use());
    CHECK_THAT(e.what(), Contains("exited with status"));
    CHECK_THAT(e.what(), Contains("no-such-option"));
  }
}

TEST_CASE("the servers are stopped when the fixture goes away", "[harness]") {
  pid_t unbound_pid = 0;
  pid_t nsd_pid = 0;
  std::filesystem::path dir;
  try {
    TestResolver r;
    unbound_pid = r.unbound().process().pid();
    nsd_pid = r.nsd().process().pid();
    dir = r.dir();
    CHECK(kill(unbound_pid, 0) == 0);
    throw std::runtime_error("as if an assertion failed");
  } catch (const std::runtime_error&) {
  }
  // Reaped, so the pids no longer exist (or belong to someone else: not our child).
  CHECK(kill(unbound_pid, 0) != 0);
  CHECK(kill(nsd_pid, 0) != 0);
  CHECK_FALSE(std::filesystem::exists(dir));
}

TEST_CASE("the client reports a server that does not answer", "[harness]") {
  PortBlocker silent("127.0.0.1", 0);  // bound, but never reads
  DnsClient client("127.0.0.1", silent.port());
  QueryOptions options;
  options.timeout = std::chrono::milliseconds(200);
  CHECK_THROWS_WITH(client.query("www.test", "A", options),
                    Contains("no response from 127.0.0.1@" + std::to_string(silent.port())) &&
                        Contains("timed out"));
  CHECK_FALSE(client.try_query("www.test", "A", options).has_value());
  CHECK_THROWS_AS(client.query("www.test", "NOSUCHTYPE"), std::invalid_argument);
}

TEST_CASE("zones, files and environment given by a test reach the servers", "[harness]") {
  ResolverOptions options;
  options.extra_zones.push_back({"extra.test.",
                                 "@ SOA ns.test. h.test. 1 3600 900 604800 300\n@ NS ns.test.\n"
                                 "host A 192.0.2.99\n"});
  options.files["lists/a.txt"] = "hello\n";
  options.environment["PANGEA_TEST_MARKER"] = "{dir}/lists/a.txt";
  TestResolver r(options);
  Response a = r.query("host.extra.test", "A");
  INFO(a);
  CHECK(a.answer_rdata("A") == std::vector<std::string>{"192.0.2.99"});
  CHECK(read_file(r.path("lists/a.txt")) == "hello\n");
  CHECK(read_file(r.path("pangea.yaml")) == kPassthroughConfig);

  std::string environment =
      read_file("/proc/" + std::to_string(r.unbound().process().pid()) + "/environ");
  std::replace(environment.begin(), environment.end(), '\0', '\n');
  CHECK_THAT(environment, Contains("PANGEA_TEST_MARKER=" + r.path("lists/a.txt").string() + "\n"));
  CHECK_THAT(environment, Contains("PANGEA_CONFIG=" + r.path("pangea.yaml").string() + "\n"));

  // A name outside every test zone never leaves loopback: nsd refuses, unbound fails.
  Response outside = r.query("www.example.com", "A");
  CHECK(outside.rcode == "SERVFAIL");
}

TEST_CASE("the client parses Extended DNS Errors from the OPT record", "[harness]") {
  // Unbound's own EDE: 18 (Prohibited) for a client its access-control refuses.
  ResolverOptions options;
  options.server_options = {"ede: yes", "access-control: 127.0.0.9/32 refuse"};
  TestResolver r(options);
  QueryOptions refused_client;
  refused_client.source_address = "127.0.0.9";
  Response refused = r.query("www.test", "A", refused_client);
  INFO(refused);
  CHECK(refused.rcode == "REFUSED");
  CHECK(refused.edns);
  REQUIRE(refused.extended_errors.size() == 1);
  CHECK(refused.extended_errors[0] == ExtendedError{18, ""});
  REQUIRE(refused.edns_options.size() == 1);
  CHECK(refused.edns_options[0].code == 15);

  // Without EDNS in the query there is no OPT record, hence no EDE.
  refused_client.edns = false;
  Response plain = r.query("www.test", "A", refused_client);
  CHECK_FALSE(plain.edns);
  CHECK(plain.extended_errors.empty());
}
