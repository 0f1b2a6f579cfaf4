#include "msg/extension.h"

#include <algorithm>
#include <string>

#include "msg/codec_util.h"

namespace tls13::msg {

namespace {

// Bit per MessageContext.
constexpr unsigned bit(MessageContext c) {
  return 1u << static_cast<unsigned>(c);
}
constexpr unsigned CH = bit(MessageContext::client_hello);
constexpr unsigned SH = bit(MessageContext::server_hello);
constexpr unsigned HRR = bit(MessageContext::hello_retry_request);
constexpr unsigned EE = bit(MessageContext::encrypted_extensions);
constexpr unsigned CR = bit(MessageContext::certificate_request);
constexpr unsigned CT = bit(MessageContext::certificate);
constexpr unsigned NST = bit(MessageContext::new_session_ticket);

struct Row {
  ExtensionType type;
  std::string_view name;
  unsigned allowed;  // 0: known name, but not a TLS 1.3 extension
};

// RFC 8446 §4.2 table, plus the IANA "TLS 1.3" column for later extensions.
constexpr Row kRows[] = {
    {ExtensionType::server_name, "server_name", CH | EE},
    {ExtensionType::max_fragment_length, "max_fragment_length", CH | EE},
    {ExtensionType::status_request, "status_request", CH | CR | CT},
    {ExtensionType::supported_groups, "supported_groups", CH | EE},
    {ExtensionType::signature_algorithms, "signature_algorithms", CH | CR},
    {ExtensionType::use_srtp, "use_srtp", CH | EE},
    {ExtensionType::heartbeat, "heartbeat", CH | EE},
    {ExtensionType::application_layer_protocol_negotiation,
     "application_layer_protocol_negotiation", CH | EE},
    {ExtensionType::signed_certificate_timestamp, "signed_certificate_timestamp", CH | CR | CT},
    {ExtensionType::client_certificate_type, "client_certificate_type", CH | EE},
    {ExtensionType::server_certificate_type, "server_certificate_type", CH | EE},
    {ExtensionType::padding, "padding", CH},
    {ExtensionType::compress_certificate, "compress_certificate", CH | CR},  // RFC 8879 §7
    {ExtensionType::record_size_limit, "record_size_limit", CH | EE},        // RFC 8449 §7
    {ExtensionType::session_ticket, "session_ticket", 0},
    {ExtensionType::pre_shared_key, "pre_shared_key", CH | SH},
    {ExtensionType::early_data, "early_data", CH | EE | NST},
    {ExtensionType::supported_versions, "supported_versions", CH | SH | HRR},
    {ExtensionType::cookie, "cookie", CH | HRR},
    {ExtensionType::psk_key_exchange_modes, "psk_key_exchange_modes", CH},
    {ExtensionType::certificate_authorities, "certificate_authorities", CH | CR},
    {ExtensionType::oid_filters, "oid_filters", CR},
    {ExtensionType::post_handshake_auth, "post_handshake_auth", CH},
    {ExtensionType::signature_algorithms_cert, "signature_algorithms_cert", CH | CR},
    {ExtensionType::key_share, "key_share", CH | SH | HRR},
    {ExtensionType::quic_transport_parameters, "quic_transport_parameters", CH | EE},  // RFC 9001
    {ExtensionType::ech_outer_extensions, "ech_outer_extensions", CH},
    {ExtensionType::encrypted_client_hello, "encrypted_client_hello", CH | HRR | EE},
    {ExtensionType::renegotiation_info, "renegotiation_info", 0},
};

const Row* row_of(std::uint16_t type) noexcept {
  for (const Row& r : kRows)
    if (static_cast<std::uint16_t>(r.type) == type) return &r;
  return nullptr;
}

struct BlockBounds {
  std::size_t min, max;
};

// `Extension extensions<min..max>` of each message (App. B.3).
BlockBounds block_bounds(MessageContext ctx) noexcept {
  switch (ctx) {
    case MessageContext::client_hello:
      return {8, 0xffff};
    case MessageContext::server_hello:
    case MessageContext::hello_retry_request:
      return {6, 0xffff};
    case MessageContext::certificate_request:
      return {2, 0xffff};
    case MessageContext::new_session_ticket:
      return {0, 0xfffe};
    case MessageContext::encrypted_extensions:
    case MessageContext::certificate:
      break;
  }
  return {0, 0xffff};
}

}  // namespace

std::string_view to_string(ExtensionType t) noexcept {
  const Row* r = row_of(static_cast<std::uint16_t>(t));
  return r ? r->name : "unknown";
}

std::string_view to_string(MessageContext c) noexcept {
  switch (c) {
    case MessageContext::client_hello:
      return "ClientHello";
    case MessageContext::server_hello:
      return "ServerHello";
    case MessageContext::hello_retry_request:
      return "HelloRetryRequest";
    case MessageContext::encrypted_extensions:
      return "EncryptedExtensions";
    case MessageContext::certificate_request:
      return "CertificateRequest";
    case MessageContext::certificate:
      return "Certificate";
    case MessageContext::new_session_ticket:
      return "NewSessionTicket";
  }
  return "unknown";
}

bool is_recognized(std::uint16_t type) noexcept {
  const Row* r = row_of(type);
  return r && r->allowed != 0;
}

bool allowed_in(std::uint16_t type, MessageContext ctx) noexcept {
  const Row* r = row_of(type);
  return r && (r->allowed & bit(ctx)) != 0;
}

Result<ExtensionList> decode_extensions(wire::Reader& r, MessageContext ctx,
                                        std::size_t max_extensions) {
  // Built only for an error message (a std::string here allocated per call).
  const auto where = [ctx] { return std::string(to_string(ctx)); };
  const BlockBounds b = block_bounds(ctx);
  wire::Reader block;
  if (!r.read_prefixed(2, b.min, b.max, block)) {
    return detail::decode_error(where() + ": malformed extensions block");
  }
  ExtensionList list;  // usual blocks fit the inline slots: no reserve()
  while (!block.empty()) {
    std::uint16_t type;
    wire::Bytes body;
    if (!block.read_u16(type) || !block.read_vector(2, 0, 0xffff, body)) {
      return detail::decode_error(where() + ": malformed extension");
    }
    if (list.slots_.size() == max_extensions) {
      return detail::decode_error(where() + ": too many extensions");
    }
    // §4.2: no two extensions of one type in a block. Linear scan: the list
    // is bounded by max_extensions.
    if (list.contains(type)) {
      return detail::illegal_parameter(where() + ": duplicate extension " + std::to_string(type));
    }
    if (is_recognized(type) && !allowed_in(type, ctx)) {
      return detail::illegal_parameter(where() + ": extension " +
                                       std::string(to_string(static_cast<ExtensionType>(type))) +
                                       " not allowed");
    }
    list.slots_.push_back({type, false, static_cast<std::uint32_t>(body.size()), body.data(), 0});
  }
  return list;
}

Extension ExtensionList::operator[](std::size_t i) const noexcept {
  const Slot& s = slots_[i];
  return {s.type, wire::Bytes(s.owned ? storage_.data() + s.offset : s.view, s.length)};
}

std::optional<std::size_t> ExtensionList::index_of(std::uint16_t type) const noexcept {
  for (std::size_t i = 0; i < slots_.size(); ++i)
    if (slots_[i].type == type) return i;
  return std::nullopt;
}

std::optional<Extension> ExtensionList::find(std::uint16_t type) const noexcept {
  if (auto i = index_of(type)) return (*this)[*i];
  return std::nullopt;
}

std::uint32_t ExtensionList::store(wire::Bytes body) {
  if (storage_.capacity() == 0) storage_.reserve(256);
  const auto off = static_cast<std::uint32_t>(storage_.size());
  const auto* base = storage_.data();
  if (!body.empty() && body.data() >= base && body.data() < base + storage_.size()) {
    // Copying from our own storage: insert() may reallocate first.
    std::vector<std::uint8_t> tmp(body.begin(), body.end());
    storage_.insert(storage_.end(), tmp.begin(), tmp.end());
  } else {
    storage_.insert(storage_.end(), body.begin(), body.end());
  }
  return off;
}

void ExtensionList::add(std::uint16_t type, wire::Bytes body) {
  const std::uint32_t off = store(body);
  slots_.push_back({type, true, static_cast<std::uint32_t>(body.size()), nullptr, off});
}

void ExtensionList::set(std::uint16_t type, wire::Bytes body) {
  auto i = index_of(type);
  if (!i) return add(type, body);
  const std::uint32_t off = store(body);
  slots_[*i] = {type, true, static_cast<std::uint32_t>(body.size()), nullptr, off};
}

bool ExtensionList::remove(std::uint16_t type) {
  auto i = index_of(type);
  if (!i) return false;
  slots_.erase(slots_.begin() + static_cast<std::ptrdiff_t>(*i));
  return true;
}

void ExtensionList::own() {
  for (Slot& s : slots_) {
    if (s.owned) continue;
    s.offset = store(wire::Bytes(s.view, s.length));
    s.owned = true;
    s.view = nullptr;
  }
}

void ExtensionList::encode(wire::Writer& w) const {
  w.prefixed(2, [&](wire::Writer& b) {
    for (Extension e : *this) {
      b.u16(e.type);
      b.vector(2, e.body);
    }
  });
}

bool operator==(const ExtensionList& a, const ExtensionList& b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const Extension x = a[i], y = b[i];
    if (x.type != y.type || !std::ranges::equal(x.body, y.body)) return false;
  }
  return true;
}

}  // namespace tls13::msg
