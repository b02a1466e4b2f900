#include "pangea/files/atomic_file.h"

#include <catch2/catch.hpp>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

using namespace pangea::files;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char name[] = "/tmp/pangea-tools-test-XXXXXX";
    REQUIRE(mkdtemp(name) != nullptr);
    path = name;
  }
  ~TempDir() {
    for (const std::string& entry : entries())
      ::unlink((path + "/" + entry).c_str());
    ::rmdir(path.c_str());
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr)
      return out;
    while (dirent* e = ::readdir(dir)) {
      std::string name = e->d_name;
      if (name != "." && name != "..")
        out.push_back(name);
    }
    ::closedir(dir);
    return out;
  }
};

std::span<const uint8_t> bytes(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

TEST_CASE("atomic write creates, replaces, and leaves no temporary behind", "[atomic_file]") {
  TempDir dir;
  std::string path = dir.path + "/list.pbl";
  std::string error;
  REQUIRE(write_file_atomic(path, bytes("first"), 0644, error));
  REQUIRE(write_file_atomic(path, bytes("second"), 0644, error));
  std::string contents;
  REQUIRE(read_file(path, contents, error));
  CHECK(contents == "second");
  CHECK(dir.entries() == std::vector<std::string>{"list.pbl"});
}

TEST_CASE("atomic write applies the mode (private keys stay 0600)", "[atomic_file]") {
  TempDir dir;
  std::string path = dir.path + "/k.key";
  std::string error;
  REQUIRE(write_file_atomic(path, bytes("secret"), 0600, error));
  struct stat st;
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  mode_t mask = ::umask(022);
  REQUIRE(write_file_atomic(path, bytes("public"), 0644, error));
  ::umask(mask);
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);
}

TEST_CASE("a failed write leaves the old file and no temporary", "[atomic_file]") {
  TempDir dir;
  std::string error;
  // Target directory missing: nothing can be created.
  CHECK_FALSE(write_file_atomic(dir.path + "/missing/list.pbl", bytes("x"), 0644, error));
  CHECK_THAT(error, Catch::StartsWith(dir.path + "/missing/list.pbl: cannot create a temporary "
                                                 "file: "));
  // Target is a directory: the rename fails after the temporary was written.
  std::string sub = dir.path + "/sub";
  REQUIRE(::mkdir(sub.c_str(), 0755) == 0);
  REQUIRE(::mkdir((sub + "/x").c_str(), 0755) == 0);
  CHECK_FALSE(write_file_atomic(sub, bytes("data"), 0644, error));
  CHECK_THAT(error, Catch::StartsWith(sub + ": rename failed: "));
  CHECK(dir.entries() == std::vector<std::string>{"sub"});
  ::rmdir((sub + "/x").c_str());
  ::rmdir(sub.c_str());
}

TEST_CASE("read_file reports missing files", "[atomic_file]") {
  std::string contents, error;
  CHECK_FALSE(read_file("/nonexistent/pangea/list.txt", contents, error));
  CHECK(error == "/nonexistent/pangea/list.txt: cannot open: No such file or directory");
  CHECK_FALSE(read_file("/tmp", contents, error));
  CHECK(error == "/tmp: is a directory, expected a file");
}
