#include "diagnostics.h"

#include <cstdio>
#include <utility>

namespace pangea::tools {

std::string_view to_string(Severity severity) {
  return severity == Severity::warning ? "warning" : "error";
}

std::string format(const Diagnostic& diagnostic) {
  std::string text = diagnostic.where.file;
  if (diagnostic.where.line != 0) {
    text += ':';
    text += std::to_string(diagnostic.where.line);
  }
  text += ": ";
  text += to_string(diagnostic.severity);
  text += ": ";
  text += diagnostic.message;
  return text;
}

Diagnostics::Diagnostics(std::ostream* out, size_t print_limit)
    : out_(out), print_limit_(print_limit) {}

void Diagnostics::error(const Location& where, std::string_view kind, std::string message) {
  add({Severity::error, where, std::string(kind), std::move(message)});
}

void Diagnostics::warning(const Location& where, std::string_view kind, std::string message) {
  add({Severity::warning, where, std::string(kind), std::move(message)});
}

void Diagnostics::add(Diagnostic diagnostic) {
  if (diagnostic.severity == Severity::error) {
    ++errors_;
    ++error_kinds_[diagnostic.kind];
  } else {
    ++warnings_;
    ++warning_kinds_[diagnostic.kind];
  }
  if (out_ != nullptr && printed_ < print_limit_) {
    ++printed_;
    *out_ << format(diagnostic) << '\n';
  }
  if (keep_)
    kept_.push_back(std::move(diagnostic));
}

void Diagnostics::finish() {
  size_t total = errors_ + warnings_;
  if (out_ != nullptr && total > printed_) {
    *out_ << "pangea: " << (total - printed_) << " more diagnostics not shown\n";
  }
}

std::string quote(std::string_view text, size_t max) {
  std::string out;
  size_t used = 0;
  for (unsigned char c : text) {
    if (used >= max) {
      out += "...";
      break;
    }
    if ((c >= 0x20 && c < 0x7f) || c >= 0x80) {  // UTF-8 stays readable
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    }
    ++used;
  }
  return out;
}

}  // namespace pangea::tools
