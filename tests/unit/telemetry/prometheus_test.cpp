#include "pangea/telemetry/prometheus.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include "pangea/trie/name.h"
#include "temp_dir.h"

using namespace pangea::telemetry;
using Catch::Contains;

TEST_CASE("prometheus text has hits, generations and hit-log counters", "[prometheus]") {
  Counters counters({"fr \"customs\""});
  counters.count(0, pangea::trie::Action::nxdomain);
  counters.count_entry(0, *pangea::trie::wire_from_text("cheap-pills.example"));
  ListGeneration gen{"fr \"customs\"", true, 42, 1764460800, 1000, 1764460900};
  HitLogCounters hl{5, 1, 2, 0};
  const auto text = render_prometheus(counters.read(), {gen}, &hl);
  CHECK_THAT(text,
             Contains("pangea_hits_total{list=\"fr \\\"customs\\\"\",action=\"nxdomain\"} 1\n"));
  CHECK_THAT(text,
             Contains("pangea_hits_total{list=\"fr \\\"customs\\\"\",action=\"redirect\"} 0\n"));
  CHECK_THAT(
      text,
      Contains("pangea_entry_hits{list=\"fr \\\"customs\\\"\",entry=\"cheap-pills.example\"} 1\n"));
  CHECK_THAT(text, Contains("pangea_list_serial{list=\"fr \\\"customs\\\"\"} 42\n"));
  CHECK_THAT(text, Contains("pangea_list_entries{list=\"fr \\\"customs\\\"\"} 1000\n"));
  CHECK_THAT(text, Contains("pangea_hit_log_lines_total{outcome=\"dropped_queue\"} 2\n"));
  CHECK_THAT(text, Contains("# TYPE pangea_hits_total counter\n"));
}

TEST_CASE("the statistics file is replaced whole, and failures are reported", "[prometheus]") {
  TempDir dir;
  const auto path = dir.file("pangea.prom");
  std::string error;
  REQUIRE(write_prometheus_file(path, "one\n", error));
  REQUIRE(write_prometheus_file(path, "two\n", error));
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  CHECK(content.str() == "two\n");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);

  CHECK_FALSE(write_prometheus_file("/nonexistent-dir/x.prom", "x", error));
  CHECK_THAT(error, Contains("/nonexistent-dir/x.prom"));
}
