#include "progress.h"

#include <unistd.h>

#include <string>

namespace pangea::tools {

Progress::Progress(std::FILE* out, size_t total, size_t threshold)
    : out_(out), total_(total), enabled_(total >= threshold && isatty(fileno(out)) != 0) {}

Progress::~Progress() {
  finish();
}

void Progress::update(size_t done) {
  if (!enabled_ || total_ == 0)
    return;
  int percent = static_cast<int>(done >= total_ ? 100 : done * 100 / total_);
  if (percent == last_percent_)
    return;
  last_percent_ = percent;
  constexpr int kWidth = 40;
  int filled = percent * kWidth / 100;
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kWidth - filled), '.');
  std::fprintf(out_, "\rpangea: reading [%s] %3d%%", bar.c_str(), percent);
  std::fflush(out_);
}

void Progress::finish() {
  if (enabled_ && last_percent_ >= 0) {
    std::fprintf(out_, "\r%*s\r", 60, "");
    std::fflush(out_);
    last_percent_ = -1;
  }
}

}  // namespace pangea::tools
