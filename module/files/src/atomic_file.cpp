#include "pangea/files/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <vector>

namespace pangea::files {
namespace {

std::string directory_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  if (slash == 0)
    return "/";
  return path.substr(0, slash);
}

bool fail(std::string& error, const std::string& path, const char* what) {
  error = path + ": " + what + ": " + std::strerror(errno);
  return false;
}

bool write_all(int fd, std::span<const uint8_t> data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    data = data.subspan(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

bool write_file_atomic(const std::string& path, std::span<const uint8_t> data, mode_t mode,
                       std::string& error) {
  std::string directory = directory_of(path);
  std::string temp = path + ".tmp.XXXXXX";
  std::vector<char> name(temp.begin(), temp.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0)
    return fail(error, path, "cannot create a temporary file");
  temp = name.data();

  mode_t mask = ::umask(0);
  ::umask(mask);
  bool ok = write_all(fd, data) || fail(error, temp, "write failed");
  ok = ok && (::fchmod(fd, mode & ~mask) == 0 || fail(error, temp, "chmod failed"));
  ok = ok && (::fsync(fd) == 0 || fail(error, temp, "fsync failed"));
  if (::close(fd) != 0 && ok)
    ok = fail(error, temp, "close failed");
  ok = ok && (::rename(temp.c_str(), path.c_str()) == 0 || fail(error, path, "rename failed"));
  if (!ok) {
    ::unlink(temp.c_str());
    return false;
  }
  int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0)
    return fail(error, directory, "cannot open the directory to fsync it");
  bool synced = ::fsync(dir) == 0;
  int saved = errno;
  ::close(dir);
  errno = saved;
  return synced || fail(error, directory, "fsync of the directory failed");
}

bool read_file(const std::string& path, std::string& contents, std::string& error) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    if (std::cin.bad()) {
      error = "<stdin>: read failed";
      return false;
    }
    contents = std::move(buffer).str();
    return true;
  }
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    error = path + ": is a directory, expected a file";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  contents.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    error = path + ": read failed: " + std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace pangea::files
