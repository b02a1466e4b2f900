// format_bench: size, build time, open time and lookup speed of the compiled-list
// format (module/trie), measured in one run against std::unordered_set<std::string>
// walking the query's suffixes and, when built with libmarisa, MARISA-trie's
// common-prefix search over reversed names. See bench/format/README.md.

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#ifdef PANGEA_HAVE_MARISA
#include <marisa.h>
#endif

#include "pangea/trie/builder.h"
#include "pangea/trie/list.h"
#include "pangea/trie/name.h"

using namespace pangea::trie;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string names_file;
  size_t synthetic = 0;
  uint64_t seed = 1;
  size_t block_size = BuildOptions{}.block_size;
  size_t max_tokens = BuildOptions{}.max_tokens;
  size_t queries = 1'000'000;
  int rounds = 3;
  std::string write_list;
  std::string write_keys;
  bool only_pangea = false;
};

[[noreturn]] void usage(int code) {
  (code == 0 ? std::cout : std::cerr)
      << "usage: pangea_format_bench (--names FILE | --synthetic N) [--seed S] [--block-size B] "
         "[--max-tokens T]\n"
         "                           [--queries N] [--rounds R] [--write-list FILE]\n"
         "                           [--write-keys FILE] [--only-pangea]\n"
         "  --names FILE       one name per line ('-' = stdin); '*.' and '!' prefixes are\n"
         "                     stripped, names that are not normalised ASCII are skipped\n"
         "  --synthetic N      N generated names (seeded)\n"
         "  --write-list FILE  keep the compiled list\n"
         "  --write-keys FILE  write the names with labels reversed, for marisa-build\n";
  std::exit(code);
}

double as_double(size_t v) {
  return static_cast<double>(v);
}

// Thread CPU time: the machine is shared, wall time would count other processes.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

long peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

bool normalise(std::string& line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
    line.pop_back();
  for (auto& c : line)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (line.rfind("*.", 0) == 0)
    line.erase(0, 2);
  if (line.rfind('!', 0) == 0)
    line.erase(0, 1);
  if (!line.empty() && line.back() == '.')
    line.pop_back();
  if (line.empty() || line.size() > 253 || line.front() == '.' ||
      line.find("..") != std::string::npos) {
    return false;
  }
  size_t label = 0;
  for (char c : line) {
    if (c == '.') {
      label = 0;
      continue;
    }
    if (++label > 63)
      return false;
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
  }
  return true;
}

std::vector<std::string> read_names(const std::string& path) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path);
    if (!file) {
      std::cerr << "pangea_format_bench: cannot read " << path << "\n";
      std::exit(1);
    }
    in = &file;
  }
  std::vector<std::string> names;
  std::string line;
  while (std::getline(*in, line)) {
    if (normalise(line))
      names.push_back(line);
  }
  return names;
}

// Names that look like the domains of abuse lists: a registrable label of 4-18
// octets (letter frequencies of English text, some digits and hyphens) under a
// weighted TLD, a fifth with one more label in front.
class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}
  std::string label(size_t min, size_t max) {
    static const std::string kLetters =
        "eeeeeeeeeeeetttttttttaaaaaaaaooooooooiiiiiiinnnnnnnsssssshhhhhhrrrrrrddddlllluuucccmmmwwf"
        "fggyyppbbvkjxqz";
    std::uniform_int_distribution<size_t> len(min, max);
    std::string out;
    for (size_t i = len(rng_); i > 0; --i) {
      uint64_t r = rng_() % 100;
      if (r < 6) {
        out.push_back(static_cast<char>('0' + rng_() % 10));
      } else if (r < 8 && !out.empty() && i > 1 && out.back() != '-') {
        out.push_back('-');
      } else {
        out.push_back(kLetters[rng_() % kLetters.size()]);
      }
    }
    return out;
  }
  std::string name() {
    static const char* kTlds[] = {"com",  "com",   "com", "com",   "com",    "com",  "net",
                                  "net",  "org",   "ru",  "top",   "xyz",    "shop", "online",
                                  "info", "de",    "fr",  "co.uk", "com.br", "cn",   "pw",
                                  "site", "store", "io",  "biz"};
    std::string out = label(4, 18) + "." + kTlds[rng_() % std::size(kTlds)];
    if (rng_() % 5 == 0)
      out = label(1, 8) + "." + out;
    return out;
  }
  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

std::string reversed_labels(std::string_view name) {
  std::string out;
  size_t end = name.size();
  for (;;) {
    size_t dot = name.rfind('.', end - 1);
    size_t start = dot == std::string_view::npos ? 0 : dot + 1;
    if (!out.empty())
      out.push_back('.');
    out.append(name.substr(start, end - start));
    if (dot == std::string_view::npos)
      break;
    end = dot;
  }
  return out;
}

struct Hash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct Query {
  std::string text;
  std::vector<uint8_t> wire;
  std::string reversed;
};

template <typename F>
double ns_per_query(const std::vector<Query>& queries, int rounds, F&& run, size_t& sink) {
  double best = 1e30;
  for (int r = 0; r < rounds; ++r) {
    double start = cpu_seconds();
    size_t found = 0;
    for (const auto& q : queries)
      found += run(q);
    double ns = (cpu_seconds() - start) * 1e9 / as_double(queries.size());
    best = std::min(best, ns);
    sink += found;
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc)
        usage(2);
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h")
      usage(0);
    if (arg == "--names") {
      opt.names_file = value();
    } else if (arg == "--synthetic") {
      opt.synthetic = std::stoull(value());
    } else if (arg == "--seed") {
      opt.seed = std::stoull(value());
    } else if (arg == "--block-size") {
      opt.block_size = std::stoull(value());
    } else if (arg == "--max-tokens") {
      opt.max_tokens = std::stoull(value());
    } else if (arg == "--queries") {
      opt.queries = std::stoull(value());
    } else if (arg == "--rounds") {
      opt.rounds = std::stoi(value());
    } else if (arg == "--write-list") {
      opt.write_list = value();
    } else if (arg == "--only-pangea") {
      opt.only_pangea = true;
    } else if (arg == "--write-keys") {
      opt.write_keys = value();
    } else {
      usage(2);
    }
  }
  if (opt.names_file.empty() == (opt.synthetic == 0))
    usage(2);

  Generator gen(opt.seed);
  std::vector<std::string> names;
  if (!opt.names_file.empty()) {
    names = read_names(opt.names_file);
  } else {
    std::unordered_set<std::string> seen;
    while (names.size() < opt.synthetic) {
      auto n = gen.name();
      if (seen.insert(n).second)
        names.push_back(n);
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::shuffle(names.begin(), names.end(), gen.rng());
  size_t text_bytes = 0;
  for (const auto& n : names)
    text_bytes += n.size() + 1;
  const double count = static_cast<double>(names.size());
  std::printf("names:            %zu (%s), %.1f B/name as text\n", names.size(),
              opt.names_file.empty() ? "synthetic" : opt.names_file.c_str(),
              as_double(text_bytes) / count);

  // Build: every name a subtree block entry with one metadata record.
  Metadata meta;
  meta.list = "bench";
  auto start = Clock::now();
  double start_cpu = cpu_seconds();
  Builder builder;
  for (const auto& n : names)
    builder.add({n, Policy::block, Scope::subtree, meta});
  BuildOptions bo;
  bo.generator = "pangea_format_bench";
  bo.block_size = opt.block_size;
  bo.max_tokens = opt.max_tokens;
  bo.keep_redundant = true;  // the size comparison stores every name
  auto bytes = builder.finish(bo);
  double build_s = seconds_since(start);
  double build_cpu = cpu_seconds() - start_cpu;
  const auto& stats = builder.stats();
  std::printf(
      "build:            %.2f s CPU (%.2f s wall), peak RSS %ld MB (process), %llu kept, "
      "%llu redundant\n",
      build_cpu, build_s, peak_rss_mb(), static_cast<unsigned long long>(stats.kept),
      static_cast<unsigned long long>(stats.redundant));
  std::printf("file:             %zu bytes, %.2f B/name (block size %zu)\n", bytes.size(),
              static_cast<double>(bytes.size()) / count, opt.block_size);

  std::string path = opt.write_list.empty() ? "/tmp/pangea_format_bench.pbl" : opt.write_list;
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
  }
  if (!opt.write_keys.empty()) {
    std::ofstream out(opt.write_keys, std::ios::trunc);
    std::vector<std::string> keys;
    for (const auto& n : names)
      keys.push_back(reversed_labels(n));
    std::sort(keys.begin(), keys.end());
    for (const auto& k : keys)
      out << k << '\n';
  }
  std::shared_ptr<const List> list;
  double open_ms = 1e30;
  for (int r = 0; r < 10; ++r) {
    std::string error;
    auto t = Clock::now();
    list = List::open(path, {}, error);
    open_ms = std::min(open_ms, seconds_since(t) * 1e3);
    if (!list) {
      std::cerr << "pangea_format_bench: " << error << "\n";
      return 1;
    }
  }
  std::printf(
      "open + verify:    %.2f ms (mmap, checksums, structure; best of 10, page cache warm)\n",
      open_ms);
  if (opt.write_list.empty())
    std::remove(path.c_str());

  // Queries: hits are names of the list or a name under one; misses are new names.
  std::vector<Query> hits, misses;
  std::unordered_set<std::string> in_list(names.begin(), names.end());
  auto make_query = [](std::string text) {
    Query q;
    q.wire = *wire_from_text(text);
    q.reversed = reversed_labels(text);
    q.text = std::move(text);
    return q;
  };
  for (size_t i = 0; i < opt.queries; ++i) {
    const auto& n = names[gen.rng()() % names.size()];
    hits.push_back(make_query(i % 2 == 0 ? n : "www." + n));
    std::string miss;
    do {
      miss = gen.name();
    } while (in_list.count(miss) != 0);
    misses.push_back(make_query(miss));
  }
  in_list.clear();

  size_t sink = 0;
  std::array<Match, kMaxLabels> out;
  auto pangea = [&](const Query& q) { return list->lookup(q.wire, out); };
  double p_hit = ns_per_query(hits, opt.rounds, pangea, sink);
  size_t hit_found = 0;
  for (const auto& q : hits)
    hit_found += list->lookup(q.wire, out) > 0;
  size_t miss_found = 0;
  for (const auto& q : misses)
    miss_found += list->lookup(q.wire, out) > 0;
  double p_miss = ns_per_query(misses, opt.rounds, pangea, sink);

  if (opt.only_pangea) {
    std::printf("lookup ns/query:  hits %.0f, misses %.0f\n", p_hit, p_miss);
    return sink == 0xffffffffffff ? 3 : 0;
  }
  auto rss_before = peak_rss_mb();
  std::unordered_set<std::string, Hash, std::equal_to<>> set(names.begin(), names.end());
  auto suffixes = [&](const Query& q) {
    size_t found = 0;
    std::string_view rest = q.text;
    for (;;) {
      found += set.find(rest) != set.end();
      size_t dot = rest.find('.');
      if (dot == std::string_view::npos)
        break;
      rest.remove_prefix(dot + 1);
    }
    return found;
  };
  double u_hit = ns_per_query(hits, opt.rounds, suffixes, sink);
  double u_miss = ns_per_query(misses, opt.rounds, suffixes, sink);

  std::printf(
      "lookup ns/query:  hits %.0f, misses %.0f (thread CPU time, %zu queries each, best of %d; "
      "%.1f%% of hits and %.1f%% of misses matched)\n",
      p_hit, p_miss, hits.size(), opt.rounds, 100.0 * as_double(hit_found) / as_double(hits.size()),
      100.0 * as_double(miss_found) / as_double(misses.size()));
  std::printf("unordered_set:    hits %.0f, misses %.0f (suffix walk; peak RSS grew to %ld MB)\n",
              u_hit, u_miss, std::max(rss_before, peak_rss_mb()));
  set.clear();

#ifdef PANGEA_HAVE_MARISA
  {
    marisa::Keyset keyset;
    std::vector<std::string> keys;
    keys.reserve(names.size());
    for (const auto& n : names)
      keys.push_back(reversed_labels(n));
    for (const auto& k : keys)
      keyset.push_back(k.data(), k.size());
    marisa::Trie trie;
    auto t = Clock::now();
    trie.build(keyset);
    double marisa_build = seconds_since(t);
    marisa::Agent agent;
    auto common_prefix = [&](const Query& q) {
      agent.set_query(q.reversed.data(), q.reversed.size());
      size_t found = 0;
      while (trie.common_prefix_search(agent)) {
        size_t len = agent.key().length();
        found += len == q.reversed.size() || q.reversed[len] == '.';  // on a label boundary
      }
      return found;
    };
    double m_hit = ns_per_query(hits, opt.rounds, common_prefix, sink);
    double m_miss = ns_per_query(misses, opt.rounds, common_prefix, sink);
    std::printf("marisa (default): hits %.0f, misses %.0f; %zu bytes, %.2f B/name, build %.2f s\n",
                m_hit, m_miss, trie.io_size(), static_cast<double>(trie.io_size()) / count,
                marisa_build);
  }
#else
  std::printf("marisa:           not built in (install libmarisa-dev); see compare.sh\n");
#endif
  return sink == 0xffffffffffff ? 3 : 0;
}
