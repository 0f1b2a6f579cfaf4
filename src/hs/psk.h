// Pre-shared keys in the handshake (RFC 8446 §4.2.9, §4.2.11): what a
// client offers (a session ticket, external PSKs) and how its binders are
// made; which offered PSK a server takes, under which key exchange mode,
// and how it checks the binder. The state machines (client.cpp, server.cpp)
// call these; the rules live here.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/secret.h"
#include "crypto/algorithms.h"
#include "hs/handshake.h"
#include "hs/tickets.h"
#include "keysched/key_schedule.h"
#include "keysched/transcript.h"
#include "msg/client_hello.h"
#include "msg/ext_psk.h"
#include "tls13/config.h"
#include "tls13/connection.h"

namespace tls13::hs {

crypto::HashId hash_of(PskHash h) noexcept;

// ------------------------------------------------------------ client --

// One PSK in the client's pre_shared_key, in offer order.
struct ClientPsk {
  PskType type = PskType::external;
  ks::PskKind binder = ks::PskKind::external;
  crypto::HashId hash{};
  SecretBytes key;
  std::vector<std::uint8_t> identity;
  // Resumption only: from the StoredSession.
  CipherSuite suite{};
  std::uint32_t age_add = 0;
  std::int64_t received_ms = 0;
  std::uint32_t max_early_data_size = 0;
  std::string alpn;
  std::vector<std::vector<std::uint8_t>> peer_chain;  // for recheck_on_resumption
};

// What the client offers: the session ticket first (when one of our suites
// has its hash and it is within its lifetime, §4.6.1), then each external
// PSK whose hash one of our suites has.
std::vector<ClientPsk> client_psks(const ClientConfig& cfg, std::optional<StoredSession> ticket,
                                   std::int64_t now_ms);

// §4.1.4: after a HelloRetryRequest only PSKs of the chosen suite's hash
// can be offered again.
void keep_psks_of_hash(std::vector<ClientPsk>& psks, crypto::HashId hash);

// Adds RFC 7685 padding to a ClientHello of 256..511 bytes (counting
// `still_to_add` bytes of extensions appended afterwards) so that it is 512.
Result<void> pad_client_hello(msg::ClientHello& ch, std::size_t still_to_add);

// Appends pre_shared_key (last, §4.2.11) for `psks` to `ch` and encodes it:
// each binder is HMAC over the transcript so far plus Truncate(ClientHello)
// under that PSK's hash (§4.2.11.2), so the hello is encoded with zero
// binders, hashed, then patched. Ticket ages are (now_ms - received_ms) plus
// age_add (§4.2.11.1), or `age_ms` when given (trace replays). With `pad`,
// RFC 7685 padding comes before pre_shared_key and counts it.
Result<std::vector<std::uint8_t>> encode_client_hello_with_psks(
    msg::ClientHello& ch, std::span<const ClientPsk> psks, const ks::Transcript& transcript,
    std::int64_t now_ms, std::optional<std::uint32_t> age_ms, bool pad);

// The 0-RTT outcome from the server's EncryptedExtensions (§4.2.10):
// early_data there means accepted, which needs our first PSK (the ticket we
// offered it under) with that session's suite and ALPN (illegal_parameter
// otherwise); without it, offered early data was rejected.
Result<EarlyDataStatus> early_data_outcome(const msg::ExtensionList& encrypted_extensions,
                                           bool offered, std::optional<std::uint16_t> selected,
                                           std::span<const ClientPsk> psks, CipherSuite suite,
                                           const std::string& alpn);

// ------------------------------------------------------------ server --

// An offered PSK the server can use, before its binder is checked.
struct ServerPsk {
  std::uint16_t index = 0;  // selected_identity
  PskType type = PskType::external;
  ks::PskKind binder = ks::PskKind::external;
  crypto::HashId hash{};
  SecretBytes key;
  std::vector<std::uint8_t> identity;
  std::uint32_t obfuscated_age = 0;
  std::optional<TicketState> ticket;  // resumption
};

// Opens a ticket identity; nullopt when it does not open.
using TicketOpener = std::function<std::optional<TicketState>(std::span<const std::uint8_t>)>;

// The key exchange mode for a PSK: our most preferred that the client
// offers (§4.2.9); nullopt when none is shared (then no PSK is used).
std::optional<PskKeyExchangeMode> select_psk_mode(std::span<const PskKeyExchangeMode> ours,
                                                  std::span<const msg::PskKeyExchangeMode> offered);

// §4.2.11: the first offered PSK we can use: an external PSK by identity,
// else a ticket that opens, was issued for `sni`, is within its lifetime,
// and whose age as the client sees it is plausible. Only PSKs whose hash is
// in `hashes` (those of the suites both sides have, §4.2.11). Anything else
// is skipped silently (a full handshake follows).
std::optional<ServerPsk> find_server_psk(const ServerConfig& cfg, const msg::OfferedPsks& offered,
                                         std::string_view sni, std::int64_t now,
                                         std::span<const crypto::HashId> hashes,
                                         const TicketOpener& open);

// §4.2.11.2: the binder of `psk` over `transcript` (messages before this
// ClientHello) + Truncate(ClientHello), in constant time; decrypt_error
// when it does not match.
Result<void> verify_binder(const ServerPsk& psk, const msg::OfferedPsks& offered,
                           const ks::Transcript& transcript,
                           std::span<const std::uint8_t> client_hello_message,
                           const msg::DecodeLimits& limits);

}  // namespace tls13::hs
