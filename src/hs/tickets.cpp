// Session tickets and the public resumption helpers of tls13/config.h:
// StoredSession's file format, InMemorySessionCache, RotatingTicketKeys.
#include "hs/tickets.h"

#include <algorithm>

#include "crypto/aead.h"
#include "msg/ext_psk.h"
#include "wire/reader.h"
#include "wire/writer.h"

namespace tls13 {

// ------------------------------------------------------- StoredSession --

namespace {
constexpr std::uint8_t kSessionMagic[4] = {'T', '1', '3', 'S'};
constexpr std::uint8_t kSessionVersion = 2;  // 2 adds max_early_data_size
}  // namespace

StoredSession::~StoredSession() {
  if (!psk.empty()) secure_wipe(psk.data(), psk.size());
}

std::vector<std::uint8_t> StoredSession::serialize() const {
  std::vector<std::uint8_t> out;
  wire::Writer w(out);
  w.bytes(kSessionMagic);
  w.u8(kSessionVersion);
  w.u16(static_cast<std::uint16_t>(suite));
  w.u32(lifetime);
  w.u32(age_add);
  w.u64(static_cast<std::uint64_t>(received));
  w.vector(1, psk);
  w.vector(2, ticket);
  w.vector(1, std::span(reinterpret_cast<const std::uint8_t*>(alpn.data()), alpn.size()));
  w.u32(max_early_data_size);
  return out;
}

std::optional<StoredSession> StoredSession::parse(std::span<const std::uint8_t> bytes) {
  wire::Reader r(bytes);
  wire::Bytes magic, psk, ticket, alpn;
  std::uint8_t version = 0;
  std::uint16_t suite = 0;
  std::uint64_t received = 0;
  StoredSession s;
  if (!r.read_bytes(4, magic) || !std::equal(magic.begin(), magic.end(), kSessionMagic) ||
      !r.read_u8(version) || (version != 1 && version != kSessionVersion) || !r.read_u16(suite) ||
      !r.read_u32(s.lifetime) || !r.read_u32(s.age_add) || !r.read_u64(received) ||
      !r.read_vector(1, 32, 64, psk) || !r.read_vector(2, 1, 65535, ticket) ||
      !r.read_vector(1, 0, 255, alpn) || (version >= 2 && !r.read_u32(s.max_early_data_size)) ||
      !r.empty())
    return std::nullopt;
  s.suite = static_cast<CipherSuite>(suite);
  s.received = static_cast<std::int64_t>(received);
  s.psk.assign(psk.begin(), psk.end());
  s.ticket.assign(ticket.begin(), ticket.end());
  s.alpn.assign(alpn.begin(), alpn.end());
  return s;
}

// ------------------------------------------------ InMemorySessionCache --

void InMemorySessionCache::store(const std::string& server_name, StoredSession session) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mu_);
  while (entries_.size() >= capacity_) entries_.pop_front();
  entries_.emplace_back(server_name, std::move(session));
}

std::optional<StoredSession> InMemorySessionCache::take(const std::string& server_name) {
  std::lock_guard lock(mu_);
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->first != server_name) continue;
    StoredSession s = std::move(it->second);
    entries_.erase(std::next(it).base());
    return s;
  }
  return std::nullopt;
}

std::size_t InMemorySessionCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

// -------------------------------------------------- RotatingTicketKeys --

RotatingTicketKeys::RotatingTicketKeys(std::chrono::seconds period, RandomSource* random)
    : period_(std::max<std::int64_t>(1, period.count())), random_(random) {}

RotatingTicketKeys::~RotatingTicketKeys() {
  for (auto* k : {&current_, &previous_})
    if (*k) secure_wipe((*k)->key.data(), (*k)->key.size());
}

void RotatingTicketKeys::rotate_locked(std::int64_t now) {
  if (current_ && now - current_since_ < period_) return;
  // Missed more than one period: the old current key has expired too.
  if (current_ && now - current_since_ < 2 * period_)
    previous_ = current_;
  else
    previous_.reset();
  TicketKey k;
  RandomSource& rnd = random_ ? *random_ : system_random();
  rnd.fill(k.id);
  rnd.fill(k.key);
  current_ = k;
  current_since_ = now;
  secure_wipe(k.key.data(), k.key.size());
}

TicketKey RotatingTicketKeys::current(std::int64_t now) {
  std::lock_guard lock(mu_);
  rotate_locked(now);
  return *current_;
}

std::optional<TicketKey> RotatingTicketKeys::find(std::span<const std::uint8_t> id,
                                                  std::int64_t now) {
  std::lock_guard lock(mu_);
  rotate_locked(now);
  for (auto* k : {&current_, &previous_})
    if (*k && std::equal(id.begin(), id.end(), (*k)->id.begin(), (*k)->id.end())) return **k;
  return std::nullopt;
}

}  // namespace tls13

namespace tls13::hs {

namespace {
constexpr std::size_t kIdLen = 16;
constexpr std::size_t kNonceLen = crypto::kAeadNonceLength;
constexpr std::size_t kTagLen = 16;
// 2 added max_early_data_size, 3 the client's chain; older ones do not open.
constexpr std::uint8_t kTicketVersion = 3;

std::span<const std::uint8_t> as_bytes(const std::string& s) {
  return std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}
}  // namespace

Result<std::vector<std::uint8_t>> seal_ticket(const TicketKey& key, const TicketState& st,
                                              RandomSource& random) {
  std::vector<std::uint8_t> out;
  wire::Writer w(out);
  w.bytes(key.id);
  std::uint8_t nonce[kNonceLen];
  random.fill(nonce);
  w.bytes(nonce);
  const std::size_t body_at = out.size();
  w.u8(kTicketVersion);
  w.u16(static_cast<std::uint16_t>(st.suite));
  w.u64(static_cast<std::uint64_t>(st.created));
  w.u32(st.lifetime);
  w.u32(st.age_add);
  w.vector(1, st.psk.span());
  w.vector(1, as_bytes(st.alpn));
  w.vector(2, as_bytes(st.sni));
  w.u32(st.max_early_data_size);
  std::size_t chain_bytes = 0;
  for (const auto& c : st.client_chain) chain_bytes += c.size();
  if (chain_bytes > kMaxTicketClientChain || st.client_chain.size() > Limits{}.max_chain_length)
    return Error(Alert::internal_error, "ticket: client chain too large");
  w.prefixed(2, [&](wire::Writer& cw) {
    for (const auto& c : st.client_chain) cw.vector(2, c);
  });
  if (!w.ok()) return Error(Alert::internal_error, "ticket: state too large");
  const std::size_t body_len = out.size() - body_at;
  out.resize(out.size() + kTagLen);
  auto aead =
      crypto::AeadKey::create(crypto::AeadId::aes_256_gcm, crypto::AeadDirection::seal, key.key);
  if (!aead) return std::move(aead).error();
  auto body = std::span(out).subspan(body_at, body_len);
  TLS13_TRY(aead->seal(std::span<const std::uint8_t, kNonceLen>(nonce),
                       std::span(out).first(kIdLen), body,
                       std::span(out).subspan(body_at + body_len, kTagLen)));
  return out;
}

std::optional<TicketState> open_ticket(TicketKeyProvider& keys,
                                       std::span<const std::uint8_t> ticket, std::int64_t now) {
  if (ticket.size() < kIdLen + kNonceLen + kTagLen + 1) return std::nullopt;
  auto key = keys.find(ticket.first(kIdLen), now);
  if (!key) return std::nullopt;
  auto aead =
      crypto::AeadKey::create(crypto::AeadId::aes_256_gcm, crypto::AeadDirection::open, key->key);
  secure_wipe(key->key.data(), key->key.size());
  if (!aead) return std::nullopt;
  const std::size_t body_len = ticket.size() - kIdLen - kNonceLen - kTagLen;
  SecretBytes plain(ticket.subspan(kIdLen + kNonceLen, body_len));
  if (!aead->open(std::span<const std::uint8_t, kNonceLen>(ticket.subspan(kIdLen, kNonceLen)),
                  ticket.first(kIdLen), plain.mutable_span(), ticket.last(kTagLen)))
    return std::nullopt;
  wire::Reader r(plain.span());
  std::uint8_t version = 0;
  std::uint16_t suite = 0;
  std::uint64_t created = 0;
  wire::Bytes psk, alpn, sni;
  TicketState st;
  wire::Reader chain;
  if (!r.read_u8(version) || version != kTicketVersion || !r.read_u16(suite) ||
      !r.read_u64(created) || !r.read_u32(st.lifetime) || !r.read_u32(st.age_add) ||
      !r.read_vector(1, 32, 64, psk) || !r.read_vector(1, 0, 255, alpn) ||
      !r.read_vector(2, 0, 65535, sni) || !r.read_u32(st.max_early_data_size) ||
      !r.read_prefixed(2, chain) || !r.empty())
    return std::nullopt;
  std::size_t chain_bytes = 0;
  while (!chain.empty()) {
    wire::Bytes der;
    if (!chain.read_vector(2, 1, kMaxTicketClientChain, der) ||
        st.client_chain.size() >= Limits{}.max_chain_length ||
        (chain_bytes += der.size()) > kMaxTicketClientChain)
      return std::nullopt;
    st.client_chain.emplace_back(der.begin(), der.end());
  }
  st.suite = static_cast<CipherSuite>(suite);
  st.created = static_cast<std::int64_t>(created);
  st.psk = SecretBytes(psk);
  st.alpn.assign(alpn.begin(), alpn.end());
  st.sni.assign(sni.begin(), sni.end());
  return st;
}

std::optional<std::vector<std::vector<std::uint8_t>>> ticket_client_chain(
    const HandshakeInfo& info) {
  std::vector<std::vector<std::uint8_t>> chain;
  if (!info.client_auth || info.peer_chain.empty()) return chain;
  std::size_t bytes = 0;
  for (const auto& c : info.peer_chain) bytes += c.size();
  if (bytes <= kMaxTicketClientChain && info.peer_chain.size() <= Limits{}.max_chain_length)
    return info.peer_chain;
  if (info.peer_chain.front().size() > kMaxTicketClientChain) return std::nullopt;
  chain.push_back(info.peer_chain.front());
  return chain;
}

void restore_client_identity(const TicketState& st, HandshakeInfo& info) {
  info.client_auth = !st.client_chain.empty();
  info.peer_verified = info.client_auth;
  info.peer_chain = st.client_chain;
}

Result<StoredSession> stored_session(const msg::NewSessionTicket& nst,
                                     const ks::ResumptionMasterSecret& rms, CipherSuite suite,
                                     const std::string& alpn, std::int64_t now) {
  auto psk = ks::resumption_psk(rms, nst.ticket_nonce);
  if (!psk) return std::move(psk).error();
  auto early = nst.extensions.get<msg::EarlyDataNewSessionTicket>();
  if (!early) return std::move(early).error();
  StoredSession s;
  s.ticket.assign(nst.ticket.begin(), nst.ticket.end());
  s.psk.assign(psk->span().begin(), psk->span().end());
  s.suite = suite;
  s.lifetime = std::min(nst.ticket_lifetime, msg::kMaxTicketLifetime);
  s.age_add = nst.ticket_age_add;
  s.received = now;
  s.alpn = alpn;
  if (early->has_value()) s.max_early_data_size = (*early)->max_early_data_size;
  return s;
}

}  // namespace tls13::hs
