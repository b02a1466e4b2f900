// Fuzz target: pangea::policy::parse_config, the YAML configuration.
//
// parse_config documents one exception, ConfigError; it is caught here. Anything
// else escaping (a yaml-cpp exception, std::out_of_range, a std::filesystem error...)
// reaches libFuzzer as an uncaught exception, i.e. a finding. So does a crash.
//
// The configuration's file name is fuzz/sandbox/conf/fuzz.yaml: relative paths
// (list files, key files) resolve inside fuzz/sandbox, which holds a valid Ed25519
// public key (keys/test.pub) and a garbage one (keys/garbage.pub), so the key-file
// path is exercised. Absolute key paths are read as given; reading fails cleanly.
//
// Leading YAML comment lines may set the environment that modifies the configuration:
//   #PANGEA_LISTS=/a.pbl:/b.pbl
//   #PANGEA_FAKE_NOW=+3600
// (they stay comments for the YAML parser). The parsed Config is then checked: its
// clock is read, wire forms are well formed, list names are unique.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "pangea/policy/config.h"
#include "pangea/trie/name.h"

namespace {

using namespace pangea;

policy::Environment environment_from(std::string_view text) {
  policy::Environment env;
  size_t pos = 0;
  while (pos < text.size() && text[pos] == '#') {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos)
      end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (line.starts_with("#PANGEA_LISTS="))
      env.lists = std::string(line.substr(14));
    if (line.starts_with("#PANGEA_FAKE_NOW="))
      env.fake_now = std::string(line.substr(17));
    pos = end + 1;
  }
  return env;
}

void check_wire(const std::vector<uint8_t>& wire, const char* what) {
  auto labels = trie::count_labels(wire);
  FUZZ_CHECK(labels.has_value() && *labels >= 1, what);
}

void check_config(const policy::Config& config) {
  (void)config.clock.now();
  (void)config.clock.describe();
  (void)config.client_scoped();
  std::set<std::string> names;
  for (const auto& list : config.lists) {
    FUZZ_CHECK(names.insert(list.name).second, "duplicate list name " + list.name);
    FUZZ_CHECK(!list.file.empty(), "list without a file");
    FUZZ_CHECK(list.action != policy::Action::list_default, "list_default action in a list");
    FUZZ_CHECK(list.keys.size() == list.key_files.size(), "keys and key_files differ");
    if (!list.cname.empty())
      check_wire(list.cname_wire, "cname wire form");
    FUZZ_CHECK(list.ttl <= 2147483647u, "ttl over 2^31-1");
  }
  FUZZ_CHECK(config.allowlist.names.size() == config.allowlist.names_wire.size(),
             "allowlist names");
  for (const auto& wire : config.allowlist.names_wire)
    check_wire(wire, "allowlist wire form");
  check_wire(config.soa.mname_wire, "soa mname");
  check_wire(config.soa.rname_wire, "soa rname");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const policy::Environment env = environment_from(text);
  try {
    const policy::Config config =
        policy::parse_config(text, std::string(PANGEA_FUZZ_SANDBOX) + "/conf/fuzz.yaml", env);
    check_config(config);
  } catch (const policy::ConfigError& e) {
    FUZZ_CHECK(std::string_view(e.what()).find(": error: ") != std::string_view::npos, e.what());
  }
  return 0;
}
