#pragma once
// RFC 4180 CSV reading and writing: quoted fields may hold the delimiter, doubled
// quotes and line breaks. Lines end with LF or CRLF. Not thread-safe per reader.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pangea::tools {

class CsvReader {
 public:
  // `data` must outlive the reader. A UTF-8 byte order mark at the start is skipped.
  explicit CsvReader(std::string_view data, char delimiter = ',');

  enum class Status { record, end, error };

  // Reads the next record into `fields`. On `error`, `error` says what was found and
  // what was expected, line() is where the record started, and the reader has
  // skipped to the next line so the caller can go on.
  Status next(std::vector<std::string>& fields, std::string& error);

  // Line (1-based) on which the last record returned started.
  size_t line() const { return record_line_; }
  // Bytes consumed so far (progress reporting).
  size_t offset() const { return pos_; }

 private:
  void skip_line();

  std::string_view data_;
  char delimiter_;
  size_t pos_ = 0;
  size_t line_ = 1;
  size_t record_line_ = 0;
};

// Guesses the delimiter from a header line: ';' when the line has semicolons and no
// commas (spreadsheets in French locales export that way), ',' otherwise.
char guess_delimiter(std::string_view first_line);

// One field, quoted only when it must be (delimiter, quote, CR or LF inside, or
// leading/trailing space).
std::string csv_field(std::string_view value, char delimiter = ',');

}  // namespace pangea::tools
