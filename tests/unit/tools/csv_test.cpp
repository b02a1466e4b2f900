#include "csv.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace pangea::tools;
using Fields = std::vector<std::string>;

namespace {

struct Record {
  size_t line;
  Fields fields;
};

std::vector<Record> read_all(std::string_view data, std::vector<std::string>* errors = nullptr,
                             char delimiter = ',') {
  CsvReader reader(data, delimiter);
  std::vector<Record> out;
  Fields fields;
  std::string error;
  while (true) {
    auto status = reader.next(fields, error);
    if (status == CsvReader::Status::end)
      break;
    if (status == CsvReader::Status::error) {
      if (errors != nullptr)
        errors->push_back(std::to_string(reader.line()) + ": " + error);
      continue;
    }
    out.push_back({reader.line(), fields});
  }
  return out;
}

}  // namespace

TEST_CASE("plain records, LF and CRLF, last line without newline", "[csv]") {
  auto records = read_all("a,b,c\r\n1,2,3\nx,y,z");
  REQUIRE(records.size() == 3);
  CHECK(records[0].fields == Fields{"a", "b", "c"});
  CHECK(records[1].fields == Fields{"1", "2", "3"});
  CHECK(records[2].fields == Fields{"x", "y", "z"});
  CHECK(records[2].line == 3);
}

TEST_CASE("quoted fields hold delimiters, doubled quotes and newlines", "[csv]") {
  auto records = read_all(
      "domain,referral\n"
      "\"a.example\",\"REF, 1\"\n"
      "b.example,\"say \"\"hi\"\"\"\n"
      "c.example,\"two\nlines\"\n"
      "d.example,\"crlf\r\ninside\"\r\n"
      "e.example,\n");
  REQUIRE(records.size() == 6);
  CHECK(records[1].fields == Fields{"a.example", "REF, 1"});
  CHECK(records[2].fields == Fields{"b.example", "say \"hi\""});
  CHECK(records[3].fields == Fields{"c.example", "two\nlines"});
  CHECK(records[4].fields == Fields{"d.example", "crlf\r\ninside"});
  CHECK(records[5].fields == Fields{"e.example", ""});
  // A record spanning lines is reported at its first line; the next one follows on.
  CHECK(records[3].line == 4);
  CHECK(records[4].line == 6);
  CHECK(records[5].line == 8);
}

TEST_CASE("empty fields and empty quoted fields", "[csv]") {
  auto records = read_all(",,\n\"\",\"\",x\n");
  REQUIRE(records.size() == 2);
  CHECK(records[0].fields == Fields{"", "", ""});
  CHECK(records[1].fields == Fields{"", "", "x"});
}

TEST_CASE("a blank line is a record with one empty field", "[csv]") {
  auto records = read_all("a\n\nb\n");
  REQUIRE(records.size() == 3);
  CHECK(records[1].fields == Fields{""});
}

TEST_CASE("a byte order mark is skipped", "[csv]") {
  auto records = read_all(
      "\xEF\xBB\xBF"
      "domain\nx.example\n");
  REQUIRE(records.size() == 2);
  CHECK(records[0].fields == Fields{"domain"});
}

TEST_CASE("malformed quoting is an error at the record's line, and reading goes on", "[csv]") {
  std::vector<std::string> errors;
  auto records =
      read_all("ok,1\nbad\"quote,2\n\"x\"y,3\nfine,4\n\"open,5\nnever closed\n", &errors);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0] ==
        "2: '\"' inside an unquoted field, expected the whole field in quotes with the quote "
        "doubled");
  CHECK(errors[1] ==
        "3: character 'y' after a closing quote, expected the delimiter or the end of the line");
  CHECK(errors[2] == "5: unterminated quoted field opened on line 5, expected a closing '\"'");
  REQUIRE(records.size() == 2);
  CHECK(records[0].fields == Fields{"ok", "1"});
  CHECK(records[1].fields == Fields{"fine", "4"});
  CHECK(records[1].line == 4);
}

TEST_CASE("semicolon-delimited files from French spreadsheets", "[csv]") {
  CHECK(guess_delimiter("domaine;agency;referral") == ';');
  CHECK(guess_delimiter("domain,agency") == ',');
  CHECK(guess_delimiter("domain;agency,referral") == ',');
  CHECK(guess_delimiter("domain") == ',');
  auto records = read_all("domain;referral\na.example;\"R;1\"\n", nullptr, ';');
  REQUIRE(records.size() == 2);
  CHECK(records[1].fields == Fields{"a.example", "R;1"});
}

TEST_CASE("csv_field quotes only when it must", "[csv]") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("") == "");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field(" padded") == "\" padded\"");
  CHECK(csv_field("a;b", ';') == "\"a;b\"");
  // Round trip through the reader.
  std::string line = csv_field("x, \"y\"\nz") + "," + csv_field("plain") + "\n";
  auto records = read_all(line);
  REQUIRE(records.size() == 1);
  CHECK(records[0].fields == Fields{"x, \"y\"\nz", "plain"});
}
