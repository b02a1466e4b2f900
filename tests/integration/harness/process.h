#pragma once
// A supervised child process: started with fork/exec, stdout and stderr sent
// to a file, stopped by pid (SIGTERM, then SIGKILL after a grace period) when
// the object is destroyed -- including when a Catch2 assertion throws through
// the test. The child runs in its own process group, so helpers it forks (nsd
// forks xfrd and server processes) are killed with it, and it gets SIGKILL if
// the test process dies (PR_SET_PDEATHSIG), so a ctest timeout leaves nothing
// behind. The test process makes itself a child subreaper, so the helpers are
// reaped by us rather than left as zombies for init.
//
// Not thread-safe: one thread owns a Process. Create it on a thread that
// outlives it: PR_SET_PDEATHSIG fires when the creating *thread* exits.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pangea::integration {

struct ProcessSpec {
  std::filesystem::path program;                   // absolute path; no PATH search
  std::vector<std::string> args;                   // argv[1..]
  std::map<std::string, std::string> environment;  // added to (or replacing) ours
  std::filesystem::path output_file;               // stdout+stderr; empty: /dev/null
  std::filesystem::path working_dir;               // empty: ours
  std::filesystem::path input_file;                // stdin; empty: /dev/null
};

class Process {
 public:
  // Throws std::runtime_error (with the reason, e.g. "No such file or
  // directory") when the program cannot be executed.
  explicit Process(const ProcessSpec& spec);
  ~Process() { stop(); }
  Process(Process&& other) noexcept;
  Process& operator=(Process&&) = delete;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& name() const { return name_; }

  // False once the child has exited (reaps it).
  bool running();
  // Waits up to `timeout` for the child to exit by itself; returns its wait
  // status (as from waitpid), or nullopt if it is still running.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  // "running", "exited with status 1", "killed by signal 9 (Killed)".
  std::string describe_status();

  // SIGTERM, wait up to `grace`, then SIGKILL the process group. Idempotent,
  // never throws. Returns the wait status (or -1 if it was never started).
  int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000)) noexcept;

 private:
  bool reap(bool block) noexcept;
  void reap_group() noexcept;

  std::string name_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = 0;
};

}  // namespace pangea::integration
