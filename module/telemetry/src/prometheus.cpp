#include "pangea/telemetry/prometheus.h"

#include "pangea/files/atomic_file.h"

namespace pangea::telemetry {
namespace {

// Label values escape backslash, quote and newline (exposition format rules).
std::string label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

}  // namespace

std::string render_prometheus(const CountersSnapshot& counters,
                              const std::vector<ListGeneration>& generations,
                              const HitLogCounters* hit_log) {
  std::string out;
  header(out, "pangea_hits_total", "counter",
         "Queries that matched a list entry, by list and action.");
  for (size_t l = 0; l < counters.lists.size(); ++l) {
    for (size_t a = 1; a < kActionCount; ++a) {
      out += "pangea_hits_total{list=\"" + label(counters.lists[l]) + "\",action=\"" +
             std::string(trie::to_string(static_cast<trie::Action>(a))) + "\"} " +
             std::to_string(counters.hits[l][a]) + "\n";
    }
  }
  header(out, "pangea_entry_hits", "gauge",
         "Approximate hits of the most hit entries (Space-Saving).");
  for (const auto& top : counters.top) {
    out += "pangea_entry_hits{list=\"" + label(top.list) + "\",entry=\"" + label(top.entry) +
           "\"} " + std::to_string(top.hits) + "\n";
  }
  header(out, "pangea_list_loaded", "gauge", "1 when the list has a verified generation loaded.");
  for (const auto& g : generations) {
    out += "pangea_list_loaded{list=\"" + label(g.list) + "\"} " + (g.loaded ? "1" : "0") + "\n";
  }
  const struct {
    const char* name;
    const char* help;
    uint64_t ListGeneration::*field;
  } unsigned_fields[] = {
      {"pangea_list_serial", "Serial of the loaded generation.", &ListGeneration::serial},
      {"pangea_list_entries", "Entries in the loaded generation.", &ListGeneration::entries},
  };
  for (const auto& f : unsigned_fields) {
    header(out, f.name, "gauge", f.help);
    for (const auto& g : generations) {
      out += std::string(f.name) + "{list=\"" + label(g.list) + "\"} " +
             std::to_string(g.*f.field) + "\n";
    }
  }
  header(out, "pangea_list_build_time_seconds", "gauge", "Build time of the loaded generation.");
  for (const auto& g : generations) {
    out += "pangea_list_build_time_seconds{list=\"" + label(g.list) + "\"} " +
           std::to_string(g.build_time) + "\n";
  }
  header(out, "pangea_list_load_time_seconds", "gauge",
         "When the loaded generation was swapped in.");
  for (const auto& g : generations) {
    out += "pangea_list_load_time_seconds{list=\"" + label(g.list) + "\"} " +
           std::to_string(g.load_time) + "\n";
  }
  if (hit_log != nullptr) {
    header(out, "pangea_hit_log_lines_total", "counter", "Hit-log lines by outcome.");
    out += "pangea_hit_log_lines_total{outcome=\"written\"} " + std::to_string(hit_log->written) +
           "\n";
    out += "pangea_hit_log_lines_total{outcome=\"dropped_rate\"} " +
           std::to_string(hit_log->dropped_rate) + "\n";
    out += "pangea_hit_log_lines_total{outcome=\"dropped_queue\"} " +
           std::to_string(hit_log->dropped_queue) + "\n";
    out += "pangea_hit_log_lines_total{outcome=\"write_error\"} " +
           std::to_string(hit_log->write_errors) + "\n";
  }
  header(out, "pangea_top_entries_skipped_total", "counter",
         "Top-entry updates skipped under contention.");
  out += "pangea_top_entries_skipped_total " + std::to_string(counters.top_skipped) + "\n";
  return out;
}

bool write_prometheus_file(const std::string& path, const std::string& content,
                           std::string& error) {
  return files::write_file_atomic(
      path, {reinterpret_cast<const uint8_t*>(content.data()), content.size()}, 0644, error);
}

}  // namespace pangea::telemetry
