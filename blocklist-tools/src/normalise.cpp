#include "normalise.h"

#include "text.h"

#include <arpa/inet.h>
#include <idn2.h>

#include <cstdlib>
#include <memory>

#include "diagnostics.h"

namespace pangea::tools {
namespace {

constexpr size_t kMaxLabel = 63;
constexpr size_t kMaxName =
    253;  // presentation form without the final dot = 255 octets on the wire

bool is_ascii(std::string_view text) {
  for (unsigned char c : text) {
    if (c >= 0x80)
      return false;
  }
  return true;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Ideographic and full-width full stops separate labels under UTS #46; map them
// before splitting so "例え。テスト" splits like "例え.テスト".
std::string map_dots(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    std::string_view rest = text.substr(i);
    if (rest.starts_with("\xE3\x80\x82") || rest.starts_with("\xEF\xBC\x8E") ||
        rest.starts_with("\xEF\xBD\xA1")) {  // U+3002, U+FF0E, U+FF61
      out += '.';
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool fail(NameError& error, std::string_view kind, std::string message) {
  error.kind = std::string(kind);
  error.message = std::move(message);
  return false;
}

// Converts one label to its A-label; ASCII labels are only lowercased.
bool to_a_label(std::string_view label, std::string_view whole, std::string& out,
                NameError& error) {
  if (is_ascii(label)) {
    for (char c : label)
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return true;
  }
  // libidn2 takes a C string: a NUL would end the label early and the rest of it
  // would vanish silently ("shop\0\xc3\xa9" -> "shop"). No code point maps a NUL away.
  if (label.find('\0') != std::string_view::npos) {
    return fail(
        error, "bad-character",
        "character '\\x00' in '" + quote(whole) + "', expected letters, digits, '-' or '_'");
  }
  std::string input(label);
  char* converted = nullptr;
  int rc = idn2_to_ascii_8z(input.c_str(), &converted, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  std::unique_ptr<char, decltype(&idn2_free)> owner(converted, &idn2_free);
  if (rc != IDN2_OK) {
    return fail(error, "idn",
                "internationalised label '" + quote(label) + "' in '" + quote(whole) +
                    "' rejected by IDNA2008 (" + idn2_strerror(rc) +
                    "), expected a valid internationalised domain name");
  }
  out += converted;
  return true;
}

}  // namespace

bool is_ip_address(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || text.size() > 64)
    return false;
  std::string copy(text);
  unsigned char buf[16];
  return inet_pton(AF_INET, copy.c_str(), buf) == 1 || inet_pton(AF_INET6, copy.c_str(), buf) == 1;
}

std::optional<std::string> normalise_name(std::string_view raw, NameError& error,
                                          const NormaliseOptions& options) {
  std::string_view text = trim(raw);
  if (text.empty()) {
    fail(error, "empty-name", "empty name, expected a domain name");
    return std::nullopt;
  }
  if (text == ".") {
    fail(error, "empty-name", "the root '.', expected a domain name below a top-level domain");
    return std::nullopt;
  }
  if (is_ip_address(text)) {
    fail(error, "ip-address",
         "IP address '" + quote(text) +
             "', expected a domain name (addresses cannot be "
             "blocked by a DNS blocklist)");
    return std::nullopt;
  }
  std::string mapped = map_dots(text);
  std::string_view rest = mapped;
  if (rest.ends_with('.'))
    rest.remove_suffix(1);

  std::string name;
  name.reserve(rest.size());
  size_t labels = 0;
  while (true) {
    size_t dot = rest.find('.');
    std::string_view label = rest.substr(0, dot);
    if (label.empty()) {
      fail(error, "empty-label",
           "empty label in '" + quote(text) + "', expected labels of 1 to 63 octets");
      return std::nullopt;
    }
    if (labels > 0)
      name += '.';
    size_t start = name.size();
    if (!to_a_label(label, text, name, error))
      return std::nullopt;
    std::string_view converted = std::string_view(name).substr(start);
    if (converted.empty()) {  // UTS #46 maps some code points (U+00AD...) to nothing
      fail(error, "empty-label",
           "label '" + quote(label) + "' in '" + quote(text) +
               "' is empty once mapped by IDNA, expected labels of 1 to 63 octets");
      return std::nullopt;
    }
    for (char c : converted) {
      if (!is_name_char(c)) {
        std::string shown = c == ' ' ? "space" : "'" + quote(std::string_view(&c, 1)) + "'";
        fail(error, "bad-character",
             "character " + shown + " in '" + quote(text) +
                 "', expected letters, digits, '-' or '_'");
        return std::nullopt;
      }
    }
    if (converted.size() > kMaxLabel) {
      fail(error, "label-too-long",
           "label of " + std::to_string(converted.size()) + " octets in '" + quote(text) +
               "', expected at most 63");
      return std::nullopt;
    }
    ++labels;
    if (dot == std::string_view::npos)
      break;
    rest.remove_prefix(dot + 1);
  }
  if (name.size() > kMaxName) {
    fail(error, "name-too-long",
         "name of " + std::to_string(name.size()) + " octets ('" + quote(text, 40) +
             "'), expected at most 253");
    return std::nullopt;
  }
  if (is_ip_address(name)) {  // e.g. full-width digits, mapped to ASCII by IDNA
    fail(error, "ip-address",
         "IP address '" + quote(text) + "' (" + name +
             " once mapped by IDNA), expected a domain name (addresses cannot be blocked by "
             "a DNS blocklist)");
    return std::nullopt;
  }
  if (labels == 1 && !options.allow_single_label) {
    fail(error, "single-label",
         "single-label name '" + quote(name) +
             "' (a whole top-level domain), expected a name with at least two labels");
    return std::nullopt;
  }
  return name;
}

}  // namespace pangea::tools
