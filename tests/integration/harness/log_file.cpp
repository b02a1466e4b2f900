#include "harness/log_file.h"

#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace pangea::integration {

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return {};
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string tail(const std::filesystem::path& file, size_t lines) {
  std::string text = read_file(file);
  if (text.empty()) {
    return "  | (" + file.string() + " is empty or missing)\n";
  }
  std::vector<std::string_view> all;
  std::string_view rest(text);
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    all.push_back(rest.substr(0, nl));
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
  }
  std::string out = "  last lines of " + file.string() + ":\n";
  for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) {
    out.append("  | ").append(all[i]).append("\n");
  }
  return out;
}

bool wait_for_text(const std::filesystem::path& file, std::string_view needle,
                   std::chrono::milliseconds timeout, size_t from) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::string text = read_file(file);
    if (text.size() > from && text.find(needle, from) != std::string::npos) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

size_t file_size(const std::filesystem::path& file) {
  std::error_code ec;
  auto size = std::filesystem::file_size(file, ec);
  return ec ? 0 : static_cast<size_t>(size);
}

}  // namespace pangea::integration
