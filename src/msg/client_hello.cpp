#include "msg/client_hello.h"

#include <algorithm>

#include "msg/codec_util.h"
#include "msg/ext_psk.h"
#include "msg/handshake.h"

namespace tls13::msg {

bool ClientHello::null_compression_only() const noexcept {
  return legacy_compression_methods.size() == 1 && legacy_compression_methods[0] == 0;
}

Result<ClientHello> ClientHello::decode(wire::Bytes body, const DecodeLimits& limits) {
  wire::Reader r(body);
  ClientHello ch;
  wire::Bytes random;
  if (!r.read_u16(ch.legacy_version) || !r.read_bytes(ch.random.size(), random)) {
    return detail::decode_error("ClientHello: truncated");
  }
  std::ranges::copy(random, ch.random.begin());
  if (!r.read_vector(1, 0, 32, ch.legacy_session_id)) {
    return detail::decode_error("ClientHello: malformed legacy_session_id");
  }
  if (!detail::read_u16_list(r, 2, 2, 0xfffe, ch.cipher_suites)) {
    return detail::decode_error("ClientHello: malformed cipher_suites");
  }
  if (!r.read_vector(1, 1, 255, ch.legacy_compression_methods)) {
    return detail::decode_error("ClientHello: malformed legacy_compression_methods");
  }
  TLS13_ASSIGN_OR_RETURN(ch.extensions,
                         decode_extensions(r, MessageContext::client_hello, limits.max_extensions));
  if (!r.empty()) return detail::decode_error("ClientHello: trailing data");
  if (auto i = ch.extensions.index_of(static_cast<std::uint16_t>(ExtensionType::pre_shared_key));
      i && *i + 1 != ch.extensions.size()) {
    return detail::illegal_parameter("ClientHello: pre_shared_key is not the last extension");
  }
  return ch;
}

void ClientHello::encode(wire::Writer& w) const {
  w.u16(legacy_version);
  w.bytes(random);
  w.vector(1, legacy_session_id);
  detail::write_u16_list(w, 2, cipher_suites);
  w.vector(1, legacy_compression_methods);
  extensions.encode(w);
}

namespace {

// The decoded OfferedPsks of a complete ClientHello message, checked to end
// the message.
Result<OfferedPsks> offered_psks_at_end(wire::Bytes message, const DecodeLimits& limits) {
  TLS13_ASSIGN_OR_RETURN(HandshakeView v, parse_handshake(message));
  if (v.type != HandshakeType::client_hello) {
    return Error(Alert::internal_error, "PSK binders: not a ClientHello");
  }
  TLS13_ASSIGN_OR_RETURN(ClientHello ch, ClientHello::decode(v.body, limits));
  if (ch.extensions.empty() ||
      ch.extensions[ch.extensions.size() - 1].kind() != OfferedPsks::kType) {
    return Error(Alert::internal_error, "PSK binders: no pre_shared_key extension");
  }
  const Extension psk = ch.extensions[ch.extensions.size() - 1];
  // Holds by construction (extensions end the body, psk ends the block).
  if (psk.body.data() + psk.body.size() != message.data() + message.size()) {
    return Error(Alert::internal_error, "PSK binders: pre_shared_key does not end the message");
  }
  return OfferedPsks::decode(psk.body);
}

}  // namespace

Result<wire::Bytes> truncate_client_hello_for_binders(wire::Bytes message,
                                                      const DecodeLimits& limits) {
  TLS13_ASSIGN_OR_RETURN(OfferedPsks psks, offered_psks_at_end(message, limits));
  return message.first(message.size() - psks.binders_size());
}

Result<void> patch_psk_binders(std::span<std::uint8_t> message,
                               std::span<const wire::Bytes> binders, const DecodeLimits& limits) {
  TLS13_ASSIGN_OR_RETURN(OfferedPsks psks, offered_psks_at_end(message, limits));
  if (psks.binders.size() != binders.size()) {
    return Error(Alert::internal_error, "PSK binders: count differs from the encoded one");
  }
  for (std::size_t i = 0; i < binders.size(); ++i) {
    if (psks.binders[i].size() != binders[i].size()) {
      return Error(Alert::internal_error, "PSK binders: length differs from the encoded one");
    }
  }
  // Binders field = u16 length, then per binder a u8 length and its bytes.
  std::size_t at = message.size() - psks.binders_size() + 2;
  for (const auto& b : binders) {
    std::ranges::copy(b, message.begin() + static_cast<std::ptrdiff_t>(at + 1));
    at += 1 + b.size();
  }
  return {};
}

}  // namespace tls13::msg
