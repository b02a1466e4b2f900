#pragma once
// Wakes the list watcher as soon as a watched file is replaced, so that a swap
// does not wait for the next poll (up to reload.interval_ms, a second by
// default). inotify on the files' directories: a rename into place
// (IN_MOVED_TO) or the end of a write (IN_CLOSE_WRITE) of one of the files'
// names. Polling stays as the fallback: inotify does not see a change made
// through a symlinked directory or on a network file system, and may be
// unavailable (no instances left): then wait() is a plain timed wait.

#include <chrono>
#include <string>
#include <vector>

namespace pangea::policy {

class FileEvents {
 public:
  // Never throws for a missing directory or a failed inotify call: those
  // files are polled only.
  explicit FileEvents(const std::vector<std::string>& files);
  ~FileEvents();
  FileEvents(const FileEvents&) = delete;
  FileEvents& operator=(const FileEvents&) = delete;

  // Returns true when a watched file may have been replaced or `timeout`
  // passed, false once stop() has been called (at once if it already was).
  bool wait(std::chrono::milliseconds timeout);
  // Wakes wait() for good. Thread-safe, idempotent.
  void stop() noexcept;

  // Whether inotify watches at least one directory (for logs and tests).
  bool watching() const { return !directories_.empty(); }

 private:
  bool drain_matches();  // reads pending events; true if one names a watched file

  struct Directory {
    int watch;
    std::vector<std::string> names;  // the watched files' names in it
  };
  int inotify_ = -1;
  int stop_event_ = -1;
  std::vector<Directory> directories_;
};

}  // namespace pangea::policy
