#pragma once
// A small DNS stub client for tests, over UDP or TCP, built on ldns for the
// wire format. It sends exactly one query (no retries, no fallback from UDP to
// TCP on TC: the test sees what the server sent) and returns the whole
// response parsed into plain values that Catch2 can compare and print.
//
// Thread-safe: a DnsClient holds only the server address.

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pangea::integration {

enum class Transport { udp, tcp };
std::string to_string(Transport transport);

struct QueryOptions {
  Transport transport = Transport::udp;
  bool recursion_desired = true;   // RD
  bool checking_disabled = false;  // CD
  bool edns = true;                // send an OPT record
  bool dnssec_ok = false;          // DO bit (only with edns)
  uint16_t udp_size = 1232;        // advertised EDNS buffer size
  std::string source_address;      // bind to this address first, e.g. "127.0.0.2"; "": any
  std::string qclass = "IN";
  std::chrono::milliseconds timeout{2000};
};

struct Record {
  std::string owner;  // "www.test." as sent (case preserved)
  std::string cls;    // "IN"
  std::string type;   // "A", "CNAME", "TYPE65534"
  uint32_t ttl = 0;
  std::string rdata;  // presentation format: "192.0.2.1", "10 mail.test.", "\"text\""

  // "www.test. 3600 IN A 192.0.2.1"
  std::string text() const;
  bool operator==(const Record&) const = default;
};
std::ostream& operator<<(std::ostream& out, const Record& record);

// RFC 8914 Extended DNS Error, from EDNS option 15.
struct ExtendedError {
  uint16_t info_code = 0;
  std::string extra_text;
  bool operator==(const ExtendedError&) const = default;
};
std::ostream& operator<<(std::ostream& out, const ExtendedError& error);

struct EdnsOption {
  uint16_t code = 0;
  std::vector<uint8_t> data;
};

struct Response {
  uint16_t id = 0;
  std::string rcode;    // "NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED", ...
  int rcode_value = 0;  // including the EDNS extended bits
  bool qr = false, aa = false, tc = false, rd = false, ra = false, ad = false, cd = false;
  std::string question;  // "www.test. IN A", "" when the response has none
  std::vector<Record> answer;
  std::vector<Record> authority;
  std::vector<Record> additional;  // without the OPT record

  bool edns = false;  // the response carried an OPT record
  bool dnssec_ok = false;
  uint16_t udp_size = 0;
  std::vector<EdnsOption> edns_options;        // all of them, raw
  std::vector<ExtendedError> extended_errors;  // the EDE options among them, parsed

  size_t wire_size = 0;
  std::chrono::microseconds elapsed{0};
  std::string text;  // the whole message as ldns prints it (dig-like), for messages

  // rdata of the answer records of `type` ("A"), in order received.
  std::vector<std::string> answer_rdata(std::string_view type) const;
  // True if the authority section has a SOA record.
  bool has_soa() const;
};
// Prints Response::text, so a failed CHECK on a response shows the whole message.
std::ostream& operator<<(std::ostream& out, const Response& response);

// Timeout, connection refused, or an unparsable reply; the message names the
// server, transport and question.
class DnsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DnsClient {
 public:
  DnsClient(std::string server_address, uint16_t port);

  // Throws DnsError; std::invalid_argument for an unknown type/class or a bad name.
  Response query(std::string_view name, std::string_view type,
                 const QueryOptions& options = {}) const;
  // Like query(), but nullopt instead of DnsError (for readiness polling).
  std::optional<Response> try_query(std::string_view name, std::string_view type,
                                    const QueryOptions& options = {}) const;

  const std::string& server_address() const { return server_; }
  uint16_t port() const { return port_; }
  std::string endpoint() const { return server_ + "@" + std::to_string(port_); }

 private:
  std::string server_;
  uint16_t port_;
};

}  // namespace pangea::integration
