#pragma once
// Country lookups in a MaxMind DB (GeoIP2/GeoLite2 Country or City) through
// libmaxminddb. Immutable after open(): lookups from any thread, no locks, no
// allocation.

#include <memory>
#include <string>

#include "pangea/policy/network.h"

struct MMDB_s;

namespace pangea::policy {

class GeoIp {
 public:
  // Opens and maps `path`; null + `error` on failure ("cannot open ...: The MaxMind
  // DB file's search tree is corrupt"). Rejects databases that have no
  // country data (e.g. an ASN database) by probing their metadata type.
  static std::shared_ptr<const GeoIp> open(const std::string& path, std::string& error);

  ~GeoIp();
  GeoIp(const GeoIp&) = delete;
  GeoIp& operator=(const GeoIp&) = delete;

  // country.iso_code, falling back to registered_country.iso_code;
  // kUnknownCountry when the address is not in the database.
  CountryCode country(const Address& address) const noexcept;

  const std::string& path() const { return path_; }
  std::string describe() const;  // "GeoIP2-Country, built 2026-..."

 private:
  GeoIp() = default;
  std::string path_;
  std::unique_ptr<MMDB_s> db_;
  bool opened_ = false;
};

}  // namespace pangea::policy
