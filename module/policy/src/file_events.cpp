#include "file_events.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <thread>

namespace pangea::policy {
namespace {

constexpr uint32_t kReplaced = IN_MOVED_TO | IN_CLOSE_WRITE;

}  // namespace

FileEvents::FileEvents(const std::vector<std::string>& files) {
  stop_event_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  inotify_ = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (inotify_ < 0)
    return;
  for (const std::string& file : files) {
    const std::filesystem::path path(file);
    std::string directory = path.parent_path().string();
    if (directory.empty())
      directory = ".";
    const int watch = inotify_add_watch(inotify_, directory.c_str(), kReplaced | IN_ONLYDIR);
    if (watch < 0)
      continue;
    auto found = std::find_if(directories_.begin(), directories_.end(),
                              [&](const Directory& d) { return d.watch == watch; });
    if (found == directories_.end())
      found = directories_.insert(directories_.end(), Directory{watch, {}});
    found->names.push_back(path.filename().string());
  }
}

FileEvents::~FileEvents() {
  if (inotify_ >= 0)
    close(inotify_);
  if (stop_event_ >= 0)
    close(stop_event_);
}

void FileEvents::stop() noexcept {
  if (stop_event_ >= 0) {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = write(stop_event_, &one, sizeof one);
  }
}

bool FileEvents::drain_matches() {
  bool matched = false;
  alignas(inotify_event) char buffer[4096];
  for (;;) {
    const ssize_t got = read(inotify_, buffer, sizeof buffer);
    if (got <= 0)
      return matched;  // EAGAIN: drained
    for (ssize_t at = 0; at + static_cast<ssize_t>(sizeof(inotify_event)) <= got;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
      at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      if (event->mask & IN_Q_OVERFLOW) {
        matched = true;  // events were lost: look at every file
        continue;
      }
      if (event->len == 0)
        continue;
      const std::string name(event->name);  // NUL-padded
      for (const Directory& directory : directories_) {
        if (directory.watch == event->wd &&
            std::find(directory.names.begin(), directory.names.end(), name) !=
                directory.names.end())
          matched = true;
      }
    }
  }
}

bool FileEvents::wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    pollfd fds[2] = {{stop_event_, POLLIN, 0}, {inotify_, POLLIN, 0}};
    const nfds_t count = watching() ? 2 : 1;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    const int ready = poll(fds, count, static_cast<int>(std::max<int64_t>(left.count(), 0)));
    if (ready < 0 && errno != EINTR) {
      std::this_thread::sleep_until(deadline);  // cannot wait on the files: a plain poll
      return true;
    }
    if (fds[0].revents & POLLIN)
      return false;
    if (count == 2 && (fds[1].revents & POLLIN) && drain_matches())
      return true;
    if (ready == 0 || std::chrono::steady_clock::now() >= deadline)
      return true;
  }
}

}  // namespace pangea::policy
