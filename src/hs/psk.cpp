// PSK offers and selection (psk.h), and the public external-PSK helpers of
// tls13/config.h (ExternalPsk, import_external_psk).
#include "hs/psk.h"

#include <algorithm>
#include <cstdlib>

#include "crypto/hash.h"
#include "hs/client_auth.h"
#include "hs/negotiation.h"
#include "keysched/psk_importer.h"
#include "msg/ext_misc.h"
#include "msg/handshake.h"

namespace tls13 {

ExternalPsk::~ExternalPsk() {
  if (!key.empty()) secure_wipe(key.data(), key.size());
}

Result<ExternalPsk> import_external_psk(const ExternalPsk& epsk,
                                        std::span<const std::uint8_t> context, PskHash target) {
  if (epsk.key.empty()) return Error(Alert::internal_error, "PSK importer: the base key is empty");
  const std::uint16_t kdf =
      target == PskHash::sha256 ? ks::kTargetKdfHkdfSha256 : ks::kTargetKdfHkdfSha384;
  auto id = ks::encode_imported_identity(epsk.identity, context, ks::kImportTargetTls13, kdf);
  if (!id) return std::move(id).error();
  const auto ipskx = ks::derive_imported_psk(hs::hash_of(epsk.hash), epsk.key, *id,
                                             crypto::hash_length(hs::hash_of(target)));
  ExternalPsk out(std::move(id).value(),
                  std::vector<std::uint8_t>(ipskx.span().begin(), ipskx.span().end()), target);
  out.imported = true;
  return out;
}

}  // namespace tls13

namespace tls13::hs {

namespace {

// How far the client's idea of a ticket's age may stray from ours before we
// refuse the ticket (§4.2.11.1). Generous: ages are whole seconds here, and
// 0-RTT has its own, tighter window (ServerConfig::early_data_window_ms).
constexpr std::int64_t kTicketAgeWindowMs = 60'000;

bool suite_with_hash(std::span<const CipherSuite> suites, crypto::HashId hash) {
  return std::any_of(suites.begin(), suites.end(), [&](CipherSuite s) {
    auto i = crypto::suite_info(s);
    return i && i->hash == hash;
  });
}

}  // namespace

crypto::HashId hash_of(PskHash h) noexcept {
  return h == PskHash::sha384 ? crypto::HashId::sha384 : crypto::HashId::sha256;
}

// ------------------------------------------------------------ client --

std::vector<ClientPsk> client_psks(const ClientConfig& cfg, std::optional<StoredSession> ticket,
                                   std::int64_t now_ms) {
  std::vector<ClientPsk> out;
  if (ticket) {
    const auto info = crypto::suite_info(ticket->suite);
    // Clients must not use a ticket past its lifetime (§4.6.1).
    if (info && ticket->psk.size() == crypto::hash_length(info->hash) && !ticket->ticket.empty() &&
        suite_with_hash(cfg.cipher_suites, info->hash) &&
        now_ms - ticket->received_ms <= std::int64_t{ticket->lifetime} * 1000 &&
        !(cfg.recheck_on_resumption && ticket->peer_chain.empty())) {
      ClientPsk p;
      p.type = PskType::resumption;
      p.binder = ks::PskKind::resumption;
      p.hash = info->hash;
      p.key = SecretBytes(ticket->psk);
      p.identity = std::move(ticket->ticket);
      p.suite = ticket->suite;
      p.age_add = ticket->age_add;
      p.received_ms = ticket->received_ms;
      p.max_early_data_size = ticket->max_early_data_size;
      p.alpn = ticket->alpn;
      p.peer_chain = std::move(ticket->peer_chain);
      out.push_back(std::move(p));
    }
  }
  for (const auto& e : cfg.external_psks) {
    const auto hash = hash_of(e.hash);
    if (e.identity.empty() || e.identity.size() > 0xffff || e.key.empty() ||
        !suite_with_hash(cfg.cipher_suites, hash))
      continue;
    ClientPsk p;
    p.binder = e.imported ? ks::PskKind::imported : ks::PskKind::external;
    p.hash = hash;
    p.key = SecretBytes(e.key);
    p.identity = e.identity;
    out.push_back(std::move(p));
  }
  return out;
}

void keep_psks_of_hash(std::vector<ClientPsk>& psks, crypto::HashId hash) {
  std::erase_if(psks, [&](const ClientPsk& p) { return p.hash != hash; });
}

// RFC 7685 §1 (and its origin, the F5 bug): some servers hang on a
// ClientHello of 256..511 bytes. A gap under 5 bytes still needs a whole
// (4-byte) extension: 1 byte of data then overshoots.
Result<void> pad_client_hello(msg::ClientHello& ch, std::size_t still_to_add) {
  std::vector<std::uint8_t> bytes;
  TLS13_TRY(msg::append_message(bytes, ch));
  const std::size_t size = bytes.size() + still_to_add;
  if (size < 256 || size >= 512) return ok();
  const std::size_t gap = 512 - size;
  ch.extensions.add(msg::Padding{gap >= 5 ? gap - 4 : 1});
  return ok();
}

Result<std::vector<std::uint8_t>> encode_client_hello_with_psks(
    msg::ClientHello& ch, std::span<const ClientPsk> psks, const ks::Transcript& transcript,
    std::int64_t now_ms, std::optional<std::uint32_t> age_ms, bool pad) {
  msg::OfferedPsks offered;
  std::vector<std::vector<std::uint8_t>> zeros;
  std::size_t ext_size = 4 + 2;  // extension header, identities length
  for (const auto& p : psks) {
    std::uint32_t age = 0;
    if (p.type == PskType::resumption) {
      // §4.2.11.1: milliseconds since the ticket arrived, plus age_add
      // (mod 2^32). External PSKs use 0. Counted in ms, not whole
      // seconds: a rounded-up age exceeds the server's view, and servers
      // (GnuTLS) then reject 0-RTT.
      age = age_ms ? *age_ms
                   : static_cast<std::uint32_t>(std::max<std::int64_t>(0, now_ms - p.received_ms));
      age += p.age_add;
    }
    offered.identities.push_back({p.identity, age});
    zeros.emplace_back(crypto::hash_length(p.hash), 0);
    ext_size += 2 + p.identity.size() + 4;
  }
  for (const auto& z : zeros) offered.binders.push_back(z);
  ext_size += offered.binders_size();
  if (pad) TLS13_TRY(pad_client_hello(ch, ext_size));
  ch.extensions.add(offered);
  ch.extensions.own();

  std::vector<std::uint8_t> bytes;
  TLS13_TRY(msg::append_message(bytes, ch));
  auto truncated = msg::truncate_client_hello_for_binders(bytes);
  if (!truncated) return std::move(truncated).error();
  std::vector<crypto::Digest> binders;
  for (const auto& p : psks) {
    const auto early = ks::EarlySecret::from_psk(p.hash, p.key.span());
    binders.push_back(
        ks::psk_binder(early.binder_key(p.binder), transcript.hash_with(p.hash, *truncated)));
  }
  std::vector<wire::Bytes> spans;
  for (const auto& b : binders) spans.push_back(b.span());
  TLS13_TRY(msg::patch_psk_binders(bytes, spans));
  return bytes;
}

Result<EarlyDataStatus> early_data_outcome(const msg::ExtensionList& encrypted_extensions,
                                           bool offered, std::optional<std::uint16_t> selected,
                                           std::span<const ClientPsk> psks, CipherSuite suite,
                                           const std::string& alpn) {
  auto early = encrypted_extensions.get<msg::EarlyDataIndication>();
  if (!early) return std::move(early).error();
  if (!early->has_value())
    return offered ? EarlyDataStatus::rejected : EarlyDataStatus::not_offered;
  // An early_data we did not offer is unsupported_extension (check_solicited).
  if (selected != std::uint16_t{0} || psks.empty() || suite != psks.front().suite ||
      alpn != psks.front().alpn)
    return Error(Alert::illegal_parameter,
                 "early_data accepted without the first PSK, its cipher suite or its ALPN");
  return EarlyDataStatus::accepted;
}

// ------------------------------------------------------------ server --

std::optional<PskKeyExchangeMode> select_psk_mode(
    std::span<const PskKeyExchangeMode> ours, std::span<const msg::PskKeyExchangeMode> offered) {
  for (PskKeyExchangeMode m : ours)
    for (msg::PskKeyExchangeMode o : offered)
      if (static_cast<std::uint8_t>(o) == static_cast<std::uint8_t>(m)) return m;
  return std::nullopt;
}

std::optional<ServerPsk> find_server_psk(const ServerConfig& cfg, const msg::OfferedPsks& offered,
                                         std::string_view sni, std::int64_t now,
                                         std::span<const crypto::HashId> hashes,
                                         const TicketOpener& open) {
  auto hash_ok = [&](crypto::HashId h) { return hs::contains<crypto::HashId>(hashes, h); };
  for (std::size_t i = 0; i < offered.identities.size(); ++i) {
    const auto& id = offered.identities[i];
    ServerPsk p;
    p.index = static_cast<std::uint16_t>(i);
    p.identity.assign(id.identity.begin(), id.identity.end());
    p.obfuscated_age = id.obfuscated_ticket_age;
    const auto ext = std::find_if(cfg.external_psks.begin(), cfg.external_psks.end(),
                                  [&](const ExternalPsk& e) { return e.identity == p.identity; });
    if (ext != cfg.external_psks.end()) {
      if (ext->key.empty() || !hash_ok(hash_of(ext->hash))) continue;
      p.type = PskType::external;
      p.binder = ext->imported ? ks::PskKind::imported : ks::PskKind::external;
      p.hash = hash_of(ext->hash);
      p.key = SecretBytes(ext->key);
      return p;
    }
    if (!open) continue;
    auto st = open(id.identity);
    if (!st) continue;
    const auto info = crypto::suite_info(st->suite);
    if (!info || !hash_ok(info->hash) || st->psk.size() != crypto::hash_length(info->hash))
      continue;
    // RFC 6066 §3: no resumption under another server name.
    if (st->sni != sni) continue;
    // A client that must authenticate cannot resume a session in which it
    // did not: a full handshake asks for its certificate.
    if (cfg.client_auth == ClientAuth::required && st->client_chain.empty()) continue;
    // §4.6.1: the resumed connection inherits the ticket's client identity,
    // so that identity must pass today's checks (trust anchors replaced, a
    // certificate expired since): otherwise a full handshake asks anew.
    if (!st->client_chain.empty() && !client_identity_still_trusted(cfg, st->client_chain, now))
      continue;
    const std::int64_t age_s = now - st->created;
    if (age_s < -1 || age_s > static_cast<std::int64_t>(st->lifetime)) continue;
    const std::int64_t client_age_ms =
        static_cast<std::uint32_t>(id.obfuscated_ticket_age - st->age_add);
    if (std::abs(client_age_ms - age_s * 1000) > kTicketAgeWindowMs) continue;
    p.type = PskType::resumption;
    p.binder = ks::PskKind::resumption;
    p.hash = info->hash;
    p.key = st->psk.clone();
    p.ticket = std::move(st);
    return p;
  }
  return std::nullopt;
}

Result<void> verify_binder(const ServerPsk& psk, const msg::OfferedPsks& offered,
                           const ks::Transcript& transcript,
                           std::span<const std::uint8_t> client_hello_message,
                           const msg::DecodeLimits& limits) {
  auto truncated = msg::truncate_client_hello_for_binders(client_hello_message, limits);
  if (!truncated) return std::move(truncated).error();
  const auto early = ks::EarlySecret::from_psk(psk.hash, psk.key.span());
  return ks::verify_psk_binder(early.binder_key(psk.binder),
                               transcript.hash_with(psk.hash, *truncated),
                               offered.binders[psk.index]);
}

}  // namespace tls13::hs
