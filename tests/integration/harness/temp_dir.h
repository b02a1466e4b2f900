#pragma once
// A private directory for one test: config files, logs, pid files and zone
// copies of the servers it starts. Removed (recursively) by the destructor,
// unless PANGEA_KEEP_TEST_DIRS=1 is set in the environment, in which case its
// path is printed to stderr so a failing test can be inspected by hand.

#include <filesystem>
#include <string_view>

namespace pangea::integration {

class TempDir {
 public:
  // Creates $TMPDIR/pangea-<prefix>-XXXXXX (TMPDIR defaults to /tmp).
  // Throws std::system_error when it cannot.
  explicit TempDir(std::string_view prefix = "it");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // path() / name; does not create anything.
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

  // Writes `content` to path()/name (creating parent directories) and returns the path.
  std::filesystem::path write(std::string_view name, std::string_view content) const;
  // Writes `content` to `file` (creating parent directories). Throws on failure.
  static void write_file(const std::filesystem::path& file, std::string_view content);

 private:
  std::filesystem::path path_;
};

}  // namespace pangea::integration
