#pragma once
// Client addresses and CIDR networks for list scopes. No allocation on lookups.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sockaddr;

namespace pangea::policy {

// An IPv4 or IPv6 address. IPv4 is stored in the first 4 bytes. IPv4-mapped
// IPv6 addresses (::ffff:a.b.c.d, as dual-stack sockets report IPv4 clients) are
// normalised to IPv4 by every constructor, so "10.0.0.0/8" matches them.
struct Address {
  enum class Family : uint8_t { none = 0, v4 = 4, v6 = 6 };
  Family family = Family::none;
  std::array<uint8_t, 16> bytes{};

  static Address v4(const std::array<uint8_t, 4>& octets);
  static Address v6(const std::array<uint8_t, 16>& octets);  // normalises mapped IPv4
  // Textual form ("192.0.2.1", "2001:db8::1"); nullopt when not an address.
  static std::optional<Address> parse(std::string_view text);
  // From a sockaddr_in / sockaddr_in6; Family::none for anything else or a short length.
  static Address from_sockaddr(const sockaddr* sa, size_t length) noexcept;

  bool empty() const { return family == Family::none; }
  size_t size() const { return family == Family::v4 ? 4 : family == Family::v6 ? 16 : 0; }
  std::string to_string() const;
  bool operator==(const Address&) const = default;
};

// A CIDR network such as 10.0.0.0/8 or 2001:db8::/32.
struct Network {
  Address base;
  uint8_t prefix = 0;

  // "10.0.0.0/8", "2001:db8::/32", or a bare address (a /32 or /128). Host bits
  // must be zero. On failure returns nullopt and sets `error` to what is wrong
  // ("host bits set in 10.0.0.1/8, expected 10.0.0.0/8").
  static std::optional<Network> parse(std::string_view text, std::string& error);

  // False for an address of the other family.
  bool contains(const Address& address) const noexcept;
  std::string to_string() const;
  bool operator==(const Network&) const = default;
};

// ISO 3166-1 alpha-2, upper case; {0, 0} is "unknown".
using CountryCode = std::array<char, 2>;
inline constexpr CountryCode kUnknownCountry{};
inline std::string_view to_string_view(const CountryCode& code) {
  return code[0] == 0 ? std::string_view("unknown") : std::string_view(code.data(), 2);
}

class GeoIp;

// The client a query is decided for. Cheap to construct per query; not shared
// between threads (the country is looked up lazily and cached in the object).
class Client {
 public:
  Client() = default;  // no address: internal queries (prefetch, subqueries)
  explicit Client(const Address& address) : address_(address) {}

  const Address& address() const { return address_; }

  // The client's country according to `geoip` (kUnknownCountry without a
  // database, an address, or a record). Looked up at most once per database.
  CountryCode country(const GeoIp* geoip) const noexcept;

 private:
  Address address_;
  mutable const GeoIp* looked_up_in_ = nullptr;
  mutable CountryCode country_ = kUnknownCountry;
};

}  // namespace pangea::policy
