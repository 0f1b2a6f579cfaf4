#include "fuzz_common.h"

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <utility>

#include "conn/connection_access.h"
#include "fuzz_certs.h"
#include "hs/tickets.h"

namespace tls13::fuzz {

namespace {

constexpr std::string_view kServerName = "localhost";

std::shared_ptr<const CertifiedKey> load(std::string_view cert, std::string_view key) {
  auto k = CertifiedKey::from_pem(cert, key);
  if (!k) std::abort();  // the embedded PEMs are fixed; this cannot fail
  return *k;
}

// Hands out the same session every time (a real cache is single use).
class FixedSessionCache final : public SessionCache {
 public:
  FixedSessionCache(CipherSuite suite, std::uint32_t max_early_data_size)
      : session_(fixed_session(suite, max_early_data_size)) {}
  void store(const std::string&, StoredSession) override {}
  std::optional<StoredSession> take(const std::string& name) override {
    if (name != kServerName) return std::nullopt;
    return session_;
  }

 private:
  StoredSession session_;
};

CounterRandom& target_random(Target t) {
  static CounterRandom client(0x00), server(0x80);
  return t == Target::client ? client : server;
}

template <class C>
void common(C& c, Target t) {
  c.random = &target_random(t);
  c.clock = [] { return kNow; };
  // Every suite, CCM too (not in the defaults).
  c.cipher_suites = {CipherSuite::aes_128_gcm_sha256, CipherSuite::chacha20_poly1305_sha256,
                     CipherSuite::aes_256_gcm_sha384, CipherSuite::aes_128_ccm_sha256,
                     CipherSuite::aes_128_ccm_8_sha256};
}

class AdmitAllReplayStore final : public ReplayStore {
 public:
  bool insert_once(std::span<const std::uint8_t>, std::int64_t, std::int64_t) override {
    return true;
  }
};

constexpr std::uint8_t kEarlyData[32] = {'G', 'E', 'T', ' ', '/', 'e', 'a', 'r', 'l', 'y'};

struct ClientMode {
  std::shared_ptr<const ClientConfig> config;
  hs::ClientOptions options;
  bool early_data = false;  // write early data before the ClientHello
};

std::vector<ClientMode> build_client_modes() {
  std::vector<ClientMode> modes;
  auto base = [] {
    auto c = std::make_shared<ClientConfig>();
    common(*c, Target::client);
    c->verify_peer = false;
    c->alpn = {"h2", "http/1.1"};
    return c;
  };
  // 0: defaults (x25519 share).
  modes.push_back({base(), {}});
  // 1: resumption of a SHA-256 session.
  auto c1 = base();
  c1->session_cache = fixed_session_cache(CipherSuite::aes_128_gcm_sha256);
  modes.push_back({c1, {}});
  // 2: resumption of a SHA-384 session, two shares.
  auto c2 = base();
  c2->session_cache = fixed_session_cache(CipherSuite::aes_256_gcm_sha384);
  c2->key_share_groups = {NamedGroup::secp384r1, NamedGroup::x25519};
  modes.push_back({c2, {}});
  // 3: GREASE, padding, no middlebox compatibility, record_size_limit, no ALPN.
  auto c3 = base();
  c3->alpn.clear();
  c3->grease = true;
  c3->padding = true;
  c3->middlebox_compat = false;
  c3->key_share_groups = {NamedGroup::secp256r1, NamedGroup::x448};
  hs::ClientOptions o3;
  o3.record_size_limit = 512;
  modes.push_back({c3, o3});
  // 4: a client certificate (Ed25519) and post-handshake auth, no resumption.
  auto c4 = base();
  c4->certificates = {ed25519_cert()};
  c4->post_handshake_auth = true;
  modes.push_back({c4, {}});
  // 5: 0-RTT under a SHA-256 session that allows it.
  auto c5 = base();
  c5->session_cache = fixed_session_cache(CipherSuite::aes_128_gcm_sha256, 16384);
  modes.push_back({c5, {}, true});
  return modes;
}

struct ServerMode {
  std::shared_ptr<const ServerConfig> config;
  hs::ServerOptions options;
};

std::vector<ServerMode> build_server_modes() {
  std::vector<ServerMode> modes;
  auto base = [] {
    auto c = std::make_shared<ServerConfig>();
    common(*c, Target::server);
    // Ed25519 signs deterministically, so recordings replay byte for byte.
    c->certificates = {ed25519_cert()};
    c->alpn = {"h2", "http/1.1"};
    c->alpn_required = false;
    c->ticket_keys = ticket_keys();
    return c;
  };
  // 0: defaults with tickets.
  modes.push_back({base(), {}});
  // 1: HelloRetryRequest with a cookie for an x25519-only client, ALPN required.
  auto s1 = base();
  s1->hrr_cookie = true;
  s1->groups = {NamedGroup::secp256r1, NamedGroup::x25519, NamedGroup::secp384r1, NamedGroup::x448,
                NamedGroup::secp521r1};
  s1->alpn_required = true;
  s1->tickets = 1;
  modes.push_back({s1, {}});
  // 2: three certificate types, no tickets, record_size_limit, no ALPN.
  auto s2 = base();
  s2->certificates = {ed25519_cert(), rsa_cert(), p256_cert()};
  s2->ticket_keys = nullptr;
  s2->alpn.clear();
  hs::ServerOptions o2;
  o2.record_size_limit = 1024;
  modes.push_back({s2, o2});
  // 3: ChaCha20 first, then AES-256.
  auto s3 = base();
  s3->cipher_suites = {CipherSuite::chacha20_poly1305_sha256, CipherSuite::aes_256_gcm_sha384,
                       CipherSuite::aes_128_gcm_sha256, CipherSuite::aes_128_ccm_sha256,
                       CipherSuite::aes_128_ccm_8_sha256};
  modes.push_back({s3, {}});
  // 4: optional client auth (post-handshake too) and 0-RTT.
  auto s4 = base();
  s4->client_auth = ClientAuth::optional;
  s4->client_trust = ed25519_trust();
  s4->max_early_data_size = 16384;
  s4->replay_store = admit_all_replay_store();
  modes.push_back({s4, {}});
  return modes;
}

const std::vector<ClientMode>& client_mode_table() {
  static const auto modes = build_client_modes();
  return modes;
}

const std::vector<ServerMode>& server_mode_table() {
  static const auto modes = build_server_modes();
  return modes;
}

}  // namespace

std::shared_ptr<TicketKeyProvider> ticket_keys() {
  static CounterRandom random(0x5a);
  static const auto keys =
      std::make_shared<RotatingTicketKeys>(std::chrono::hours(24 * 365), &random);
  return keys;
}

std::shared_ptr<SessionCache> fixed_session_cache(CipherSuite suite,
                                                  std::uint32_t max_early_data_size) {
  return std::make_shared<FixedSessionCache>(suite, max_early_data_size);
}

std::shared_ptr<ReplayStore> admit_all_replay_store() {
  return std::make_shared<AdmitAllReplayStore>();
}

std::shared_ptr<const TrustAnchors> ed25519_trust() {
  static const auto t = [] {
    auto a = TrustAnchors::from_pem(kEd25519Cert);
    if (!a) std::abort();  // fixed PEM
    return *a;
  }();
  return t;
}

StoredSession fixed_session(CipherSuite suite, std::uint32_t max_early_data_size) {
  const std::size_t len = suite == CipherSuite::aes_256_gcm_sha384 ? 48 : 32;
  hs::TicketState st;
  st.suite = suite;
  st.psk = SecretBytes(std::vector<std::uint8_t>(len, 0x11));
  st.created = kNow - 60;
  st.lifetime = 7200;
  st.age_add = 0x01020304;
  st.alpn = "h2";
  st.sni = std::string(kServerName);
  st.max_early_data_size = max_early_data_size;
  CounterRandom random(0x33);
  auto ticket = hs::seal_ticket(ticket_keys()->current(kNow), st, random);
  if (!ticket) std::abort();
  StoredSession s;
  s.ticket = *ticket;
  s.psk.assign(len, 0x11);
  s.suite = suite;
  s.lifetime = st.lifetime;
  s.age_add = st.age_add;
  s.received = st.created;
  s.alpn = st.alpn;
  s.max_early_data_size = max_early_data_size;
  return s;
}

std::shared_ptr<const CertifiedKey> p256_cert() {
  static const auto k = load(kP256Cert, kP256Key);
  return k;
}
std::shared_ptr<const CertifiedKey> ed25519_cert() {
  static const auto k = load(kEd25519Cert, kEd25519Key);
  return k;
}
std::shared_ptr<const CertifiedKey> rsa_cert() {
  static const auto k = load(kRsaCert, kRsaKey);
  return k;
}

std::size_t client_modes() {
  return client_mode_table().size();
}
std::size_t server_modes() {
  return server_mode_table().size();
}

Connection make_target(Target t, std::uint8_t mode) {
  target_random(t).reset();
  if (t == Target::client) {
    const auto& m = client_mode_table()[mode % client_modes()];
    auto c = ConnectionAccess::client(m.config, std::string(kServerName), m.options);
    if (m.early_data) (void)c.write_early_data(kEarlyData);
    return c;
  }
  const auto& m = server_mode_table()[mode % server_modes()];
  return ConnectionAccess::server(m.config, m.options);
}

// ---------------------------------------------------------------- Driver --

Driver::Driver(Target t, std::uint8_t mode) : conn_(make_target(t, mode)) {
  settle();
}

void Driver::feed(std::span<const std::uint8_t> bytes) {
  (void)conn_.feed(bytes);
  settle();
}

void Driver::action(std::uint8_t a) {
  static const std::vector<std::uint8_t> big(20000, 0x42);
  switch (a % kActions) {
    case 0:
      (void)conn_.write(std::span(big).first(32));
      break;
    case 1:
      (void)conn_.update_keys(false);
      break;
    case 2:
      (void)conn_.update_keys(true);
      break;
    case 3:
      conn_.close();
      break;
    case 4: {
      std::uint8_t out[32];
      const std::uint8_t context[3] = {1, 2, 3};
      (void)conn_.export_keying_material("EXPORTER-fuzz", context, out);
      (void)conn_.export_early_keying_material("EXPORTER-fuzz", context, out);
      break;
    }
    case 6:
      (void)conn_.write_early_data(kEarlyData);
      break;
    case 7:
      (void)conn_.request_client_auth();
      break;
    case 8:
      (void)conn_.send_tickets(1);
      break;
    default:
      (void)conn_.write(big);  // several records
      break;
  }
  settle();
}

void Driver::settle() {
  std::uint8_t buf[4096];
  while (conn_.read(buf) > 0) {
  }
  while (conn_.read_early_data(buf) > 0) {
  }
  while (conn_.next_event()) {
  }
  auto o = conn_.pending_output();
  out_.insert(out_.end(), o.begin(), o.end());
  conn_.consume_output(o.size());
}

std::vector<std::uint8_t> Driver::take_output() {
  return std::exchange(out_, {});
}

std::unique_ptr<Driver> run_input(Target t, std::span<const std::uint8_t> data) {
  if (data.empty()) return nullptr;
  auto d = std::make_unique<Driver>(t, data[0]);
  data = data.subspan(1);
  while (!data.empty()) {
    const std::uint8_t tag = data[0];
    if (tag & 0x80) {
      d->action(tag & 0x7f);
      (void)d->take_output();
      data = data.subspan(1);
      continue;
    }
    if (data.size() < 2) break;
    const std::size_t len =
        std::min<std::size_t>((std::size_t{tag} << 8 | data[1]), data.size() - 2);
    d->feed(data.subspan(2, len));
    (void)d->take_output();  // nobody reads it; keep memory flat
    data = data.subspan(2 + len);
  }
  return d;
}

void InputWriter::feed(std::span<const std::uint8_t> data) {
  do {
    const std::size_t n = std::min<std::size_t>(data.size(), 0x7fff);
    bytes_.push_back(static_cast<std::uint8_t>(n >> 8));
    bytes_.push_back(static_cast<std::uint8_t>(n));
    bytes_.insert(bytes_.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
    data = data.subspan(n);
  } while (!data.empty());
}

}  // namespace tls13::fuzz
