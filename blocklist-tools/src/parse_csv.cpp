// CSV referral lists (RFC 4180) with a header row naming the columns:
//
//   domain (or name, or url)  required; a URL cell is reduced to its host, a
//                             "*." prefix means subtree
//   policy                    block | allow
//   scope                     subtree | exact
//   action                    nxdomain | nodata | redirect | cname | refuse | drop |
//                             passthru | log-only | list-default
//   list, category, agency, referral, legal_basis    free text
//   referral_date, not_before, not_after             ISO-8601 UTC or a date
//
// Column names are case-insensitive. An empty cell takes the list-wide value given on
// the command line. An unknown column is an error at line 1 and the file is skipped:
// a misspelt "not_after" silently ignored would keep an expired referral blocking.
// A header with ';' and no ',' switches the delimiter to ';' (French spreadsheets).
#include <array>
#include <string>
#include <vector>

#include "csv.h"
#include "input.h"
#include "normalise.h"
#include "timefmt.h"
#include "url.h"

namespace pangea::tools {
namespace {

enum class Column {
  domain,
  list,
  category,
  agency,
  referral,
  legal_basis,
  referral_date,
  not_before,
  not_after,
  action,
  policy,
  scope,
};

constexpr std::array<std::pair<std::string_view, Column>, 14> kColumns{{
    {"domain", Column::domain},
    {"name", Column::domain},
    {"url", Column::domain},
    {"list", Column::list},
    {"category", Column::category},
    {"agency", Column::agency},
    {"referral", Column::referral},
    {"legal_basis", Column::legal_basis},
    {"referral_date", Column::referral_date},
    {"not_before", Column::not_before},
    {"not_after", Column::not_after},
    {"action", Column::action},
    {"policy", Column::policy},
    {"scope", Column::scope},
}};

constexpr std::string_view kColumnList =
    "domain (or name, url), list, category, agency, referral, legal_basis, referral_date, "
    "not_before, not_after, action, policy, scope";

constexpr std::string_view kTimeExpected =
    "expected an ISO-8601 UTC time such as 2026-12-01T00:00:00Z or a date such as 2026-12-01";

bool all_empty(const std::vector<std::string>& fields) {
  for (const std::string& field : fields) {
    if (!trim(field).empty())
      return false;
  }
  return true;
}

// Reads the header; false (with a diagnostic) when the file cannot be used.
bool read_header(const std::vector<std::string>& fields, const Location& where,
                 Diagnostics& diagnostics, std::vector<Column>& columns) {
  bool ok = true;
  bool have_domain = false;
  std::array<bool, kColumns.size()> seen{};
  for (const std::string& field : fields) {
    std::string name = ascii_lower(trim(field));
    size_t index = kColumns.size();
    for (size_t i = 0; i < kColumns.size(); ++i) {
      if (kColumns[i].first == name)
        index = i;
    }
    if (index == kColumns.size()) {
      diagnostics.error(where, "csv-header",
                        "unknown column '" + quote(trim(field)) + "', expected one of " +
                            std::string(kColumnList));
      ok = false;
      continue;
    }
    Column column = kColumns[index].second;
    if (column == Column::domain && have_domain) {
      diagnostics.error(
          where, "csv-header",
          "second name column '" + quote(name) + "', expected exactly one of domain, name or url");
      ok = false;
    } else if (seen[index]) {
      diagnostics.error(where, "csv-header",
                        "column '" + quote(name) + "' appears twice, expected each column once");
      ok = false;
    }
    seen[index] = true;
    have_domain = have_domain || column == Column::domain;
    columns.push_back(column);
  }
  if (!have_domain && ok) {
    diagnostics.error(where, "csv-header",
                      "no name column in the header, expected a column named domain, name or url");
    ok = false;
  }
  return ok;
}

}  // namespace

void parse_csv(const Source& source, ParseContext& context) {
  Diagnostics& diagnostics = *context.diagnostics;
  std::string_view data = source.data;
  LineReader first(data);
  std::string_view first_line;
  first.next(first_line);
  CsvReader reader(data, guess_delimiter(first_line));

  std::vector<std::string> fields;
  std::string csv_error;
  std::vector<Column> columns;
  // The header is the first non-blank record.
  while (true) {
    CsvReader::Status status = reader.next(fields, csv_error);
    if (status == CsvReader::Status::end) {
      diagnostics.error({source.name, 0}, "csv-header",
                        "empty file, expected a header row naming the columns");
      return;
    }
    if (status == CsvReader::Status::error) {
      diagnostics.error({source.name, reader.line()}, "csv-syntax", csv_error);
      return;
    }
    if (!all_empty(fields))
      break;
  }
  if (!read_header(fields, {source.name, reader.line()}, diagnostics, columns))
    return;

  size_t records = 0;
  while (true) {
    CsvReader::Status status = reader.next(fields, csv_error);
    if (status == CsvReader::Status::end)
      break;
    if (++records % 4096 == 0 && context.progress)
      context.progress(reader.offset());
    Location where{source.name, reader.line()};
    if (status == CsvReader::Status::error) {
      diagnostics.error(where, "csv-syntax", csv_error);
      continue;
    }
    if (all_empty(fields))
      continue;
    if (fields.size() != columns.size()) {
      diagnostics.error(where, "csv-syntax",
                        std::to_string(fields.size()) + " fields, expected " +
                            std::to_string(columns.size()) + " as in the header");
      continue;
    }

    trie::Entry entry;
    entry.policy = context.defaults.policy;
    entry.scope = context.defaults.scope;
    entry.meta = context.defaults.meta;
    std::string_view domain;
    bool wildcard = false;
    bool scope_given = false;
    bool bad = false;
    auto bad_value = [&](std::string_view kind, std::string message) {
      diagnostics.error(where, kind, std::move(message));
      bad = true;
    };
    auto time_value = [&](std::string_view column, std::string_view cell, DateBound bound,
                          std::optional<int64_t>& out) {
      std::optional<int64_t> value = parse_time(cell, bound);
      if (!value) {
        bad_value("csv-value",
                  std::string(column) + " '" + quote(cell) + "', " + std::string(kTimeExpected));
      } else {
        out = value;
      }
    };

    for (size_t i = 0; i < columns.size() && !bad; ++i) {
      std::string_view cell = trim(fields[i]);
      if (cell.empty())
        continue;
      switch (columns[i]) {
        case Column::domain:
          domain = cell;
          break;
        case Column::list:
          entry.meta.list = std::string(cell);
          break;
        case Column::category:
          entry.meta.category = std::string(cell);
          break;
        case Column::agency:
          entry.meta.agency = std::string(cell);
          break;
        case Column::referral:
          entry.meta.referral = std::string(cell);
          break;
        case Column::legal_basis:
          entry.meta.legal_basis = std::string(cell);
          break;
        case Column::referral_date:
          time_value("referral_date", cell, DateBound::start, entry.meta.referral_date);
          break;
        case Column::not_before:
          time_value("not_before", cell, DateBound::start, entry.meta.not_before);
          break;
        case Column::not_after:
          time_value("not_after", cell, DateBound::end, entry.meta.not_after);
          break;
        case Column::action:
          if (auto action = trie::action_from_string(ascii_lower(cell))) {
            entry.meta.action = *action;
          } else {
            bad_value("csv-value",
                      "action '" + quote(cell) +
                          "', expected one of nxdomain, nodata, redirect, cname, refuse, drop, "
                          "passthru, log-only, list-default");
          }
          break;
        case Column::policy:
          if (auto policy = trie::policy_from_string(ascii_lower(cell))) {
            entry.policy = *policy;
          } else {
            bad_value("csv-value", "policy '" + quote(cell) + "', expected block or allow");
          }
          break;
        case Column::scope:
          if (auto scope = trie::scope_from_string(ascii_lower(cell))) {
            entry.scope = *scope;
            scope_given = true;
          } else {
            bad_value("csv-value", "scope '" + quote(cell) + "', expected subtree or exact");
          }
          break;
      }
    }
    if (bad)
      continue;
    if (domain.empty()) {
      diagnostics.error(where, "empty-name", "empty name cell, expected a domain name");
      continue;
    }
    std::string host;
    if (has_url_scheme(domain)) {
      UrlError url_error;
      std::optional<std::string> parsed = host_from_url(domain, url_error);
      if (!parsed) {
        diagnostics.error(where, url_error.kind, url_error.message);
        continue;
      }
      host = std::move(*parsed);
    } else {
      if (domain.starts_with("*.")) {
        wildcard = true;
        domain.remove_prefix(2);
      }
      host = std::string(domain);
    }
    if (wildcard && scope_given && entry.scope == trie::Scope::exact) {
      diagnostics.error(
          where, "csv-value",
          "'*." + quote(host) + "' with scope exact, expected either a wildcard or an exact scope");
      continue;
    }
    if (wildcard)
      entry.scope = trie::Scope::subtree;
    if (entry.meta.not_before && entry.meta.not_after &&
        *entry.meta.not_before > *entry.meta.not_after) {
      diagnostics.error(where, "csv-value",
                        "validity window ending " + format_time(*entry.meta.not_after) +
                            " before it starts " + format_time(*entry.meta.not_before) +
                            ", expected not_before <= not_after");
      continue;
    }
    NameError error;
    std::optional<std::string> name = normalise_name(host, error);
    if (!name) {
      diagnostics.error(where, error.kind, error.message);
      continue;
    }
    entry.name = std::move(*name);
    context.sink(std::move(entry), where);
  }
  if (context.progress)
    context.progress(source.data.size());
}

}  // namespace pangea::tools
