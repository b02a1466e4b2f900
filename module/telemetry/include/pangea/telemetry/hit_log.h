#pragma once
// The hit log: one JSON line per blocked (or log-only) query, written by a
// background thread so the query path never waits on the disk.
//
// Thread safety: submit() may be called from any number of threads. It never
// allocates and never blocks on I/O: a line is copied into a preallocated slot
// under a short mutex, or dropped (and counted) when the rate limit or the
// queue is exhausted, so a query flood cannot fill the disk or stall workers.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace pangea::telemetry {

struct HitLogOptions {
  std::string path;                      // appended to; reopened when rotated away
  uint32_t max_lines_per_second = 1000;  // beyond this, lines are dropped and counted; 0: no limit
  size_t queue_slots = 4096;             // lines buffered between the workers and the writer
};

struct HitLogCounters {
  uint64_t written = 0;
  uint64_t dropped_rate = 0;   // over max_lines_per_second
  uint64_t dropped_queue = 0;  // writer behind: queue full
  uint64_t write_errors = 0;
};

class HitLog {
 public:
  static constexpr size_t kMaxLine = 1024;  // longer lines are truncated at a UTF-8 boundary

  // Opens `options.path` for appending (creating it 0640) and starts the writer.
  // Throws std::runtime_error with the path and errno text when it cannot.
  explicit HitLog(HitLogOptions options);
  ~HitLog();  // writes what is queued, then stops the writer
  HitLog(const HitLog&) = delete;
  HitLog& operator=(const HitLog&) = delete;

  // Queues one line (without its newline). Returns false when it was dropped.
  bool submit(std::string_view line) noexcept;

  HitLogCounters counters() const noexcept;
  const std::string& path() const { return options_.path; }

 private:
  struct Slot {
    uint16_t size = 0;
    char bytes[kMaxLine];
  };

  bool admit(int64_t now_second) noexcept;
  void run();
  void write_batch(const std::vector<Slot>& batch, size_t count);
  void reopen_if_rotated();

  HitLogOptions options_;
  int fd_ = -1;
  uint64_t inode_ = 0;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Slot> ring_;
  size_t head_ = 0;  // next slot to read
  size_t count_ = 0;
  bool stopping_ = false;
  int64_t window_second_ = 0;
  uint32_t window_lines_ = 0;

  std::atomic<uint64_t> written_{0};
  std::atomic<uint64_t> dropped_rate_{0};
  std::atomic<uint64_t> dropped_queue_{0};
  std::atomic<uint64_t> write_errors_{0};
  std::thread writer_;
};

// A hit-log line assembled in a fixed buffer, so formatting a hit never touches
// the heap. Appends past the capacity are cut off (the writer ends the line).
class LineBuffer {
 public:
  LineBuffer& raw(std::string_view text) noexcept;
  // `text` as the body of a JSON string: quotes, backslashes and control bytes
  // escaped, so a hostile query name cannot break or forge a line.
  LineBuffer& json_string(std::string_view text) noexcept;
  LineBuffer& number(uint64_t value) noexcept;
  std::string_view view() const noexcept { return {bytes_, size_}; }

 private:
  char bytes_[HitLog::kMaxLine];
  size_t size_ = 0;
};

}  // namespace pangea::telemetry
