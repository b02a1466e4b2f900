#include "pangea/policy/ede.h"

#include <catch2/catch.hpp>

#include "pangea/policy/snapshot.h"
#include "support.h"

using namespace pangea::policy;

namespace {

struct Fixture {
  ListConfig list;
  std::vector<uint8_t> qname = test::wire("www.cheap-pills.example");
  Decision decision;

  Fixture() {
    list.name = "fr-customs";
    decision.source = Source::list;
    decision.list = &list;
    decision.meta.list = "fr-customs-2026-11";
    decision.meta.agency = "DNRED Cyberdouane";
    decision.meta.referral = "REF-42";
    decision.meta.category = "illegal-pharmacy";
    decision.meta.legal_basis = "Code de la santé publique L.5125-34";
    decision.labels = 2;
    decision.entry = std::span<const uint8_t>(qname).subspan(4);  // cheap-pills.example
  }
};

}  // namespace

TEST_CASE("placeholders are substituted from the decision", "[ede]") {
  Fixture f;
  struct Case {
    const char* text;
    const char* rendered;
  };
  const Case cases[] = {
      {"", ""},
      {"blocked", "blocked"},
      {"blocked by order of {agency}, referral {referral}",
       "blocked by order of DNRED Cyberdouane, referral REF-42"},
      {"{list}/{category}: {entry}", "fr-customs-2026-11/illegal-pharmacy: cheap-pills.example"},
      {"{legal_basis}", "Code de la santé publique L.5125-34"},
      {"{{literal}} {{{agency}}}", "{literal} {DNRED Cyberdouane}"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(render_ede_text(c.text, f.decision) == c.rendered);
  }
}

TEST_CASE("{list} falls back to the configured name, missing values render empty", "[ede]") {
  Fixture f;
  f.decision.meta = {};
  CHECK(render_ede_text("{list}:{agency}:{referral}", f.decision) == "fr-customs::");
  f.decision.list = nullptr;
  f.decision.entry = {};
  CHECK(render_ede_text("[{list}] [{entry}]", f.decision) == "[] []");
}

TEST_CASE("values are sanitised and the text is cut on a character boundary", "[ede]") {
  Fixture f;
  f.decision.meta.agency = "line\nbreak\x7f";
  CHECK(render_ede_text("{agency}", f.decision) == "line?break?");
  f.decision.meta.agency = "bad \xff\xfe utf8 \xc3";
  CHECK(render_ede_text("{agency}", f.decision) == "bad ?? utf8 ?");

  // "é" is two bytes: a cut inside it drops the whole character, and nothing after it.
  f.decision.meta.agency = "abcé-more";
  CHECK(render_ede_text("{agency}", f.decision, 4) == "abc");
  CHECK(render_ede_text("{agency}", f.decision, 5) == "abcé");
  CHECK(render_ede_text("{agency}", f.decision, 6) == "abcé-");

  const std::string long_text(500, 'x');
  f.decision.meta.agency = long_text;
  CHECK(render_ede_text("{agency}", f.decision).size() == kMaxEdeText);
  const std::string invalid(300, '\xe2');  // lead bytes without continuation: each becomes '?'
  f.decision.meta.agency = invalid;
  CHECK(render_ede_text("{agency}", f.decision) == std::string(kMaxEdeText, '?'));
}

TEST_CASE("templates are checked", "[ede]") {
  CHECK_FALSE(check_ede_template("").has_value());
  CHECK_FALSE(
      check_ede_template("blocked: {list} {agency} {referral} {category} {legal_basis} {entry}")
          .has_value());
  CHECK_FALSE(check_ede_template("{{x}}").has_value());
  CHECK(check_ede_template("{agnecy}") ==
        "found unknown placeholder '{agnecy}', expected one of {list}, {agency}, {referral}, "
        "{category}, {legal_basis}, {entry} (or {{ for a literal brace)");
  CHECK(check_ede_template("ref {referral") ==
        "found an unclosed '{' at offset 4, expected {placeholder} or {{ for a literal brace");
  CHECK(check_ede_template("a } b") ==
        "found a lone '}' at offset 2, expected }} for a literal brace");
  CHECK(check_ede_template("bad \xff") == "found invalid UTF-8 at offset 4, expected UTF-8 text");
}
