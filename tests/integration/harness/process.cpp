#include "harness/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <thread>

extern char** environ;

namespace pangea::integration {
namespace {

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string_view::npos && extra.contains(std::string(entry.substr(0, eq)))) {
      continue;
    }
    env.emplace_back(entry);
  }
  for (const auto& [key, value] : extra) {
    env.push_back(key + "=" + value);
  }
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) {
    out.push_back(s.data());
  }
  out.push_back(nullptr);
  return out;
}

// Only async-signal-safe calls from here to exec: we may be a forked copy of a
// multi-threaded process. Reports a failure as an errno through `error_fd`.
[[noreturn]] void exec_child(const char* program, char** argv, char** envp, const char* output,
                             const char* input, const char* cwd, pid_t parent, int error_fd) {
  int err = 0;
  setpgid(0, 0);
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) {
    _exit(127);  // the test process is already gone
  }
  int out = open(output, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int in = open(input, O_RDONLY | O_CLOEXEC);
  if (out < 0 || in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) {
    err = errno;
  } else if (cwd[0] != '\0' && chdir(cwd) != 0) {
    err = errno;
  } else {
    // Unblock everything a test runner may have blocked; servers need SIGTERM.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(program, argv, envp);
    err = errno;
  }
  ssize_t ignored = write(error_fd, &err, sizeof err);
  (void)ignored;
  _exit(127);
}

}  // namespace

Process::Process(const ProcessSpec& spec) : name_(spec.program.filename().string()) {
  std::vector<std::string> argv_strings{spec.program.string()};
  argv_strings.insert(argv_strings.end(), spec.args.begin(), spec.args.end());
  std::vector<std::string> env_strings = merged_environment(spec.environment);
  std::vector<char*> argv = pointers(argv_strings);
  std::vector<char*> envp = pointers(env_strings);
  std::string program = spec.program.string();
  std::string output = spec.output_file.empty() ? "/dev/null" : spec.output_file.string();
  std::string input = spec.input_file.empty() ? "/dev/null" : spec.input_file.string();
  std::string cwd = spec.working_dir.string();

  // Orphans of our children (nsd's helpers, once nsd exits) are reparented to
  // us instead of init, so stop() can reap them.
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe2");
  }
  pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) {
    int saved = errno;
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    throw std::system_error(saved, std::generic_category(), "fork");
  }
  if (pid_ == 0) {
    close(pipe_fds[0]);
    exec_child(program.c_str(), argv.data(), envp.data(), output.c_str(), input.c_str(),
               cwd.c_str(), parent, pipe_fds[1]);
  }
  // Also from the parent, so stop() can signal the group even if we win the race.
  setpgid(pid_, pid_);
  close(pipe_fds[1]);
  int child_errno = 0;
  ssize_t n;
  do {
    n = read(pipe_fds[0], &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  close(pipe_fds[0]);
  if (n == static_cast<ssize_t>(sizeof child_errno)) {
    reap(true);
    pid_ = -1;
    throw std::runtime_error("cannot execute " + program + ": " + std::strerror(child_errno) +
                             " (output to " + output + ")");
  }
}

Process::Process(Process&& other) noexcept
    : name_(std::move(other.name_)),
      pid_(other.pid_),
      exited_(other.exited_),
      status_(other.status_) {
  other.pid_ = -1;
}

bool Process::reap(bool block) noexcept {
  if (pid_ < 0 || exited_) {
    return exited_;
  }
  int status = 0;
  pid_t r;
  do {
    r = waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == pid_ || (r < 0 && errno == ECHILD)) {
    exited_ = true;
    status_ = r == pid_ ? status : 0;
    reap_group();
  }
  return exited_;
}

// Helpers the child forked (nsd's server and xfrd processes) may outlive it.
// As a subreaper we inherit them: give them a moment to finish their own
// shutdown, then kill and reap what is left, so no zombie or orphan remains.
void Process::reap_group() noexcept {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1000);
  bool killed = false;
  for (;;) {
    int status = 0;
    pid_t r = waitpid(-pid_, &status, killed ? 0 : WNOHANG);
    if (r > 0 || (r < 0 && errno == EINTR)) {
      continue;
    }
    if (r < 0) {
      break;  // ECHILD: none of the group is left (or none was ours to reap)
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(-pid_, SIGKILL);
      killed = true;
      continue;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(-pid_, SIGKILL);  // members we could not reap (not our children)
}

bool Process::running() {
  return pid_ >= 0 && !reap(false);
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!reap(false)) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return status_;
}

std::string Process::describe_status() {
  if (pid_ < 0) {
    return "not started";
  }
  if (!reap(false)) {
    return "running";
  }
  if (WIFEXITED(status_)) {
    return "exited with status " + std::to_string(WEXITSTATUS(status_));
  }
  if (WIFSIGNALED(status_)) {
    return "killed by signal " + std::to_string(WTERMSIG(status_)) + " (" +
           strsignal(WTERMSIG(status_)) + ")";
  }
  return "ended with wait status " + std::to_string(status_);
}

int Process::stop(std::chrono::milliseconds grace) noexcept {
  if (pid_ < 0) {
    return -1;
  }
  if (!reap(false)) {
    kill(pid_, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + grace;
    while (!reap(false) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!exited_) {
      kill(-pid_, SIGKILL);
      kill(pid_, SIGKILL);
      reap(true);
    }
  }
  return status_;
}

}  // namespace pangea::integration
