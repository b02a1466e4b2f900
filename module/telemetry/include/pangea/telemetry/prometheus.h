#pragma once
// Renders counters and list generations in the Prometheus text exposition
// format, for node_exporter's textfile collector.

#include <cstdint>
#include <string>
#include <vector>

#include "pangea/telemetry/counters.h"
#include "pangea/telemetry/hit_log.h"

namespace pangea::telemetry {

// What is loaded for one configured list (absent when it failed to load).
struct ListGeneration {
  std::string list;
  bool loaded = false;
  uint64_t serial = 0;
  int64_t build_time = 0;
  uint64_t entries = 0;
  int64_t load_time = 0;
};

std::string render_prometheus(const CountersSnapshot& counters,
                              const std::vector<ListGeneration>& generations,
                              const HitLogCounters* hit_log);

// Writes the statistics file atomically (pangea::files::write_file_atomic), so
// a collector never reads half of it. False + error on failure; the previous
// file is then left untouched.
bool write_prometheus_file(const std::string& path, const std::string& content, std::string& error);

}  // namespace pangea::telemetry
