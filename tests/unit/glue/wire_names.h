#pragma once
// Test names in wire format with their letter case kept (the policy tests'
// test::wire lowercases), for the glue's case-insensitive structures.

#include <cstddef>
#include <cstdint>
#include <string>

namespace pangea::unbound::test {

// "ns1.Example.test" -> 03 "ns1" 07 "Example" 04 "test" 00.
inline std::basic_string<uint8_t> wire_keep_case(const std::string& dotted) {
  std::basic_string<uint8_t> out;
  size_t start = 0;
  while (start < dotted.size()) {
    size_t dot = dotted.find('.', start);
    if (dot == std::string::npos)
      dot = dotted.size();
    out.push_back(static_cast<uint8_t>(dot - start));
    out.append(dotted.begin() + static_cast<std::ptrdiff_t>(start),
               dotted.begin() + static_cast<std::ptrdiff_t>(dot));
    start = dot + 1;
  }
  out.push_back(0);
  return out;
}

}  // namespace pangea::unbound::test
