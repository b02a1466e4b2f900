#include "pangea/policy/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "pangea/policy/ede.h"
#include "pangea/trie/name.h"
#include "pangea/trie/signature.h"

namespace pangea::policy {
namespace {

constexpr uint32_t kMaxTtl = 2147483647;  // RFC 2181 section 8

// A YAML value and what the messages call it ("lists[0].ttl").
struct Value {
  YAML::Node node;
  YAML::Mark mark;
  std::string path;
};

std::string join(std::initializer_list<std::string_view> words) {
  std::string out;
  size_t i = 0;
  for (auto word : words) {
    if (i > 0)
      out += (i + 1 == words.size()) ? " or " : ", ";
    out += word;
    ++i;
  }
  return out;
}

// What was found, for messages: 'text', string "300", nothing, a list, a mapping.
std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return "nothing";
    case YAML::NodeType::Scalar:
      if (node.Tag() == "!")
        return "string \"" + node.Scalar() + "\"";
      return "'" + node.Scalar() + "'";
    case YAML::NodeType::Sequence:
      return node.size() == 0 ? "an empty list" : "a list";
    case YAML::NodeType::Map:
      return node.size() == 0 ? "an empty mapping" : "a mapping";
  }
  return "something";
}

std::string with_trailing_dot(std::string_view presentation) {
  return std::string(presentation) + ".";
}

class Parser {
 public:
  Parser(std::string file, std::filesystem::path base)
      : file_(std::move(file)), base_(std::move(base)) {}

  SourcePos pos(const YAML::Mark& mark) const {
    if (mark.is_null())
      return {file_, 0, 0};
    return {file_, mark.line + 1, mark.column + 1};
  }

  [[noreturn]] void fail(const Value& value, const std::string& message) const {
    throw ConfigError(pos(value.mark), value.path.empty() ? message : value.path + ": " + message);
  }
  [[noreturn]] void expected(const Value& value, const std::string& what) const {
    fail(value, "found " + describe(value.node) + ", expected " + what);
  }

  // A mapping with only `allowed` keys, each at most once.
  class Map {
   public:
    Map(const Parser& parser, const Value& value, std::initializer_list<std::string_view> allowed)
        : parser_(parser), value_(value) {
      if (!value.node.IsMap()) {
        parser.expected(value, "a mapping with keys " + join(allowed));
      }
      for (const auto& pair : value.node) {
        const YAML::Node key_node = pair.first;
        Value key{key_node, key_node.Mark(), value.path};
        if (!key_node.IsScalar())
          parser.expected(key, "a key (" + join(allowed) + ")");
        const std::string key_text = key_node.Scalar();
        if (std::find(allowed.begin(), allowed.end(), key_text) == allowed.end()) {
          parser.fail(key, "found unknown key '" + key_text + "', expected " + join(allowed));
        }
        auto [found, inserted] = keys_.try_emplace(key_text);
        if (!inserted) {
          parser.fail(key, "found key '" + key_text + "' a second time (first at line " +
                               std::to_string(found->second.key_mark.line + 1) +
                               "), expected each key once");
        }
        const YAML::Node val = pair.second;
        // yaml-cpp marks an empty value at the next token: point at the key instead.
        const YAML::Mark mark = val.IsNull() ? key_node.Mark() : val.Mark();
        const std::string child = value.path.empty() ? key_text : value.path + "." + key_text;
        found->second = Entry{Value{val, mark, child}, key_node.Mark()};
      }
    }

    std::optional<Value> get(const std::string& key) const {
      auto it = keys_.find(key);
      if (it == keys_.end())
        return std::nullopt;
      return it->second.value;
    }

    Value require(const std::string& key, const std::string& what) const {
      auto value = get(key);
      if (!value)
        parser_.fail(value_, "found no key '" + key + "', expected " + what);
      return *value;
    }

   private:
    struct Entry {
      Value value;
      YAML::Mark key_mark;
    };
    const Parser& parser_;
    const Value& value_;
    std::map<std::string, Entry> keys_;
  };

  std::string string(const Value& value, bool allow_empty = false) const {
    if (!value.node.IsScalar())
      expected(value, allow_empty ? "a string" : "a non-empty string");
    if (!allow_empty && value.node.Scalar().empty())
      expected(value, "a non-empty string");
    return value.node.Scalar();
  }

  uint64_t integer(const Value& value, uint64_t min, uint64_t max) const {
    const std::string range =
        "an integer from " + std::to_string(min) + " to " + std::to_string(max);
    if (!value.node.IsScalar() || value.node.Tag() != "?")
      expected(value, range);
    const std::string& text = value.node.Scalar();
    if (text.empty() || text.size() > 20 || !std::all_of(text.begin(), text.end(), ::isdigit)) {
      expected(value, range);
    }
    errno = 0;
    const unsigned long long number = std::strtoull(text.c_str(), nullptr, 10);
    if (errno == ERANGE || number < min || number > max)
      expected(value, range);
    return number;
  }

  bool boolean(const Value& value) const {
    if (value.node.IsScalar() && value.node.Tag() == "?") {
      if (value.node.Scalar() == "true")
        return true;
      if (value.node.Scalar() == "false")
        return false;
    }
    expected(value, "true or false");
  }

  std::vector<Value> list(const Value& value, const std::string& of) const {
    if (!value.node.IsSequence())
      expected(value, "a list of " + of);
    std::vector<Value> items;
    size_t i = 0;
    for (const auto& item : value.node) {
      const YAML::Mark mark = item.IsNull() ? value.mark : item.Mark();
      items.push_back(Value{item, mark, value.path + "[" + std::to_string(i++) + "]"});
    }
    return items;
  }

  std::string path(const Value& value) const {
    const std::string text = string(value);
    std::filesystem::path p(text);
    if (p.is_absolute())
      return text;
    return (base_ / p).lexically_normal().string();
  }

  // A domain name in presentation form; returns the lower-case wire form.
  std::vector<uint8_t> domain(const Value& value) const {
    const std::string text = string(value);
    auto wire = trie::wire_from_text(text);
    if (!wire || wire->size() <= 1) {
      expected(value, "a domain name such as blocked.example.");
    }
    return *wire;
  }

  Network network(const Value& value) const {
    const std::string text = string(value);
    std::string error;
    auto network = Network::parse(text, error);
    if (!network)
      fail(value, error);
    return *network;
  }

  Address address(const Value& value, Address::Family family) const {
    const std::string text = string(value);
    auto address = Address::parse(text);
    const bool v4 = family == Address::Family::v4;
    if (!address || address->family != family || (!v4 && text.find('.') != std::string::npos)) {
      expected(value,
               v4 ? "an IPv4 address such as 192.0.2.10" : "an IPv6 address such as 2001:db8::10");
    }
    return *address;
  }

  std::array<uint8_t, 32> public_key(const Value& value, std::string& file) const {
    file = path(value);
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      fail(value, "found unreadable file '" + file + "' (" + std::strerror(errno) +
                      "), expected a PEM Ed25519 public key");
    }
    std::stringstream pem;
    pem << in.rdbuf();
    std::array<uint8_t, 32> raw{};
    std::string error;
    if (!trie::parse_public_key(pem.str(), raw, error)) {
      fail(value, "found '" + file + "' which is not an Ed25519 public key (" + error +
                      "), expected a PEM SubjectPublicKeyInfo");
    }
    return raw;
  }

  EdeConfig ede(const Value& value, const EdeConfig& inherited) const {
    EdeConfig out = inherited;
    if (value.node.IsMap()) {
      Map map(*this, value, {"code", "text"});
      if (auto code = map.get("code"))
        out.code = ede_code(*code);
      if (auto text = map.get("text")) {
        out.text = string(*text, true);
        if (auto problem = check_ede_template(out.text))
          fail(*text, *problem);
      }
      return out;
    }
    out.code = ede_code(value);
    return out;
  }

  std::optional<uint16_t> ede_code(const Value& value) const {
    const std::string what =
        "an EDE code: blocked, censored, filtered, prohibited, none or a number from 0 to 65535";
    if (!value.node.IsScalar())
      expected(value, what);
    const std::string& text = value.node.Scalar();
    if (value.node.Tag() == "?" && !text.empty() &&
        std::all_of(text.begin(), text.end(), ::isdigit)) {
      return static_cast<uint16_t>(integer(value, 0, 65535));
    }
    if (text == "none")
      return std::nullopt;
    if (auto code = ede_code_from_string(text))
      return static_cast<uint16_t>(*code);
    expected(value, what);
  }

  RedirectTargets redirect(const Value& value) const {
    Map map(*this, value, {"a", "aaaa"});
    RedirectTargets out;
    if (auto a = map.get("a")) {
      for (const auto& item : list(*a, "IPv4 addresses")) {
        const Address address = this->address(item, Address::Family::v4);
        out.a.push_back({address.bytes[0], address.bytes[1], address.bytes[2], address.bytes[3]});
      }
    }
    if (auto aaaa = map.get("aaaa")) {
      for (const auto& item : list(*aaaa, "IPv6 addresses")) {
        out.aaaa.push_back(this->address(item, Address::Family::v6).bytes);
      }
    }
    if (out.empty())
      fail(value, "found no address, expected at least one in a: or aaaa:");
    return out;
  }

 private:
  std::string file_;
  std::filesystem::path base_;
};

struct Defaults {
  uint32_t ttl = 300;
  EdeConfig ede{static_cast<uint16_t>(EdeCode::censored), ""};
  bool required = true;
  RedirectTargets redirect;
  std::string cname;
  std::vector<uint8_t> cname_wire;
};

constexpr std::string_view kActions =
    "an action: nxdomain, nodata, redirect, cname, refuse, drop, passthru or log-only";

bool valid_list_name(std::string_view name) {
  if (name.empty() || name.size() > 63)
    return false;
  if (!std::isalnum(static_cast<unsigned char>(name[0])))
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

ClientScope parse_scope(const Parser& p, const Value& value, std::optional<Value>& countries_at) {
  Parser::Map map(p, value, {"networks", "exclude", "countries", "unknown_country"});
  ClientScope scope;
  if (auto networks = map.get("networks")) {
    for (const auto& item : p.list(*networks, "networks"))
      scope.networks.push_back(p.network(item));
    if (scope.networks.empty())
      p.expected(*networks, "at least one network (omit the key for all)");
  }
  if (auto exclude = map.get("exclude")) {
    for (const auto& item : p.list(*exclude, "networks"))
      scope.exclude.push_back(p.network(item));
  }
  if (auto countries = map.get("countries")) {
    for (const auto& item : p.list(*countries, "country codes")) {
      const std::string code = p.string(item);
      if (code.size() != 2 || !std::isalpha(static_cast<unsigned char>(code[0])) ||
          !std::isalpha(static_cast<unsigned char>(code[1]))) {
        p.expected(item, "an ISO 3166-1 alpha-2 country code such as FR");
      }
      scope.countries.push_back(
          {static_cast<char>(std::toupper(static_cast<unsigned char>(code[0]))),
           static_cast<char>(std::toupper(static_cast<unsigned char>(code[1])))});
    }
    if (scope.countries.empty())
      p.expected(*countries, "at least one country (omit the key for all)");
    countries_at = *countries;
  }
  if (auto unknown = map.get("unknown_country")) {
    auto parsed = unknown_country_from_string(p.string(*unknown));
    if (!parsed)
      p.expected(*unknown, "apply or skip");
    if (!map.get("countries"))
      p.fail(*unknown, "found unknown_country without countries, expected both or neither");
    scope.unknown_country = *parsed;
  }
  return scope;
}

ListConfig parse_list(const Parser& p, const Value& value, const Defaults& defaults,
                      std::optional<Value>& countries_at) {
  Parser::Map map(p, value,
                  {"name", "file", "action", "redirect", "cname", "ttl", "ede", "required", "keys",
                   "min_serial", "refuse_older_serial", "clients"});
  ListConfig list;
  list.pos = p.pos(value.mark);
  const Value name = map.require("name", "the list's name");
  list.name = p.string(name);
  if (!valid_list_name(list.name)) {
    p.expected(name,
               "a name of letters, digits, '.', '-' and '_' (at most 63, starting with a letter or "
               "digit)");
  }
  const Value file = map.require("file", "the compiled list's path");
  list.file = p.path(file);
  list.file_pos = p.pos(file.mark);

  const Value action = map.require("action", std::string(kActions));
  auto parsed_action = trie::action_from_string(p.string(action));
  if (!parsed_action || *parsed_action == Action::list_default || p.string(action) == "log_only") {
    p.expected(action, std::string(kActions));
  }
  list.action = *parsed_action;

  list.redirect = defaults.redirect;
  if (auto redirect = map.get("redirect"))
    list.redirect = p.redirect(*redirect);
  list.cname = defaults.cname;
  list.cname_wire = defaults.cname_wire;
  if (auto cname = map.get("cname")) {
    list.cname_wire = p.domain(*cname);
    list.cname = with_trailing_dot(trie::text_from_wire(list.cname_wire));
  }
  if (list.action == Action::redirect && list.redirect.empty()) {
    p.fail(action,
           "found action redirect without addresses, expected redirect: { a: [...], aaaa: [...] } "
           "in the list or in defaults");
  }
  if (list.action == Action::cname && list.cname.empty()) {
    p.fail(
        action,
        "found action cname without a target, expected cname: <name> in the list or in defaults");
  }
  list.ttl = defaults.ttl;
  if (auto ttl = map.get("ttl"))
    list.ttl = static_cast<uint32_t>(p.integer(*ttl, 0, kMaxTtl));
  list.ede = defaults.ede;
  if (auto ede = map.get("ede"))
    list.ede = p.ede(*ede, defaults.ede);
  list.required = defaults.required;
  if (auto required = map.get("required"))
    list.required = p.boolean(*required);
  if (auto keys = map.get("keys")) {
    for (const auto& item : p.list(*keys, "public key files")) {
      std::string key_file;
      list.keys.push_back(p.public_key(item, key_file));
      list.key_files.push_back(key_file);
    }
    if (list.keys.empty())
      p.expected(*keys, "at least one key file (omit the key for unsigned lists)");
  }
  if (auto min_serial = map.get("min_serial")) {
    list.min_serial = p.integer(*min_serial, 0, UINT64_MAX);
  }
  if (auto refuse = map.get("refuse_older_serial"))
    list.refuse_older_serial = p.boolean(*refuse);
  if (auto clients = map.get("clients"))
    list.clients = parse_scope(p, *clients, countries_at);
  return list;
}

std::string stem_name(const std::string& path) {
  std::string stem = std::filesystem::path(path).stem().string();
  for (char& c : stem) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      c = '-';
  }
  if (stem.size() > 63)
    stem.resize(63);
  if (stem.empty() || !std::isalnum(static_cast<unsigned char>(stem[0])))
    stem = "list" + stem;
  return stem;
}

void apply_env_lists(Config& config, const std::string& value) {
  const SourcePos where{"PANGEA_LISTS", 0, 0};
  if (config.lists.empty()) {
    throw ConfigError(where,
                      "found no list in " + config.path +
                          " to take the settings from, expected at least one entry under lists:");
  }
  const ListConfig model = config.lists.front();
  std::vector<ListConfig> lists;
  size_t start = 0;
  while (start <= value.size()) {
    const size_t colon = std::min(value.find(':', start), value.size());
    const std::string file = value.substr(start, colon - start);
    if (file.empty()) {
      throw ConfigError(where, "found an empty path in '" + value +
                                   "', expected colon-separated paths of compiled lists");
    }
    ListConfig list = model;
    list.file = std::filesystem::absolute(file).lexically_normal().string();
    list.name = stem_name(file);
    list.file_pos = where;
    for (const auto& other : lists) {
      if (other.name == list.name) {
        throw ConfigError(where, "found two lists named '" + list.name + "' (" + other.file + ", " +
                                     list.file + "), expected files with different names");
      }
    }
    lists.push_back(std::move(list));
    start = colon + 1;
  }
  config.lists = std::move(lists);
  config.lists_from_env = true;
}

}  // namespace

std::string SourcePos::to_string() const {
  if (line <= 0)
    return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

ConfigError::ConfigError(const SourcePos& pos, const std::string& message)
    : std::runtime_error(pos.to_string() + ": error: " + message), pos_(pos), message_(message) {}

std::string_view to_string(EdeCode code) {
  switch (code) {
    case EdeCode::blocked:
      return "blocked";
    case EdeCode::censored:
      return "censored";
    case EdeCode::filtered:
      return "filtered";
    case EdeCode::prohibited:
      return "prohibited";
  }
  return "unknown";
}

std::optional<EdeCode> ede_code_from_string(std::string_view text) {
  for (EdeCode code :
       {EdeCode::blocked, EdeCode::censored, EdeCode::filtered, EdeCode::prohibited}) {
    if (to_string(code) == text)
      return code;
  }
  return std::nullopt;
}

std::string_view to_string(UnknownCountry value) {
  return value == UnknownCountry::skip ? "skip" : "apply";
}

std::optional<UnknownCountry> unknown_country_from_string(std::string_view text) {
  if (text == "apply")
    return UnknownCountry::apply;
  if (text == "skip")
    return UnknownCountry::skip;
  return std::nullopt;
}

bool Config::client_scoped() const {
  return std::any_of(lists.begin(), lists.end(),
                     [](const ListConfig& list) { return list.clients.restricted(); });
}

Environment Environment::from_process() {
  Environment env;
  auto read = [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (value == nullptr)
      return std::nullopt;
    return std::string(value);
  };
  env.config = read("PANGEA_CONFIG");
  env.lists = read("PANGEA_LISTS");
  env.fake_now = read("PANGEA_FAKE_NOW");
  return env;
}

Config parse_config(std::string_view text, const std::string& file, const Environment& env) {
  const Parser p(file, std::filesystem::path(file).parent_path());
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw ConfigError(p.pos(e.mark), "found invalid YAML (" + e.msg + "), expected a YAML mapping");
  }
  if (!root.IsMap()) {
    throw ConfigError(p.pos(root.Mark()),
                      "found " +
                          (root.IsNull() ? std::string("an empty document") : describe(root)) +
                          ", expected a mapping starting with version: 1");
  }
  Config config;
  config.path = file;
  const Value top{root, root.Mark(), ""};
  Parser::Map map(p, top,
                  {"version", "defaults", "lists", "allowlist", "geoip", "reload", "soa", "hit_log",
                   "stats", "status_name", "cache"});
  const Value version = map.require("version", "version: 1");
  if (!version.node.IsScalar() || version.node.Tag() != "?" || version.node.Scalar() != "1") {
    p.expected(version, "1 (the only version of this format)");
  }
  config.version = 1;

  Defaults defaults;
  if (auto value = map.get("defaults")) {
    Parser::Map d(p, *value, {"ttl", "ede", "required", "redirect", "cname"});
    if (auto ttl = d.get("ttl"))
      defaults.ttl = static_cast<uint32_t>(p.integer(*ttl, 0, kMaxTtl));
    if (auto ede = d.get("ede"))
      defaults.ede = p.ede(*ede, defaults.ede);
    if (auto required = d.get("required"))
      defaults.required = p.boolean(*required);
    if (auto redirect = d.get("redirect"))
      defaults.redirect = p.redirect(*redirect);
    if (auto cname = d.get("cname")) {
      defaults.cname_wire = p.domain(*cname);
      defaults.cname = with_trailing_dot(trie::text_from_wire(defaults.cname_wire));
    }
  }

  std::optional<Value> countries_at;
  const Value lists = map.require("lists", "a list of lists (lists: [] for none)");
  for (const auto& item : p.list(lists, "list definitions")) {
    ListConfig list = parse_list(p, item, defaults, countries_at);
    for (const auto& other : config.lists) {
      if (other.name == list.name) {
        p.fail(Value{item.node, item.mark, item.path + ".name"},
               "found the name '" + list.name + "' a second time (first at " +
                   other.pos.to_string() + "), expected unique list names");
      }
      if (other.file == list.file) {
        p.fail(Value{item.node, item.mark, item.path + ".file"},
               "found the file '" + list.file + "' a second time (list '" + other.name +
                   "'), expected each file in one list");
      }
    }
    config.lists.push_back(std::move(list));
  }

  if (auto value = map.get("allowlist")) {
    Parser::Map a(p, *value, {"names", "files", "keys", "required"});
    if (auto names = a.get("names")) {
      for (const auto& item : p.list(*names, "domain names")) {
        auto wire = p.domain(item);
        config.allowlist.names.push_back(trie::text_from_wire(wire));
        config.allowlist.names_wire.push_back(std::move(wire));
      }
    }
    ListConfig model;
    model.action = Action::passthru;
    model.allowlist = true;
    model.ede.code.reset();
    model.required = true;
    if (auto required = a.get("required"))
      model.required = p.boolean(*required);
    if (auto keys = a.get("keys")) {
      for (const auto& item : p.list(*keys, "public key files")) {
        std::string key_file;
        model.keys.push_back(p.public_key(item, key_file));
        model.key_files.push_back(key_file);
      }
    }
    if (auto files = a.get("files")) {
      for (const auto& item : p.list(*files, "compiled allowlist files")) {
        ListConfig list = model;
        list.file = p.path(item);
        list.file_pos = p.pos(item.mark);
        list.pos = list.file_pos;
        list.name = "allowlist:" + stem_name(list.file);
        config.allowlist.files.push_back(std::move(list));
      }
    }
  }

  if (auto value = map.get("geoip")) {
    Parser::Map g(p, *value, {"database"});
    const Value database = g.require("database", "the path of a MaxMind Country database");
    config.geoip = GeoIpConfig{p.path(database), p.pos(database.mark)};
  }
  if (countries_at && !config.geoip) {
    p.fail(*countries_at,
           "found countries but no GeoIP database, expected geoip: { database: <path> }");
  }

  if (auto value = map.get("reload")) {
    Parser::Map r(p, *value, {"interval_ms"});
    if (auto interval = r.get("interval_ms")) {
      config.reload.interval_ms = static_cast<uint32_t>(p.integer(*interval, 0, 86400000));
      if (config.reload.interval_ms != 0 && config.reload.interval_ms < 10) {
        p.expected(*interval, "0 (no watching) or an interval from 10 to 86400000 ms");
      }
    }
  }

  if (auto value = map.get("soa")) {
    Parser::Map s(p, *value, {"mname", "rname", "refresh", "retry", "expire"});
    if (auto mname = s.get("mname"))
      config.soa.mname_wire = p.domain(*mname);
    if (auto rname = s.get("rname"))
      config.soa.rname_wire = p.domain(*rname);
    if (auto v = s.get("refresh"))
      config.soa.refresh = static_cast<uint32_t>(p.integer(*v, 0, kMaxTtl));
    if (auto v = s.get("retry"))
      config.soa.retry = static_cast<uint32_t>(p.integer(*v, 0, kMaxTtl));
    if (auto v = s.get("expire"))
      config.soa.expire = static_cast<uint32_t>(p.integer(*v, 0, kMaxTtl));
  }
  if (config.soa.mname_wire.empty())
    config.soa.mname_wire = *trie::wire_from_text(config.soa.mname);
  if (config.soa.rname_wire.empty())
    config.soa.rname_wire = *trie::wire_from_text(config.soa.rname);
  config.soa.mname = with_trailing_dot(trie::text_from_wire(config.soa.mname_wire));
  config.soa.rname = with_trailing_dot(trie::text_from_wire(config.soa.rname_wire));

  if (auto value = map.get("hit_log")) {
    Parser::Map h(p, *value, {"file", "rate"});
    HitLogConfig hit_log;
    const Value hit_file = h.require("file", "a path, or - for the resolver's log");
    hit_log.file = p.string(hit_file) == "-" ? "-" : p.path(hit_file);
    if (auto rate = h.get("rate"))
      hit_log.rate = static_cast<uint32_t>(p.integer(*rate, 0, 1000000));
    config.hit_log = hit_log;
  }
  if (auto value = map.get("stats")) {
    Parser::Map s(p, *value, {"file", "interval"});
    StatsConfig stats;
    stats.file = p.path(s.require("file", "the path the statistics are written to"));
    if (auto interval = s.get("interval"))
      stats.interval = static_cast<uint32_t>(p.integer(*interval, 1, 86400));
    config.stats = stats;
  }

  if (auto value = map.get("cache")) {
    Parser::Map c(p, *value, {"blocked_answers", "purge_index", "purge_index_max_names"});
    if (auto blocked = c.get("blocked_answers"))
      config.cache.blocked_answers = p.boolean(*blocked);
    if (auto index = c.get("purge_index"))
      config.cache.purge_index = p.boolean(*index);
    if (auto max_names = c.get("purge_index_max_names"))
      config.cache.purge_index_max_names = p.integer(*max_names, 0, uint64_t{1} << 32);
  }

  if (auto value = map.get("status_name")) {
    config.status_name_wire = p.domain(*value);
    config.status_name = with_trailing_dot(trie::text_from_wire(config.status_name_wire));
  }

  if (env.lists)
    apply_env_lists(config, *env.lists);
  if (env.fake_now) {
    std::string error;
    auto clock = Clock::parse(*env.fake_now, error);
    if (!clock)
      throw ConfigError(SourcePos{"PANGEA_FAKE_NOW", 0, 0}, error);
    config.clock = *clock;
  }
  return config;
}

Config load_config(const std::string& path, const Environment& env) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ConfigError(SourcePos{path, 0, 0},
                      std::string("cannot read the configuration: ") + std::strerror(errno));
  }
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw ConfigError(SourcePos{path, 0, 0},
                      std::string("cannot read the configuration: ") + std::strerror(errno));
  }
  return parse_config(text.str(), path, env);
}

Config load_config_from_environment() {
  const Environment env = Environment::from_process();
  return load_config(env.config.value_or(std::string(kDefaultConfigPath)), env);
}

}  // namespace pangea::policy
