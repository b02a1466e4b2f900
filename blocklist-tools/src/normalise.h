#pragma once
// Turns a name as found in a referral list into the normalised form a compiled list
// stores (pangea::trie::Entry::name): lowercase, A-labels, no trailing dot, labels of
// [a-z0-9_-]. Stateless and thread-safe.
//
// Decisions (see blocklist-tools/README.md):
//  - U-labels are converted with libidn2 (IDNA2008 + UTS #46 non-transitional
//    mapping, so "Straße" becomes "xn--strae-oqa", not "strasse"), label by label,
//    so that ASCII labels with underscores ("_dmarc") never reach libidn2.
//  - ASCII labels, "xn--" A-labels included, are only lowercased, not validated:
//    names registered under IDNA2003 (emoji domains, say) are not valid IDNA2008
//    but resolve, and a blocklist must be able to block them.
//  - Underscores are kept: they occur in real service names and cost nothing.
//  - IP addresses are rejected: a DNS blocklist cannot block an address.
//  - Single-label names (a bare TLD such as "com" or "pharmacy") are rejected by
//    default: a regulator's referral never targets a whole TLD, so one in the input
//    is a data error that would otherwise black-hole a whole namespace.

#include <optional>
#include <string>
#include <string_view>

namespace pangea::tools {

struct NameError {
  std::string kind;     // "empty-name", "empty-label", "label-too-long", "name-too-long",
                        // "ip-address", "bad-character", "single-label", "idn"
  std::string message;  // "<what was found>, expected <what>"
};

struct NormaliseOptions {
  bool allow_single_label = false;  // lookup accepts "com"; compile does not
};

// Returns the normalised name, or nullopt with `error` set. Leading/trailing
// whitespace and one trailing dot are removed.
std::optional<std::string> normalise_name(std::string_view raw, NameError& error,
                                          const NormaliseOptions& options = {});

// True when `text` is an IPv4 or IPv6 address (IPv6 optionally in brackets).
bool is_ip_address(std::string_view text);

}  // namespace pangea::tools
