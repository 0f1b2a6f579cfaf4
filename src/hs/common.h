// Helpers shared by the client and server state machines.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"
#include "hs/handshake.h"
#include "keysched/transcript.h"
#include "msg/extension.h"
#include "msg/handshake.h"
#include "msg/handshake_type.h"
#include "wire/scratch_buffer.h"

namespace tls13::hs {

// Encodes `m` as a handshake message, adds it to `transcript` and queues it.
// `name` overrides the trace name (a ServerHello that is a HelloRetryRequest).
template <class M>
Result<void> send_message(Io& io, ks::Transcript& transcript, const M& m,
                          std::string_view summary = {}, std::string_view name = {}) {
  wire::ScratchBuffer scratch;  // copied into the transcript and the output below
  auto& bytes = scratch.bytes();
  TLS13_TRY(msg::append_message(bytes, m));
  transcript.add(bytes);
  io.send_handshake(bytes);
  if (io.tracing())
    io.trace_message(true, name.empty() ? msg::message_name(M::kType) : name, summary);
  return ok();
}

// RFC 8446 §4.2: a server may only answer extensions the client sent
// (cookie in a HelloRetryRequest excepted); anything else is
// unsupported_extension.
Result<void> check_solicited(const msg::ExtensionList& received,
                             std::span<const std::uint16_t> sent, std::string_view message);

// Puts the extensions whose types `order` lists first, in that order; the
// others follow in their current order. An empty `order` changes nothing.
void reorder_extensions(msg::ExtensionList& list, std::span<const std::uint16_t> order);

Error unexpected(std::uint8_t type, std::string_view state);

std::string hex_prefix(std::span<const std::uint8_t> b, std::size_t n = 8);

}  // namespace tls13::hs
