#include "hit_report.h"

#include <sys/time.h>

#include <ctime>
#include <string>

#include "pangea/trie/name.h"

namespace pangea::unbound {
namespace {

// "2026-11-29T21:05:33.123Z"
void append_timestamp(telemetry::LineBuffer& line) {
  timeval tv{};
  gettimeofday(&tv, nullptr);
  tm utc{};
  gmtime_r(&tv.tv_sec, &utc);
  char text[32];
  const size_t n = strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &utc);
  line.raw({text, n}).raw(".");
  const auto millis = static_cast<unsigned>(tv.tv_usec / 1000);
  const char digits[3] = {static_cast<char>('0' + millis / 100),
                          static_cast<char>('0' + millis / 10 % 10),
                          static_cast<char>('0' + millis % 10)};
  line.raw({digits, 3}).raw("Z");
}

}  // namespace

void report_hit(Instance& instance, const query_info& qinfo, const policy::Client& client,
                const policy::Decision& decision, std::span<const uint8_t> matched_name,
                HitVia via) noexcept {
  try {
    if (decision.source != policy::Source::list || decision.list == nullptr)
      return;
    instance.counters().count(decision.list_index, decision.action);
    instance.counters().count_entry(decision.list_index, decision.entry);
    if (instance.hit_log() == nullptr && !instance.hit_log_to_resolver_log())
      return;

    char qtype[32];
    sldns_wire2str_type_buf(qinfo.qtype, qtype, sizeof(qtype));
    telemetry::LineBuffer line;
    line.raw("{\"time\":\"");
    append_timestamp(line);
    line.raw("\",\"client\":").json_string(client.address().to_string());
    line.raw(",\"qname\":").json_string(trie::text_from_wire({qinfo.qname, qinfo.qname_len}));
    line.raw(",\"qtype\":").json_string(qtype);
    line.raw(",\"list\":").json_string(decision.list->name);
    line.raw(",\"entry\":").json_string(trie::text_from_wire(decision.entry));
    line.raw(",\"referral\":").json_string(decision.meta.referral);
    line.raw(",\"agency\":").json_string(decision.meta.agency);
    line.raw(",\"action\":").json_string(trie::to_string(decision.action));
    if (via == HitVia::cname_chain) {
      line.raw(",\"via\":\"cname\",\"target\":").json_string(trie::text_from_wire(matched_name));
    }
    line.raw("}");
    if (instance.hit_log() != nullptr) {
      instance.hit_log()->submit(line.view());
    } else {
      const std::string text(line.view());
      log_info("pangea: hit %s", text.c_str());
    }
  } catch (...) {
    // A hit we cannot report must not change the answer.
  }
}

}  // namespace pangea::unbound
