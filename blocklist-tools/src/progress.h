#pragma once
// A progress bar on stderr for long compilations, shown only when stderr is a
// terminal and the input is large: logs and pipes never see carriage returns.

#include <cstddef>
#include <cstdio>

namespace pangea::tools {

class Progress {
 public:
  // `total` bytes will be reported through update(); the bar is enabled when
  // `out` is a terminal and total >= `threshold`.
  Progress(std::FILE* out, size_t total, size_t threshold = 1 << 20);
  ~Progress();

  // `done` bytes of all inputs consumed. Redraws at most once per percent.
  void update(size_t done);
  // Clears the bar's line.
  void finish();
  bool enabled() const { return enabled_; }

 private:
  std::FILE* out_;
  size_t total_;
  bool enabled_;
  int last_percent_ = -1;
};

}  // namespace pangea::tools
