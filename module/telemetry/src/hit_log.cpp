#include "pangea/telemetry/hit_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace pangea::telemetry {
namespace {

int open_append(const std::string& path, uint64_t& inode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0)
    return -1;
  struct stat st {};
  if (::fstat(fd, &st) == 0)
    inode = st.st_ino;
  return fd;
}

// Largest prefix of `text` of at most `limit` bytes that does not cut a UTF-8
// sequence in half.
size_t utf8_prefix(std::string_view text, size_t limit) {
  if (text.size() <= limit)
    return text.size();
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80)
    --end;
  return end;
}

}  // namespace

HitLog::HitLog(HitLogOptions options) : options_(std::move(options)) {
  if (options_.queue_slots == 0)
    options_.queue_slots = 1;
  fd_ = open_append(options_.path, inode_);
  if (fd_ < 0) {
    throw std::runtime_error("cannot open hit log " + options_.path + ": " + std::strerror(errno));
  }
  ring_.resize(options_.queue_slots);
  writer_ = std::thread([this] { run(); });
}

HitLog::~HitLog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (writer_.joinable())
    writer_.join();
  if (fd_ >= 0)
    ::close(fd_);
}

bool HitLog::admit(int64_t now_second) noexcept {
  if (now_second != window_second_) {
    window_second_ = now_second;
    window_lines_ = 0;
  }
  if (options_.max_lines_per_second != 0 && window_lines_ >= options_.max_lines_per_second) {
    return false;
  }
  ++window_lines_;
  return true;
}

bool HitLog::submit(std::string_view line) noexcept {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::steady_clock::now().time_since_epoch())
                       .count();
  {
    std::lock_guard lock(mutex_);
    if (!admit(now)) {
      dropped_rate_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    if (count_ == ring_.size()) {
      dropped_queue_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    Slot& slot = ring_[(head_ + count_) % ring_.size()];
    const size_t size = utf8_prefix(line, kMaxLine - 1);
    std::memcpy(slot.bytes, line.data(), size);
    slot.bytes[size] = '\n';
    slot.size = static_cast<uint16_t>(size + 1);
    ++count_;
  }
  wake_.notify_one();
  return true;
}

HitLogCounters HitLog::counters() const noexcept {
  return HitLogCounters{written_.load(), dropped_rate_.load(), dropped_queue_.load(),
                        write_errors_.load()};
}

void HitLog::reopen_if_rotated() {
  struct stat st {};
  if (::stat(options_.path.c_str(), &st) == 0 && st.st_ino == inode_)
    return;
  // Renamed or deleted by logrotate: start a new file at the configured path.
  uint64_t inode = 0;
  int fd = open_append(options_.path, inode);
  if (fd < 0)
    return;  // keep writing to the old descriptor rather than lose lines
  ::close(fd_);
  fd_ = fd;
  inode_ = inode;
}

void HitLog::write_batch(const std::vector<Slot>& batch, size_t count) {
  std::vector<iovec> iov(count);
  for (size_t i = 0; i < count; ++i) {
    iov[i].iov_base = const_cast<char*>(batch[i].bytes);
    iov[i].iov_len = batch[i].size;
  }
  size_t done = 0;
  while (done < count) {
    const int chunk = static_cast<int>(std::min<size_t>(count - done, IOV_MAX));
    if (::writev(fd_, iov.data() + done, chunk) < 0) {
      if (errno == EINTR)
        continue;
      write_errors_.fetch_add(count - done, std::memory_order_relaxed);
      return;
    }
    done += static_cast<size_t>(chunk);
  }
  written_.fetch_add(count, std::memory_order_relaxed);
}

void HitLog::run() {
  std::vector<Slot> batch(ring_.size());
  auto last_rotation_check = std::chrono::steady_clock::now();
  for (;;) {
    size_t taken = 0;
    bool stopping = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_ || count_ > 0; });
      while (count_ > 0) {
        batch[taken++] = ring_[head_];
        head_ = (head_ + 1) % ring_.size();
        --count_;
      }
      stopping = stopping_;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - last_rotation_check >= std::chrono::seconds(1)) {
      reopen_if_rotated();
      last_rotation_check = now;
    }
    if (taken > 0)
      write_batch(batch, taken);
    if (stopping)
      return;
  }
}

LineBuffer& LineBuffer::raw(std::string_view text) noexcept {
  const size_t room = sizeof(bytes_) - size_;
  const size_t n = std::min(room, text.size());
  std::memcpy(bytes_ + size_, text.data(), n);
  size_ += n;
  return *this;
}

LineBuffer& LineBuffer::json_string(std::string_view text) noexcept {
  static constexpr char kHex[] = "0123456789abcdef";
  raw("\"");
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      const char escaped[2] = {'\\', c};
      raw({escaped, 2});
    } else if (byte < 0x20 || byte == 0x7f) {
      const char escaped[6] = {'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0xf]};
      raw({escaped, 6});
    } else {
      raw({&c, 1});
    }
  }
  return raw("\"");
}

LineBuffer& LineBuffer::number(uint64_t value) noexcept {
  char digits[20];
  size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0)
    raw({&digits[--n], 1});
  return *this;
}

}  // namespace pangea::telemetry
