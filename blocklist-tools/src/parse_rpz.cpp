// RPZ zone files (read with ldns), QNAME triggers only:
//
//   name        CNAME .              block name (exact)
//   *.name      CNAME .              block everything under name
//   name + *.name                    merged into one subtree entry
//   ...         CNAME *.             the same with the nodata action
//   ...         CNAME rpz-drop.      the same with the drop action
//   ...         CNAME rpz-passthru.  allow (an exception)
//
// Owner names are taken relative to the zone origin ($ORIGIN, else the owner of the
// SOA). SOA and NS records are the zone's own and are ignored. Every other trigger
// (rpz-ip, rpz-nsdname, rpz-nsip, rpz-client-ip), local data (A, AAAA, TXT, a CNAME
// to a real name) and rpz-tcp-only have no equivalent in a compiled list and are
// reported as warnings. "CNAME ." maps to the list's default action rather than
// nxdomain: in RPZ it is simply "block", and the operator's configured action (an
// information page, say) must still apply.
//
// A lone "*.name" also becomes a subtree entry, which also covers "name" itself:
// the list format has no "strictly below" scope, and a referral that blocks every
// subdomain of a pharmacy shop but not the shop is not one anyone writes.
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "input.h"
#include "normalise.h"

// stdbool.h defines __bool_true_false_are_defined, without which ldns/common.h
// defines bool/true/false as macros (breaking <optional>'s operator<=>).
#include <stdbool.h>
#include <ldns/ldns.h>

namespace pangea::tools {
namespace {

struct RdfFree {
  void operator()(ldns_rdf* rdf) const { ldns_rdf_deep_free(rdf); }
};
struct RrFree {
  void operator()(ldns_rr* rr) const { ldns_rr_free(rr); }
};
struct FileClose {
  void operator()(FILE* file) const { std::fclose(file); }
};

std::string rdf_text(const ldns_rdf* rdf) {
  char* text = ldns_rdf2str(rdf);
  std::string out = text != nullptr ? text : "";
  LDNS_FREE(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string type_text(ldns_rr_type type) {
  char* text = ldns_rr_type2str(type);
  std::string out = text != nullptr ? text : "?";
  LDNS_FREE(text);
  return out;
}

// One name's triggers, merged over the file.
struct Trigger {
  size_t first_line = 0;
  bool apex = false;      // "name" seen
  bool wildcard = false;  // "*.name" seen
  trie::Policy policy = trie::Policy::block;
  trie::Action action = trie::Action::list_default;
  size_t order = 0;
};

constexpr std::string_view kOtherTriggers[] = {"rpz-ip", "rpz-nsdname", "rpz-nsip",
                                               "rpz-client-ip"};

}  // namespace

void parse_rpz(const Source& source, ParseContext& context) {
  Diagnostics& diagnostics = *context.diagnostics;
  if (source.data.empty())
    return;
  // fmemopen needs a mutable buffer for "r" on some libcs; keep a private copy.
  std::string buffer(source.data);
  // ldns counts lines by their newline: without one, the last line would be
  // reported as the one before it.
  if (!buffer.ends_with('\n'))
    buffer += '\n';
  std::unique_ptr<FILE, FileClose> file(fmemopen(buffer.data(), buffer.size(), "r"));
  if (!file) {
    diagnostics.error({source.name, 0}, "io", "cannot open the zone in memory");
    return;
  }

  ldns_rdf* origin_raw = nullptr;
  ldns_rdf* prev_raw = nullptr;
  uint32_t ttl = 3600;
  int line_number = 0;
  std::map<std::string, Trigger> triggers;
  size_t order = 0;
  std::string origin;  // lowercase text with the final dot, "" until known

  while (!std::feof(file.get())) {
    ldns_rr* rr_raw = nullptr;
    ldns_status status =
        ldns_rr_new_frm_fp_l(&rr_raw, file.get(), &ttl, &origin_raw, &prev_raw, &line_number);
    std::unique_ptr<ldns_rr, RrFree> rr(rr_raw);
    if (context.progress && line_number % 4096 == 0) {
      // ftell can be one past the end once ldns has read to EOF, or -1.
      const long at = std::ftell(file.get());
      if (at >= 0)
        context.progress(std::min(static_cast<size_t>(at), source.data.size()));
    }
    Location where{source.name, static_cast<size_t>(line_number)};
    if (status == LDNS_STATUS_SYNTAX_EMPTY || status == LDNS_STATUS_SYNTAX_TTL)
      continue;
    if (status == LDNS_STATUS_SYNTAX_ORIGIN) {
      origin = origin_raw != nullptr ? rdf_text(origin_raw) : "";
      continue;
    }
    if (status == LDNS_STATUS_SYNTAX_INCLUDE) {
      diagnostics.error(where, "unsupported",
                        "unsupported $INCLUDE, expected the whole zone in one file (pass each "
                        "file to pangea compile)");
      continue;
    }
    if (status != LDNS_STATUS_OK) {
      diagnostics.error(where, "rpz-syntax",
                        std::string("zone syntax: ") + ldns_get_errorstr_by_id(status) +
                            ", expected a resource record");
      continue;
    }

    ldns_rr_type type = ldns_rr_get_type(rr.get());
    std::string owner = rdf_text(ldns_rr_owner(rr.get()));
    if (type == LDNS_RR_TYPE_SOA) {
      if (origin.empty())
        origin = owner;
      continue;
    }
    if (type == LDNS_RR_TYPE_NS)
      continue;

    // The trigger: owner relative to the origin.
    std::string relative = owner;
    if (!origin.empty() && origin != ".") {
      if (owner == origin) {
        diagnostics.warning(where, "unsupported",
                            "record at the zone apex '" + quote(owner) +
                                "', expected a trigger name below the origin; ignored");
        continue;
      }
      if (!owner.ends_with("." + origin)) {
        diagnostics.error(where, "rpz-syntax",
                          "owner '" + quote(owner) + "' outside the origin '" + quote(origin) +
                              "', expected a name below it");
        continue;
      }
      relative = owner.substr(0, owner.size() - origin.size() - 1);
    }
    if (relative.ends_with('.'))
      relative.pop_back();

    bool other_trigger = false;
    for (std::string_view kind : kOtherTriggers) {
      if (relative == kind || relative.ends_with("." + std::string(kind))) {
        diagnostics.warning(where, "unsupported",
                            "unsupported RPZ trigger " + std::string(kind) + " ('" +
                                quote(relative) + "'), expected a QNAME trigger; ignored");
        other_trigger = true;
        break;
      }
    }
    if (other_trigger)
      continue;

    trie::Policy policy = trie::Policy::block;
    trie::Action action = trie::Action::list_default;
    if (type != LDNS_RR_TYPE_CNAME) {
      diagnostics.warning(where, "unsupported",
                          "unsupported RPZ local data (" + type_text(type) + " record for '" +
                              quote(relative) +
                              "'), expected CNAME ., *., rpz-drop. or rpz-passthru.; ignored");
      continue;
    }
    std::string target = rdf_text(ldns_rr_rdf(rr.get(), 0));
    if (target == ".") {
      action = trie::Action::list_default;
    } else if (target == "*.") {
      action = trie::Action::nodata;
    } else if (target == "rpz-drop.") {
      action = trie::Action::drop;
    } else if (target == "rpz-passthru.") {
      policy = trie::Policy::allow;
    } else {
      std::string what = target == "rpz-tcp-only."
                             ? "action rpz-tcp-only."
                             : "local data (CNAME to '" + quote(target) + "')";
      diagnostics.warning(where, "unsupported",
                          "unsupported RPZ " + what + " for '" + quote(relative) +
                              "', expected CNAME ., *., rpz-drop. or rpz-passthru.; ignored");
      continue;
    }

    bool wildcard = relative.starts_with("*.");
    std::string_view bare = wildcard ? std::string_view(relative).substr(2) : relative;
    NameError error;
    std::optional<std::string> name = normalise_name(bare, error);
    if (!name) {
      diagnostics.error(where, error.kind, error.message);
      continue;
    }
    auto [it, inserted] = triggers.try_emplace(*name);
    Trigger& trigger = it->second;
    if (inserted) {
      trigger.first_line = where.line;
      trigger.policy = policy;
      trigger.action = action;
      trigger.order = order++;
    } else if (trigger.policy != policy || trigger.action != action) {
      diagnostics.warning(where, "rpz-conflict",
                          "'" + quote(relative) + "' with a different action than line " +
                              std::to_string(trigger.first_line) +
                              ", expected the name and its wildcard to agree; keeping line " +
                              std::to_string(trigger.first_line));
      continue;
    }
    (wildcard ? trigger.wildcard : trigger.apex) = true;
  }
  ldns_rdf_deep_free(origin_raw);
  ldns_rdf_deep_free(prev_raw);

  // Emit in file order.
  std::vector<std::pair<const std::string*, const Trigger*>> ordered(triggers.size());
  for (const auto& [name, trigger] : triggers)
    ordered[trigger.order] = {&name, &trigger};
  for (const auto& [name, trigger] : ordered) {
    trie::Entry entry;
    entry.name = *name;
    entry.policy = trigger->policy;
    entry.scope = trigger->wildcard ? trie::Scope::subtree : trie::Scope::exact;
    entry.meta = context.defaults.meta;
    if (trigger->action != trie::Action::list_default)
      entry.meta.action = trigger->action;
    context.sink(std::move(entry), {source.name, trigger->first_line});
  }
  if (context.progress)
    context.progress(source.data.size());
}

}  // namespace pangea::tools
