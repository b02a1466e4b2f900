#include "pangea/policy/network.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <charconv>
#include <cstring>

#include "pangea/policy/geoip.h"

namespace pangea::policy {
namespace {

constexpr std::array<uint8_t, 12> kMappedPrefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

}  // namespace

Address Address::v4(const std::array<uint8_t, 4>& octets) {
  Address address;
  address.family = Family::v4;
  std::memcpy(address.bytes.data(), octets.data(), 4);
  return address;
}

Address Address::v6(const std::array<uint8_t, 16>& octets) {
  if (std::memcmp(octets.data(), kMappedPrefix.data(), kMappedPrefix.size()) == 0) {
    return v4({octets[12], octets[13], octets[14], octets[15]});
  }
  Address address;
  address.family = Family::v6;
  address.bytes = octets;
  return address;
}

std::optional<Address> Address::parse(std::string_view text) {
  // inet_pton stops at a NUL: "192.0.2.1\0junk" must not parse as 192.0.2.1.
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN || text.find('\0') != std::string_view::npos)
    return std::nullopt;
  char buffer[INET6_ADDRSTRLEN];
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  std::array<uint8_t, 4> v4_bytes{};
  if (inet_pton(AF_INET, buffer, v4_bytes.data()) == 1)
    return v4(v4_bytes);
  std::array<uint8_t, 16> v6_bytes{};
  if (inet_pton(AF_INET6, buffer, v6_bytes.data()) == 1)
    return v6(v6_bytes);
  return std::nullopt;
}

Address Address::from_sockaddr(const sockaddr* sa, size_t length) noexcept {
  if (sa == nullptr)
    return {};
  if (sa->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
    sockaddr_in in{};
    std::memcpy(&in, sa, sizeof in);
    std::array<uint8_t, 4> octets{};
    std::memcpy(octets.data(), &in.sin_addr, 4);
    return v4(octets);
  }
  if (sa->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, sa, sizeof in6);
    std::array<uint8_t, 16> octets{};
    std::memcpy(octets.data(), &in6.sin6_addr, 16);
    return v6(octets);
  }
  return {};
}

std::string Address::to_string() const {
  char buffer[INET6_ADDRSTRLEN] = {};
  if (family == Family::v4) {
    inet_ntop(AF_INET, bytes.data(), buffer, sizeof buffer);
  } else if (family == Family::v6) {
    inet_ntop(AF_INET6, bytes.data(), buffer, sizeof buffer);
  } else {
    return "none";
  }
  return buffer;
}

std::optional<Network> Network::parse(std::string_view text, std::string& error) {
  const size_t slash = text.find('/');
  const std::string_view address_text = text.substr(0, slash);
  auto address = Address::parse(address_text);
  if (!address) {
    error = "found '" + std::string(text) + "', expected an IPv4 or IPv6 network such as " +
            "10.0.0.0/8 or 2001:db8::/32";
    return std::nullopt;
  }
  // A mapped address was normalised to IPv4; its prefix would then be off by 96.
  if (address->family == Address::Family::v4 && address_text.find(':') != std::string_view::npos) {
    error = "found '" + std::string(text) + "', expected an IPv4 network in dotted form, not " +
            "an IPv4-mapped IPv6 one";
    return std::nullopt;
  }
  const unsigned max_prefix = address->family == Address::Family::v4 ? 32 : 128;
  unsigned prefix = max_prefix;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    const char* end = digits.data() + digits.size();
    auto [ptr, ec] = std::from_chars(digits.data(), end, prefix);
    if (digits.empty() || ec != std::errc() || ptr != end || prefix > max_prefix) {
      error = "found prefix length '" + std::string(digits) + "' in '" + std::string(text) +
              "', expected 0 to " + std::to_string(max_prefix);
      return std::nullopt;
    }
  }
  Network network{*address, static_cast<uint8_t>(prefix)};
  Network canonical = network;
  for (unsigned bit = prefix; bit < max_prefix; ++bit) {
    canonical.base.bytes[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
  }
  if (!(canonical == network)) {
    error = "found host bits set in '" + std::string(text) + "', expected " + canonical.to_string();
    return std::nullopt;
  }
  return network;
}

bool Network::contains(const Address& address) const noexcept {
  if (address.family != base.family || base.family == Address::Family::none)
    return false;
  const unsigned full = prefix / 8;
  if (std::memcmp(address.bytes.data(), base.bytes.data(), full) != 0)
    return false;
  const unsigned rest = prefix % 8;
  if (rest == 0)
    return true;
  const auto mask = static_cast<uint8_t>(0xffu << (8 - rest));
  return (address.bytes[full] & mask) == (base.bytes[full] & mask);
}

std::string Network::to_string() const {
  return base.to_string() + "/" + std::to_string(prefix);
}

CountryCode Client::country(const GeoIp* geoip) const noexcept {
  if (geoip == nullptr || address_.empty())
    return kUnknownCountry;
  if (looked_up_in_ != geoip) {
    country_ = geoip->country(address_);
    looked_up_in_ = geoip;
  }
  return country_;
}

}  // namespace pangea::policy
