#include "harness/dns_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ldns/ldns.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <utility>

namespace pangea::integration {
namespace {

using Clock = std::chrono::steady_clock;

// ldns hands out malloc'ed strings and objects; these take ownership.
struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
struct PktDeleter {
  void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
using PktPtr = std::unique_ptr<ldns_pkt, PktDeleter>;

std::string take_string(char* s) {
  std::unique_ptr<char, FreeDeleter> owned(s);
  return s == nullptr ? std::string("?") : std::string(s);
}

// A socket closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) {
      close(fd_);
    }
  }
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd& operator=(Fd&&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family = AF_UNSPEC;
};

SocketAddress parse_address(const std::string& address, uint16_t port) {
  SocketAddress out;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    out.length = sizeof(sockaddr_in);
    out.family = AF_INET;
  } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    out.length = sizeof(sockaddr_in6);
    out.family = AF_INET6;
  } else {
    throw std::invalid_argument("not an IP address: '" + address + "'");
  }
  return out;
}

// Milliseconds left until `deadline` (0 when passed), for poll().
int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Waits for `events` on fd until the deadline; false on timeout.
bool wait_fd(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    int r = poll(&p, 1, remaining_ms(deadline));
    if (r > 0) {
      return true;
    }
    if (r == 0) {
      return false;
    }
    if (errno != EINTR) {
      return false;
    }
  }
}

Fd open_socket(const SocketAddress& server, int type, const std::string& source) {
  Fd fd(socket(server.family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (fd.get() < 0) {
    throw DnsError(std::string("socket: ") + std::strerror(errno));
  }
  if (!source.empty()) {
    SocketAddress src = parse_address(source, 0);
    if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&src.storage), src.length) != 0) {
      throw DnsError("cannot bind source address " + source + ": " + std::strerror(errno));
    }
  }
  return fd;
}

std::vector<uint8_t> exchange_udp(const SocketAddress& server, const std::vector<uint8_t>& query,
                                  uint16_t id, const std::string& source,
                                  Clock::time_point deadline, std::string* error) {
  Fd fd = open_socket(server, SOCK_DGRAM, source);
  // Connected, so ICMP "port unreachable" comes back as ECONNREFUSED.
  if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&server.storage), server.length) != 0 ||
      send(fd.get(), query.data(), query.size(), 0) < 0) {
    *error = std::strerror(errno);
    return {};
  }
  std::vector<uint8_t> buf(65535);
  while (wait_fd(fd.get(), POLLIN, deadline)) {
    ssize_t n = recv(fd.get(), buf.data(), buf.size(), 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) {
        continue;
      }
      *error = std::strerror(errno);
      return {};
    }
    // Ignore stray datagrams with another id (a late answer to an earlier poll).
    if (n >= 12 && ((buf[0] << 8) | buf[1]) == id) {
      buf.resize(static_cast<size_t>(n));
      return buf;
    }
  }
  *error = "timed out";
  return {};
}

bool read_exact(int fd, uint8_t* out, size_t len, Clock::time_point deadline, std::string* error) {
  size_t got = 0;
  while (got < len) {
    if (!wait_fd(fd, POLLIN, deadline)) {
      *error = "timed out";
      return false;
    }
    ssize_t n = recv(fd, out + got, len - got, 0);
    if (n == 0) {
      *error = "connection closed after " + std::to_string(got) + " of " + std::to_string(len) +
               " bytes";
      return false;
    }
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) {
        continue;
      }
      *error = std::strerror(errno);
      return false;
    }
    got += static_cast<size_t>(n);
  }
  return true;
}

std::vector<uint8_t> exchange_tcp(const SocketAddress& server, const std::vector<uint8_t>& query,
                                  const std::string& source, Clock::time_point deadline,
                                  std::string* error) {
  Fd fd = open_socket(server, SOCK_STREAM, source);
  if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&server.storage), server.length) != 0) {
    if (errno != EINPROGRESS) {
      *error = std::strerror(errno);
      return {};
    }
    if (!wait_fd(fd.get(), POLLOUT, deadline)) {
      *error = "connect timed out";
      return {};
    }
    int so_error = 0;
    socklen_t len = sizeof so_error;
    getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &so_error, &len);
    if (so_error != 0) {
      *error = std::strerror(so_error);
      return {};
    }
  }
  // Built with memcpy: GCC 12 -O2 misreports insert() into a 2-element vector.
  std::vector<uint8_t> framed(query.size() + 2);
  framed[0] = static_cast<uint8_t>(query.size() >> 8);
  framed[1] = static_cast<uint8_t>(query.size() & 0xff);
  std::memcpy(framed.data() + 2, query.data(), query.size());
  size_t sent = 0;
  while (sent < framed.size()) {
    if (!wait_fd(fd.get(), POLLOUT, deadline)) {
      *error = "send timed out";
      return {};
    }
    ssize_t n = send(fd.get(), framed.data() + sent, framed.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) {
        continue;
      }
      *error = std::strerror(errno);
      return {};
    }
    sent += static_cast<size_t>(n);
  }
  uint8_t length[2];
  if (!read_exact(fd.get(), length, 2, deadline, error)) {
    return {};
  }
  std::vector<uint8_t> buf(static_cast<size_t>((length[0] << 8) | length[1]));
  if (!read_exact(fd.get(), buf.data(), buf.size(), deadline, error)) {
    return {};
  }
  return buf;
}

Record to_record(const ldns_rr* rr) {
  Record r;
  r.owner = take_string(ldns_rdf2str(ldns_rr_owner(rr)));
  r.cls = take_string(ldns_rr_class2str(ldns_rr_get_class(rr)));
  r.type = take_string(ldns_rr_type2str(ldns_rr_get_type(rr)));
  r.ttl = ldns_rr_ttl(rr);
  for (size_t i = 0; i < ldns_rr_rd_count(rr); ++i) {
    if (i > 0) {
      r.rdata += ' ';
    }
    r.rdata += take_string(ldns_rdf2str(ldns_rr_rdf(rr, i)));
  }
  return r;
}

std::vector<Record> to_records(const ldns_rr_list* list, bool skip_opt) {
  std::vector<Record> out;
  for (size_t i = 0; list != nullptr && i < ldns_rr_list_rr_count(list); ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(list, i);
    if (skip_opt && ldns_rr_get_type(rr) == LDNS_RR_TYPE_OPT) {
      continue;
    }
    out.push_back(to_record(rr));
  }
  return out;
}

// EDNS option list: {code:16, length:16, data}*. RFC 8914 EDE data is
// {info-code:16, extra-text (UTF-8, not NUL-terminated)}.
void parse_edns_options(const ldns_rdf* data, Response& out) {
  if (data == nullptr) {
    return;
  }
  const uint8_t* p = ldns_rdf_data(data);
  size_t left = ldns_rdf_size(data);
  while (left >= 4) {
    uint16_t code = static_cast<uint16_t>((p[0] << 8) | p[1]);
    size_t len = static_cast<size_t>((p[2] << 8) | p[3]);
    p += 4;
    left -= 4;
    if (len > left) {
      throw DnsError("EDNS option " + std::to_string(code) + " overruns the OPT record");
    }
    out.edns_options.push_back({code, std::vector<uint8_t>(p, p + len)});
    if (code == LDNS_EDNS_EDE) {
      if (len < 2) {
        throw DnsError("EDE option shorter than its info-code");
      }
      out.extended_errors.push_back({static_cast<uint16_t>((p[0] << 8) | p[1]),
                                     std::string(reinterpret_cast<const char*>(p + 2), len - 2)});
    }
    p += len;
    left -= len;
  }
}

Response parse_response(const std::vector<uint8_t>& wire) {
  ldns_pkt* raw = nullptr;
  ldns_status status = ldns_wire2pkt(&raw, wire.data(), wire.size());
  if (status != LDNS_STATUS_OK) {
    throw DnsError(std::string("unparsable response (") + std::to_string(wire.size()) +
                   " bytes): " + ldns_get_errorstr_by_id(status));
  }
  PktPtr pkt(raw);
  Response r;
  r.id = ldns_pkt_id(raw);
  r.qr = ldns_pkt_qr(raw);
  r.aa = ldns_pkt_aa(raw);
  r.tc = ldns_pkt_tc(raw);
  r.rd = ldns_pkt_rd(raw);
  r.ra = ldns_pkt_ra(raw);
  r.ad = ldns_pkt_ad(raw);
  r.cd = ldns_pkt_cd(raw);
  r.edns = ldns_pkt_edns(raw);
  r.rcode_value = ldns_pkt_get_rcode(raw);
  if (r.edns) {
    r.rcode_value |= ldns_pkt_edns_extended_rcode(raw) << 4;
    r.dnssec_ok = ldns_pkt_edns_do(raw);
    r.udp_size = ldns_pkt_edns_udp_size(raw);
    parse_edns_options(ldns_pkt_edns_data(raw), r);
  }
  r.rcode = r.rcode_value < 16
                ? take_string(ldns_pkt_rcode2str(static_cast<ldns_pkt_rcode>(r.rcode_value)))
                : "RCODE" + std::to_string(r.rcode_value);
  const ldns_rr_list* question = ldns_pkt_question(raw);
  if (question != nullptr && ldns_rr_list_rr_count(question) > 0) {
    const ldns_rr* q = ldns_rr_list_rr(question, 0);
    r.question = take_string(ldns_rdf2str(ldns_rr_owner(q))) + " " +
                 take_string(ldns_rr_class2str(ldns_rr_get_class(q))) + " " +
                 take_string(ldns_rr_type2str(ldns_rr_get_type(q)));
  }
  r.answer = to_records(ldns_pkt_answer(raw), false);
  r.authority = to_records(ldns_pkt_authority(raw), false);
  r.additional = to_records(ldns_pkt_additional(raw), true);
  r.wire_size = wire.size();
  r.text = take_string(ldns_pkt2str(raw));
  return r;
}

uint16_t random_id() {
  static thread_local std::mt19937 rng{std::random_device{}()};
  return static_cast<uint16_t>(rng() & 0xffff);
}

}  // namespace

std::string to_string(Transport transport) {
  return transport == Transport::udp ? "udp" : "tcp";
}

std::string Record::text() const {
  return owner + " " + std::to_string(ttl) + " " + cls + " " + type + " " + rdata;
}

std::ostream& operator<<(std::ostream& out, const Record& record) {
  return out << record.text();
}

std::ostream& operator<<(std::ostream& out, const ExtendedError& error) {
  return out << "EDE " << error.info_code << " \"" << error.extra_text << "\"";
}

std::ostream& operator<<(std::ostream& out, const Response& response) {
  return out << "\n" << response.text;
}

std::vector<std::string> Response::answer_rdata(std::string_view type) const {
  std::vector<std::string> out;
  for (const auto& rr : answer) {
    if (rr.type == type) {
      out.push_back(rr.rdata);
    }
  }
  return out;
}

bool Response::has_soa() const {
  for (const auto& rr : authority) {
    if (rr.type == "SOA") {
      return true;
    }
  }
  return false;
}

DnsClient::DnsClient(std::string server_address, uint16_t port)
    : server_(std::move(server_address)), port_(port) {}

Response DnsClient::query(std::string_view name, std::string_view type,
                          const QueryOptions& options) const {
  std::string qname(name);
  if (qname.empty() || qname.back() != '.') {
    qname += '.';
  }
  std::string what = qname + " " + options.qclass + " " + std::string(type);
  ldns_rr_type qtype = ldns_get_rr_type_by_name(std::string(type).c_str());
  ldns_rr_class qclass = ldns_get_rr_class_by_name(options.qclass.c_str());
  if (qtype == 0 || qclass == 0) {
    throw std::invalid_argument("unknown type or class in query " + what);
  }
  ldns_rdf* owner = ldns_dname_new_frm_str(qname.c_str());
  if (owner == nullptr) {
    throw std::invalid_argument("bad query name '" + qname + "'");
  }
  uint16_t flags = 0;
  if (options.recursion_desired) {
    flags |= LDNS_RD;
  }
  if (options.checking_disabled) {
    flags |= LDNS_CD;
  }
  PktPtr pkt(ldns_pkt_query_new(owner, qtype, qclass, flags));
  uint16_t id = random_id();
  ldns_pkt_set_id(pkt.get(), id);
  if (options.edns) {
    ldns_pkt_set_edns_udp_size(pkt.get(), options.udp_size);
    ldns_pkt_set_edns_do(pkt.get(), options.dnssec_ok);
  }
  uint8_t* wire_raw = nullptr;
  size_t wire_len = 0;
  if (ldns_pkt2wire(&wire_raw, pkt.get(), &wire_len) != LDNS_STATUS_OK) {
    throw DnsError("cannot encode query " + what);
  }
  std::unique_ptr<uint8_t, FreeDeleter> wire_owned(wire_raw);
  std::vector<uint8_t> query(wire_raw, wire_raw + wire_len);

  SocketAddress server = parse_address(server_, port_);
  auto start = Clock::now();
  auto deadline = start + options.timeout;
  std::string error;
  std::vector<uint8_t> reply =
      options.transport == Transport::udp
          ? exchange_udp(server, query, id, options.source_address, deadline, &error)
          : exchange_tcp(server, query, options.source_address, deadline, &error);
  if (reply.empty()) {
    throw DnsError("no response from " + endpoint() + " (" + to_string(options.transport) +
                   ") to " + what + " within " + std::to_string(options.timeout.count()) +
                   " ms: " + error);
  }
  Response r = parse_response(reply);
  r.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
  if (r.id != id) {
    throw DnsError("response id " + std::to_string(r.id) + " does not match query id " +
                   std::to_string(id) + " for " + what + r.text);
  }
  return r;
}

std::optional<Response> DnsClient::try_query(std::string_view name, std::string_view type,
                                             const QueryOptions& options) const {
  try {
    return query(name, type, options);
  } catch (const DnsError&) {
    return std::nullopt;
  }
}

}  // namespace pangea::integration
