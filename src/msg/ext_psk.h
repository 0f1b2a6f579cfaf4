// pre_shared_key (RFC 8446 §4.2.11), psk_key_exchange_modes (§4.2.9) and
// early_data (§4.2.10).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/result.h"
#include "base/small_vector.h"
#include "msg/decode_guard.h"
#include "msg/extension.h"
#include "wire/writer.h"

namespace tls13::msg {

// struct { opaque identity<1..2^16-1>; uint32 obfuscated_ticket_age; }
struct PskIdentity {
  wire::Bytes identity;
  std::uint32_t obfuscated_ticket_age = 0;
};

// OfferedPsks (pre_shared_key in ClientHello):
//   PskIdentity identities<7..2^16-1>;
//   PskBinderEntry binders<33..2^16-1>;   PskBinderEntry = opaque<32..255>
// One binder per identity, else illegal_parameter. The binders field ends the
// ClientHello (pre_shared_key is its last extension), which is what
// truncate_client_hello_for_binders / patch_psk_binders (client_hello.h) use.
struct OfferedPsks {
  static constexpr ExtensionType kType = ExtensionType::pre_shared_key;
  // Inline for the usual one or two PSKs; more move to the heap.
  SmallVector<PskIdentity, 4> identities;
  SmallVector<wire::Bytes, 4> binders;

  // Encoded size of the binders field: 2 + sum(1 + binder length).
  std::size_t binders_size() const noexcept;

  static Result<OfferedPsks> decode(wire::Bytes body);
  TLS13_MSG_NO_DECODE_FROM_TEMPORARY(OfferedPsks);
  void encode(wire::Writer& w) const;
};

// pre_shared_key in ServerHello: uint16 selected_identity (0-based index).
struct PreSharedKeyServerHello {
  static constexpr ExtensionType kType = ExtensionType::pre_shared_key;
  std::uint16_t selected_identity = 0;

  static Result<PreSharedKeyServerHello> decode(wire::Bytes body);
  void encode(wire::Writer& w) const { w.u16(selected_identity); }
};

// Holds any byte (unknown and GREASE modes are kept).
enum class PskKeyExchangeMode : std::uint8_t { psk_ke = 0, psk_dhe_ke = 1 };

// PskKeyExchangeMode ke_modes<1..255>.
struct PskKeyExchangeModes {
  static constexpr ExtensionType kType = ExtensionType::psk_key_exchange_modes;
  std::vector<PskKeyExchangeMode> ke_modes;

  bool offers(PskKeyExchangeMode m) const noexcept;

  static Result<PskKeyExchangeModes> decode(wire::Bytes body);
  void encode(wire::Writer& w) const;
};

// early_data in ClientHello and EncryptedExtensions: empty.
using EarlyDataIndication = EmptyExtension<ExtensionType::early_data>;

// early_data in NewSessionTicket: uint32 max_early_data_size.
struct EarlyDataNewSessionTicket {
  static constexpr ExtensionType kType = ExtensionType::early_data;
  std::uint32_t max_early_data_size = 0;

  static Result<EarlyDataNewSessionTicket> decode(wire::Bytes body);
  void encode(wire::Writer& w) const { w.u32(max_early_data_size); }
};

}  // namespace tls13::msg
