#pragma once
// Diagnostics of the `pangea` command: "file:line: error: what was found, expected
// what", counted by kind so the compile summary can say what went wrong how often.
// Not thread-safe; one Diagnostics per command run.

#include <cstddef>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace pangea::tools {

// Where a diagnostic points. line 0 means the file as a whole.
struct Location {
  std::string file;
  size_t line = 0;
};

enum class Severity { warning, error };

std::string_view to_string(Severity severity);

struct Diagnostic {
  Severity severity = Severity::error;
  Location where;
  std::string kind;  // short stable tag, e.g. "empty-label"; used in the summary
  std::string message;
};

// "file:line: error: message" (or "file: error: message" for line 0).
std::string format(const Diagnostic& diagnostic);

class Diagnostics {
 public:
  // Prints each diagnostic to `out` as it arrives (null: print nothing). At most
  // `print_limit` are printed; counts stay exact past the limit.
  explicit Diagnostics(std::ostream* out, size_t print_limit = 1000);

  void error(const Location& where, std::string_view kind, std::string message);
  void warning(const Location& where, std::string_view kind, std::string message);

  size_t errors() const { return errors_; }
  size_t warnings() const { return warnings_; }
  // Counts by kind, errors and warnings kept apart.
  const std::map<std::string, size_t>& error_kinds() const { return error_kinds_; }
  const std::map<std::string, size_t>& warning_kinds() const { return warning_kinds_; }

  // Every diagnostic, when kept (tests); see keep_all().
  const std::vector<Diagnostic>& kept() const { return kept_; }
  void keep_all(bool keep) { keep_ = keep; }

  // Prints the "N more diagnostics not shown" line if the limit was reached.
  void finish();

 private:
  void add(Diagnostic diagnostic);

  std::ostream* out_;
  size_t print_limit_;
  size_t printed_ = 0;
  size_t errors_ = 0;
  size_t warnings_ = 0;
  bool keep_ = false;
  std::map<std::string, size_t> error_kinds_;
  std::map<std::string, size_t> warning_kinds_;
  std::vector<Diagnostic> kept_;
};

// Quotes a piece of input for a message: printable ASCII and UTF-8 bytes as is,
// control characters as \xHH, cut to `max` bytes with "..." so one bad line cannot flood the
// terminal.
std::string quote(std::string_view text, size_t max = 80);

}  // namespace pangea::tools
