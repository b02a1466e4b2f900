// Writes the generated seed inputs of two fuzz targets:
//   <fuzz dir>/corpus/list_open/seed-*.pbl    small valid compiled lists (every
//                                              block size, value-class count and
//                                              section layout the reader handles)
//   <fuzz dir>/corpus/list_lookup/seed-*      query names, wire and text forms
//
//   fuzz_make_seeds <fuzz dir> <golden private key PEM>
//
// Deterministic (fixed build options), so regenerating changes nothing unless the
// builder's output does. Regression inputs (crash-*, regress-*) are not touched.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "lookup_fixture.h"
#include "pangea/trie/builder.h"
#include "pangea/trie/list.h"
#include "pangea/trie/name.h"
#include "pangea/trie/signature.h"

namespace {

using namespace pangea;

void write(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "%s: cannot write\n", path.c_str());
    std::exit(1);
  }
}

std::vector<uint8_t> bytes_of(std::string_view text) {
  return std::vector<uint8_t>(text.begin(), text.end());
}

std::vector<uint8_t> build(const std::vector<trie::Entry>& entries, size_t block_size,
                           bool keep_redundant = false, const trie::List* previous = nullptr) {
  trie::Builder builder;
  for (const auto& e : entries)
    builder.add(e);
  trie::BuildOptions options;
  options.generator = "pangea fuzz seed";
  options.build_time = 1767225600;
  options.serial = 42;
  options.block_size = block_size;
  options.keep_redundant = keep_redundant;
  options.previous = previous;
  return builder.finish(options);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <fuzz dir> <golden private key PEM>\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  std::ifstream key_in(argv[2], std::ios::binary);
  std::stringstream key;
  key << key_in.rdbuf();
  if (!key_in) {
    std::fprintf(stderr, "%s: cannot read\n", argv[2]);
    return 1;
  }

  // --- list_open: compiled lists.
  const std::string open_dir = dir + "/corpus/list_open/";
  write(open_dir + "seed-empty.pbl", build({}, 16));
  write(open_dir + "seed-one.pbl",
        build({trie::Entry{"cheap-pills.example", trie::Policy::block, trie::Scope::subtree, {}}},
              16));
  // One value class: value codes take zero bits.
  {
    std::vector<trie::Entry> same;
    for (int i = 0; i < 20; ++i) {
      same.push_back(trie::Entry{"s" + std::to_string(i) + ".same.example", trie::Policy::block,
                                 trie::Scope::exact, fuzz::fixture_meta(0)});
    }
    write(open_dir + "seed-one-class-b3.pbl", build(same, 3));
  }
  const auto fixture = fuzz::fixture_entries(false);
  write(open_dir + "seed-fixture-b1.pbl", build(fixture, 1, true));
  write(open_dir + "seed-fixture-b4.pbl", build(fixture, 4, true));
  write(open_dir + "seed-fixture-b16-pruned.pbl", build(fixture, 16));
  write(open_dir + "seed-fixture-b4096.pbl", build(fixture, 4096, true));
  write(open_dir + "seed-many-classes-b8.pbl", build(fuzz::fixture_entries(true), 8, true));
  {
    // A change list (the changes section) against the pruned fixture.
    std::string error;
    const auto previous = trie::List::from_bytes(build(fixture, 16), {}, error);
    if (!previous) {
      std::fprintf(stderr, "previous: %s\n", error.c_str());
      return 1;
    }
    write(open_dir + "seed-changes-b8.pbl",
          build(fuzz::fixture_entries(true), 8, false, previous.get()));
  }
  {
    std::vector<uint8_t> signed_file;
    std::string error;
    if (!trie::sign_list(build(fixture, 4, true), key.str(), signed_file, error)) {
      std::fprintf(stderr, "sign: %s\n", error.c_str());
      return 1;
    }
    write(open_dir + "seed-fixture-b4-signed.pbl", signed_file);
  }

  // --- list_lookup: query names. The target reads each input both as a wire name
  // and as presentation text.
  const std::string lookup_dir = dir + "/corpus/list_lookup/";
  int n = 0;
  auto seed = [&](const std::vector<uint8_t>& bytes) {
    char name[32];
    std::snprintf(name, sizeof name, "seed-%03d", n++);
    write(lookup_dir + name, bytes);
  };
  for (const char* text :
       {"cheap-pills.example", "WWW.Shop.Cheap-Pills.Example.", "x.deep.info.cheap-pills.example",
        "a.b.c.d.e.f.g.example", "c.d.e.f.g.example", "n000.example", "www.n063.example",
        "n119.example", "y.x.net", "z.y.x.net", "m299.many", "m7.many", "_dmarc.mail.example",
        "test", "example", "a\\.b.example", "\\000.\\255.example", "xn--strae-oqa.example"}) {
    auto wire = trie::wire_from_text(text);
    if (!wire) {
      std::fprintf(stderr, "bad seed name %s\n", text);
      return 1;
    }
    seed(*wire);
    seed(bytes_of(text));
  }
  // The longest names: 127 labels (255 octets), and one octet more.
  {
    std::string deep;
    for (int i = 0; i < 126; ++i)
      deep += "a.";
    seed(*trie::wire_from_text(deep + "b"));
    std::vector<uint8_t> over = *trie::wire_from_text(deep + "b");
    over.insert(over.begin(), {1, 'q'});
    seed(over);
  }
  // Malformed: a length octet past the end, a compression pointer, no root label,
  // a 64-octet label, the root alone, trailing octets after the root.
  seed({7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 9, 'x'});
  seed({0xc0, 0x0c});
  seed({4, 't', 'e', 's', 't'});
  {
    std::vector<uint8_t> long_label{64};
    long_label.insert(long_label.end(), 64, 'x');
    long_label.insert(long_label.end(), {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0});
    seed(long_label);
  }
  seed({0});
  seed({4, 'T', 'E', 'S', 'T', 0, 0xff, 0xff});
  std::printf("wrote %d lookup seeds and the list_open seeds under %s/corpus\n", n, dir.c_str());
  return 0;
}
