#include "export.h"

#include <array>
#include <utility>

#include "csv.h"
#include "timefmt.h"

namespace pangea::tools {
namespace {

using trie::Action;
using trie::Entry;
using trie::Policy;
using trie::Scope;

constexpr std::array<std::pair<ExportFormat, std::string_view>, 5> kNames{{
    {ExportFormat::text, "text"},
    {ExportFormat::csv, "csv"},
    {ExportFormat::rpz, "rpz"},
    {ExportFormat::hosts, "hosts"},
    {ExportFormat::unbound, "unbound"},
}};

std::string time_cell(const std::optional<int64_t>& value) {
  return value ? format_time(*value) : "";
}

void header(std::ostream& out, std::string_view comment, const ExportOptions& options,
            size_t count) {
  out << comment << " Exported by " << (options.generator.empty() ? "pangea" : options.generator)
      << ": " << count << " entries\n";
}

void write_text(const std::vector<Entry>& entries, const ExportOptions& options,
                std::ostream& out) {
  header(out, "#", options, entries.size());
  out << "# '!' = allow (exception), '=' = exact name only; metadata is in the csv export\n";
  for (const Entry& entry : entries) {
    if (entry.policy == Policy::allow)
      out << '!';
    if (entry.scope == Scope::exact)
      out << '=';
    out << entry.name << '\n';
  }
}

void write_csv(const std::vector<Entry>& entries, std::ostream& out) {
  out << "domain,policy,scope,action,list,category,agency,referral,legal_basis,referral_date,"
         "not_before,not_after\n";
  for (const Entry& entry : entries) {
    const trie::Metadata& m = entry.meta;
    out << csv_field(entry.name) << ',' << to_string(entry.policy) << ',' << to_string(entry.scope)
        << ',' << (m.action == Action::list_default ? "" : std::string(to_string(m.action))) << ','
        << csv_field(m.list) << ',' << csv_field(m.category) << ',' << csv_field(m.agency) << ','
        << csv_field(m.referral) << ',' << csv_field(m.legal_basis) << ','
        << time_cell(m.referral_date) << ',' << time_cell(m.not_before) << ','
        << time_cell(m.not_after) << "\r\n";
  }
}

// The RPZ target for an entry, and whether the action had to be approximated.
std::pair<std::string_view, bool> rpz_target(const Entry& entry) {
  if (entry.policy == Policy::allow)
    return {"rpz-passthru.", false};
  switch (entry.meta.action) {
    case Action::list_default:
    case Action::nxdomain:
      return {".", false};
    case Action::nodata:
      return {"*.", false};
    case Action::drop:
      return {"rpz-drop.", false};
    case Action::passthru:
      return {"rpz-passthru.", false};
    default:
      return {".", true};
  }
}

void write_rpz(const std::vector<Entry>& entries, const ExportOptions& options, std::ostream& out) {
  std::string origin = options.origin;
  if (!origin.ends_with('.'))
    origin += '.';
  header(out, ";", options, entries.size());
  out << "$TTL 300\n$ORIGIN " << origin << '\n'
      << "@ SOA localhost. hostmaster.localhost. " << (options.serial & 0xffffffffu)
      << " 3600 600 604800 300\n"
      << "@ NS localhost.\n";
  for (const Entry& entry : entries) {
    auto [target, approximated] = rpz_target(entry);
    if (approximated) {
      out << "; action " << to_string(entry.meta.action) << " has no RPZ form; blocking\n";
    }
    out << entry.name << " CNAME " << target << '\n';
    if (entry.scope == Scope::subtree)
      out << "*." << entry.name << " CNAME " << target << '\n';
  }
}

void write_hosts(const std::vector<Entry>& entries, const ExportOptions& options,
                 std::ostream& out) {
  header(out, "#", options, entries.size());
  out << "# hosts files block single names: subdomains of subtree entries are not covered,\n"
         "# and allow entries (exceptions) cannot be expressed; they are listed as comments.\n";
  for (const Entry& entry : entries) {
    if (entry.policy == Policy::allow) {
      out << "# allow " << entry.name << '\n';
    } else {
      out << "0.0.0.0 " << entry.name << '\n';
    }
  }
}

// Unbound local-zone types for a subtree block, by action. Unbound has no
// redirect-to-list-target or cname type: those fall back to always_nxdomain.
std::pair<std::string_view, bool> unbound_type(Action action) {
  switch (action) {
    case Action::list_default:
    case Action::nxdomain:
      return {"always_nxdomain", false};
    case Action::nodata:
      return {"always_nodata", false};
    case Action::refuse:
      return {"always_refuse", false};
    case Action::drop:
      return {"always_deny", false};
    case Action::passthru:
      return {"always_transparent", false};
    case Action::log_only:
      return {"inform", false};  // answered normally, the client logged
    default:
      return {"always_nxdomain", true};
  }
}

// Unbound:
//  - block subtree: `local-zone: "name." always_nxdomain` (or the type of the action);
//  - allow: `local-zone: "name." always_transparent`, which resolves the name and
//    everything under it normally even below a blocked zone (an exact allow widens
//    to its subtree: Unbound has no single-name exception);
//  - block exact: a `transparent` zone holding only sinkhole records for the name:
//    the name answers 0.0.0.0 / :: (and NODATA for other types) while its subdomains
//    resolve normally. A zone type alone cannot do it: every type covers the subtree.
void write_unbound(const std::vector<Entry>& entries, const ExportOptions& options,
                   std::ostream& out) {
  header(out, "#", options, entries.size());
  out << "server:\n";
  for (const Entry& entry : entries) {
    std::string zone = "\"" + entry.name + ".\"";
    if (entry.policy == Policy::allow) {
      if (entry.scope == Scope::exact)
        out << "    # exact allow widened to its subtree\n";
      out << "    local-zone: " << zone << " always_transparent\n";
    } else if (entry.scope == Scope::exact) {
      out << "    local-zone: " << zone << " transparent\n"
          << "    local-data: \"" << entry.name << ". 300 IN A 0.0.0.0\"\n"
          << "    local-data: \"" << entry.name << ". 300 IN AAAA ::\"\n";
    } else {
      auto [type, approximated] = unbound_type(entry.meta.action);
      if (approximated) {
        out << "    # action " << to_string(entry.meta.action) << " has no local-zone type\n";
      }
      out << "    local-zone: " << zone << ' ' << type << '\n';
    }
  }
}

}  // namespace

std::string_view to_string(ExportFormat format) {
  for (const auto& [value, name] : kNames) {
    if (value == format)
      return name;
  }
  return "unknown";
}

std::optional<ExportFormat> export_format_from_string(std::string_view text) {
  for (const auto& [value, name] : kNames) {
    if (name == text)
      return value;
  }
  return std::nullopt;
}

void export_entries(ExportFormat format, const std::vector<Entry>& entries,
                    const ExportOptions& options, std::ostream& out) {
  switch (format) {
    case ExportFormat::text:
      return write_text(entries, options, out);
    case ExportFormat::csv:
      return write_csv(entries, out);
    case ExportFormat::rpz:
      return write_rpz(entries, options, out);
    case ExportFormat::hosts:
      return write_hosts(entries, options, out);
    case ExportFormat::unbound:
      return write_unbound(entries, options, out);
  }
}

}  // namespace pangea::tools
