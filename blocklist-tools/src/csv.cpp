#include "csv.h"

#include "diagnostics.h"

namespace pangea::tools {

CsvReader::CsvReader(std::string_view data, char delimiter) : data_(data), delimiter_(delimiter) {
  if (data_.starts_with("\xEF\xBB\xBF"))
    pos_ = 3;
}

void CsvReader::skip_line() {
  while (pos_ < data_.size() && data_[pos_] != '\n')
    ++pos_;
  if (pos_ < data_.size()) {
    ++pos_;
    ++line_;
  }
}

CsvReader::Status CsvReader::next(std::vector<std::string>& fields, std::string& error) {
  fields.clear();
  if (pos_ >= data_.size())
    return Status::end;
  record_line_ = line_;
  std::string field;
  while (true) {
    // Start of a field.
    if (pos_ < data_.size() && data_[pos_] == '"') {
      size_t open_line = line_;
      ++pos_;
      while (true) {
        if (pos_ >= data_.size()) {
          error = "unterminated quoted field opened on line " + std::to_string(open_line) +
                  ", expected a closing '\"'";
          fields.clear();
          return Status::error;
        }
        char c = data_[pos_++];
        if (c == '"') {
          if (pos_ < data_.size() && data_[pos_] == '"') {
            field += '"';
            ++pos_;
            continue;
          }
          break;
        }
        if (c == '\n')
          ++line_;
        field += c;
      }
      // After the closing quote: delimiter, end of line or end of input.
      if (pos_ < data_.size() && data_[pos_] == '\r' && pos_ + 1 < data_.size() &&
          data_[pos_ + 1] == '\n') {
        ++pos_;
      }
      if (pos_ < data_.size() && data_[pos_] != delimiter_ && data_[pos_] != '\n') {
        // quote(): a control character from the file must not reach the terminal.
        error = "character '" + quote(data_.substr(pos_, 1)) +
                "' after a closing quote, expected the delimiter or the end of the line";
        fields.clear();
        skip_line();
        return Status::error;
      }
    } else {
      while (pos_ < data_.size() && data_[pos_] != delimiter_ && data_[pos_] != '\n') {
        char c = data_[pos_];
        if (c == '"') {
          error =
              "'\"' inside an unquoted field, expected the whole field in quotes with the "
              "quote doubled";
          fields.clear();
          skip_line();
          return Status::error;
        }
        if (c == '\r' && pos_ + 1 < data_.size() && data_[pos_ + 1] == '\n') {
          ++pos_;
          continue;
        }
        field += c;
        ++pos_;
      }
    }
    fields.push_back(std::move(field));
    field.clear();
    if (pos_ >= data_.size())
      return Status::record;
    if (data_[pos_] == '\n') {
      ++pos_;
      ++line_;
      return Status::record;
    }
    ++pos_;  // delimiter: another field follows, possibly empty
  }
}

char guess_delimiter(std::string_view first_line) {
  bool semicolon = first_line.find(';') != std::string_view::npos;
  bool comma = first_line.find(',') != std::string_view::npos;
  return semicolon && !comma ? ';' : ',';
}

std::string csv_field(std::string_view value, char delimiter) {
  bool needs_quotes = !value.empty() && (value.front() == ' ' || value.back() == ' ');
  for (char c : value) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r')
      needs_quotes = true;
  }
  if (!needs_quotes)
    return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"')
      out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace pangea::tools
