#include "pangea/policy/geoip.h"

#include <maxminddb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "pangea/policy/clock.h"

namespace pangea::policy {
namespace {

// Reads a two-letter iso_code at `path` ("country", "iso_code") of a lookup result.
bool read_iso_code(MMDB_entry_s* entry, const char* container, CountryCode& out) {
  MMDB_entry_data_s data{};
  if (MMDB_get_value(entry, &data, container, "iso_code", nullptr) != MMDB_SUCCESS)
    return false;
  if (!data.has_data || data.type != MMDB_DATA_TYPE_UTF8_STRING || data.data_size != 2) {
    return false;
  }
  const char* code = data.utf8_string;
  for (int i = 0; i < 2; ++i) {
    const char c = code[i];
    if (c < 'A' || c > 'Z')
      return false;
    out[i] = c;
  }
  return true;
}

}  // namespace

GeoIp::~GeoIp() {
  if (opened_)
    MMDB_close(db_.get());
}

std::shared_ptr<const GeoIp> GeoIp::open(const std::string& path, std::string& error) {
  std::shared_ptr<GeoIp> geoip(new GeoIp());
  geoip->path_ = path;
  geoip->db_ = std::make_unique<MMDB_s>();
  errno = 0;
  const int status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, geoip->db_.get());
  const int saved_errno = errno;
  if (status != MMDB_SUCCESS) {
    error = "cannot open GeoIP database " + path + ": " + MMDB_strerror(status);
    if ((status == MMDB_IO_ERROR || status == MMDB_FILE_OPEN_ERROR) && saved_errno != 0) {
      error += std::string(" (") + std::strerror(saved_errno) + ")";
    }
    return nullptr;
  }
  geoip->opened_ = true;
  const std::string type =
      geoip->db_->metadata.database_type ? geoip->db_->metadata.database_type : "";
  if (type.find("Country") == std::string::npos && type.find("City") == std::string::npos &&
      type.find("Enterprise") == std::string::npos) {
    error = "GeoIP database " + path + " is of type '" + type +
            "', expected a Country, City or Enterprise database";
    return nullptr;
  }
  // libmaxminddb only detects a corrupt search tree on lookups: probe one address of
  // each family so a broken file is refused at load time rather than per query.
  for (const char* probe : {"1.1.1.1", "2001:db8::1"}) {
    int gai_error = 0;
    int mmdb_error = MMDB_SUCCESS;
    MMDB_lookup_result_s result =
        MMDB_lookup_string(geoip->db_.get(), probe, &gai_error, &mmdb_error);
    if (gai_error == 0 && mmdb_error != MMDB_SUCCESS) {
      error = "GeoIP database " + path + " is corrupt: " + MMDB_strerror(mmdb_error);
      return nullptr;
    }
    if (result.found_entry) {
      MMDB_entry_data_list_s* list = nullptr;
      const int status_data = MMDB_get_entry_data_list(&result.entry, &list);
      MMDB_free_entry_data_list(list);
      if (status_data != MMDB_SUCCESS) {
        error = "GeoIP database " + path + " is corrupt: " + MMDB_strerror(status_data);
        return nullptr;
      }
    }
  }
  return geoip;
}

CountryCode GeoIp::country(const Address& address) const noexcept {
  int mmdb_error = MMDB_SUCCESS;
  MMDB_lookup_result_s result{};
  if (address.family == Address::Family::v4) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    std::memcpy(&in.sin_addr, address.bytes.data(), 4);
    result = MMDB_lookup_sockaddr(db_.get(), reinterpret_cast<const sockaddr*>(&in), &mmdb_error);
  } else if (address.family == Address::Family::v6) {
    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    std::memcpy(&in6.sin6_addr, address.bytes.data(), 16);
    result = MMDB_lookup_sockaddr(db_.get(), reinterpret_cast<const sockaddr*>(&in6), &mmdb_error);
  } else {
    return kUnknownCountry;
  }
  if (mmdb_error != MMDB_SUCCESS || !result.found_entry)
    return kUnknownCountry;
  CountryCode code = kUnknownCountry;
  if (read_iso_code(&result.entry, "country", code))
    return code;
  if (read_iso_code(&result.entry, "registered_country", code))
    return code;
  return kUnknownCountry;
}

std::string GeoIp::describe() const {
  const auto& meta = db_->metadata;
  return std::string(meta.database_type ? meta.database_type : "unknown") + " database " + path_ +
         ", built " + format_utc(static_cast<int64_t>(meta.build_epoch));
}

}  // namespace pangea::policy
