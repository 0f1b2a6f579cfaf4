// RFC 8448 §4 (resumed 0-RTT handshake) replayed byte for byte from each
// side: our client, given the §3 connection's ticket and the RFC's
// randomness, must emit exactly the RFC client's records (ClientHello with
// early_data and pre_shared_key, the 0-RTT record, EndOfEarlyData under the
// early key, Finished, application data, close_notify); our server, fed the
// RFC client's records, must emit exactly the RFC server's, and read the
// early data. Every record is compared whole.
//
// As in the §3/§5/§7 replays (rfc8448_replay_test.cpp), the internal
// options reproduce NSS's ClientHello (extension order, renegotiation_info,
// supported_groups with ffdhe4096..8192, record_size_limit, RFC 7685
// padding, which here counts pre_shared_key). Injected, because a replay
// cannot reproduce them: the ticket age the client reports (6 ms, from the
// trace's obfuscated_ticket_age) and, on the server, the state behind the
// §3 ticket, which another implementation sealed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "conn/connection_access.h"
#include "keysched/key_schedule.h"
#include "msg/client_hello.h"
#include "msg/ext_psk.h"
#include "record/record_header.h"
#include "support/test_support.h"

namespace tls13 {
namespace {

using Bytes = std::vector<std::uint8_t>;
using test::hex;

constexpr std::int64_t kTraceTime = 1500000000;

Bytes named(const std::string& section, const std::string& name) {
  return test::rfc8448_named(section, name);
}

std::string nst_field(const std::string& name) {
  return test::rfc8448_section("3").at("named").at("new_session_ticket_fields").at(name);
}

// Hands out the RFC's values in the order our state machines draw them.
class ScriptedRandom final : public RandomSource {
 public:
  void push(std::string what, Bytes b) { script_.emplace_back(std::move(what), std::move(b)); }
  void fill(std::span<std::uint8_t> out) override {
    std::fill(out.begin(), out.end(), 0);
    if (script_.empty()) {
      ADD_FAILURE() << "unscripted draw of " << out.size() << " random bytes";
      return;
    }
    auto [what, bytes] = std::move(script_.front());
    script_.pop_front();
    EXPECT_EQ(out.size(), bytes.size()) << "random draw for " << what;
    std::copy_n(bytes.begin(), std::min(bytes.size(), out.size()), out.begin());
  }
  bool exhausted() const { return script_.empty(); }

 private:
  std::deque<std::pair<std::string, Bytes>> script_;
};

struct TraceRecord {
  std::string party, type;
  Bytes payload, complete;
  int line;
};

std::vector<TraceRecord> trace() {
  std::vector<TraceRecord> out;
  for (const auto& r : test::rfc8448_section("4").at("records"))
    out.push_back({r.at("party"), r.at("content_type"), hex(r.at("payload").get<std::string>()),
                   hex(r.at("complete_record").get<std::string>()), r.at("line").get<int>()});
  return out;
}

// The ClientHello of the first record, and its pre_shared_key.
Bytes trace_client_hello() {
  return trace().at(0).payload;
}

std::uint32_t obfuscated_ticket_age() {
  const Bytes ch = trace_client_hello();
  auto hello = msg::ClientHello::decode(std::span(ch).subspan(4));
  EXPECT_TRUE(hello.ok());
  auto psks = hello->extensions.get<msg::OfferedPsks>();
  EXPECT_TRUE(psks.ok() && psks->has_value() && (*psks)->identities.size() == 1);
  EXPECT_EQ(hex((*psks)->identities[0].identity), nst_field("ticket"));
  return (*psks)->identities[0].obfuscated_ticket_age;
}

std::uint32_t ticket_age_add() {
  const Bytes b = hex(nst_field("ticket_age_add"));
  return static_cast<std::uint32_t>(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
}

// The §3 resumption PSK for the ticket's nonce (it is §4's early_secret IKM).
Bytes resumption_psk() {
  const ks::ResumptionMasterSecret rms(crypto::HashId::sha256,
                                       named("3", "resumption_master_secret"));
  auto psk = ks::resumption_psk(rms, hex(nst_field("ticket_nonce")));
  EXPECT_TRUE(psk.ok());
  Bytes out(psk->span().begin(), psk->span().end());
  EXPECT_EQ(hex(out), hex(named("4", "early_secret_ikm")));
  return out;
}

NamedGroup group(std::uint16_t v) {
  return static_cast<NamedGroup>(v);
}
// NSS's supported_groups; we implement all but ffdhe4096/6144/8192.
const std::vector<NamedGroup> kNssGroups = {group(0x001d), group(0x0017), group(0x0018),
                                            group(0x0019), group(0x0100), group(0x0101),
                                            group(0x0102), group(0x0103), group(0x0104)};
const std::vector<NamedGroup> kImplemented(kNssGroups.begin(), kNssGroups.begin() + 6);

std::vector<CipherSuite> nss_suites() {
  return {CipherSuite::aes_128_gcm_sha256, CipherSuite::chacha20_poly1305_sha256,
          CipherSuite::aes_256_gcm_sha384};
}

// Secrets as logged, by label.
using KeyLog = std::map<std::string, Bytes, std::less<>>;
KeyLogFn logger(std::shared_ptr<KeyLog> log) {
  return [log](std::string_view label, std::span<const std::uint8_t>,
               std::span<const std::uint8_t> secret) {
    (*log)[std::string(label)].assign(secret.begin(), secret.end());
  };
}

void expect_secrets(const KeyLog& log) {
  const std::pair<const char*, const char*> expected[] = {
      {"CLIENT_EARLY_TRAFFIC_SECRET", "client_early_traffic_secret"},
      {"EARLY_EXPORTER_SECRET", "early_exporter_master_secret"},
      {"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "client_handshake_traffic_secret"},
      {"SERVER_HANDSHAKE_TRAFFIC_SECRET", "server_handshake_traffic_secret"},
      {"CLIENT_TRAFFIC_SECRET_0", "client_application_traffic_secret_0"},
      {"SERVER_TRAFFIC_SECRET_0", "server_application_traffic_secret_0"},
      {"EXPORTER_SECRET", "exporter_master_secret"}};
  for (const auto& [label, name] : expected) {
    SCOPED_TRACE(label);
    auto it = log.find(label);
    ASSERT_NE(it, log.end());
    EXPECT_EQ(hex(it->second), hex(named("4", name)));
  }
}

// The early exporter against one computed from the RFC's
// early_exporter_master_secret.
void expect_early_exporter(const Connection& conn) {
  const ks::EarlyExporterMasterSecret secret(crypto::HashId::sha256,
                                             named("4", "early_exporter_master_secret"));
  Bytes expected(32), got(32);
  const Bytes context = test::bytes("RFC 8448 section 4");
  ASSERT_TRUE(ks::export_keying_material(secret, "EXPERIMENTAL rfc8448", context, expected).ok());
  auto r = conn.export_early_keying_material("EXPERIMENTAL rfc8448", context, got);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(hex(got), hex(expected));
}

// Walks the trace as `ours`: the peer's records are fed in, ours must come
// out of pending_output() one by one, identical. Our early data was queued
// before the handshake; 1-RTT data goes through write(), close_notify
// through close(). The peer's early data must read back through
// read_early_data(), its 1-RTT data through read().
int replay(const std::string& ours, Connection& conn) {
  int matched = 0;
  for (const auto& r : trace()) {
    SCOPED_TRACE("RFC 8448 §4 " + r.party + " " + r.type + " record at line " +
                 std::to_string(r.line));
    if (r.party != ours) {
      const bool early = r.type == "application_data" && !conn.handshake_complete();
      auto fed = conn.feed(r.complete);
      EXPECT_TRUE(fed.ok()) << fed.error().describe();
      if (!fed) return matched;
      if (r.type == "application_data") {
        Bytes got(r.payload.size() + 1);
        got.resize(early ? conn.read_early_data(got) : conn.read(got));
        EXPECT_EQ(hex(got), hex(r.payload));
      }
      if (r.type == "alert") {
        EXPECT_TRUE(conn.peer_closed());
      }
      continue;
    }
    if (r.type == "application_data" && conn.handshake_complete()) {
      auto w = conn.write(r.payload);
      EXPECT_TRUE(w.ok()) << w.error().describe();
    } else if (r.type == "alert") {
      EXPECT_EQ(hex(r.payload), "0100");
      conn.close();
    }
    const auto out = conn.pending_output();
    if (out.size() < record::kRecordHeaderLength) {
      ADD_FAILURE() << "our side sent no record here";
      return matched;
    }
    const std::size_t len =
        record::kRecordHeaderLength + static_cast<std::size_t>(out[3] << 8 | out[4]);
    const Bytes got(out.begin(), out.begin() + static_cast<long>(std::min(len, out.size())));
    conn.consume_output(got.size());
    EXPECT_EQ(hex(got), hex(r.complete));
    if (got != r.complete) return matched;
    ++matched;
  }
  EXPECT_TRUE(conn.pending_output().empty()) << "our side sent more than the trace";
  EXPECT_FALSE(conn.failed()) << conn.error()->describe();
  return matched;
}

int expected_count(const std::string& party) {
  int n = 0;
  for (const auto& r : trace()) n += r.party == party;
  return n;
}

int replay_client() {
  const Bytes ch = trace_client_hello();
  ScriptedRandom rng;
  rng.push("ClientHello.random", Bytes(ch.begin() + 6, ch.begin() + 38));
  rng.push("x25519 key share", named("4", "client_x25519_private_key"));

  auto log = std::make_shared<KeyLog>();
  auto cfg = std::make_shared<ClientConfig>();
  cfg->cipher_suites = nss_suites();
  cfg->groups = kImplemented;
  cfg->key_share_groups = {NamedGroup::x25519};
  std::vector<SignatureScheme> sigs;
  for (std::uint16_t v : {0x0403, 0x0503, 0x0603, 0x0203, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501,
                          0x0601, 0x0201, 0x0402, 0x0502, 0x0602, 0x0202})
    sigs.push_back(static_cast<SignatureScheme>(v));
  cfg->signature_schemes = sigs;
  cfg->middlebox_compat = false;
  cfg->random = &rng;
  cfg->clock = [] { return kTraceTime; };
  cfg->verify_peer = false;  // as in §3: the RFC certificate cannot match "server"
  cfg->key_log = logger(log);
  // The session §3's connection left behind.
  auto cache = std::make_shared<InMemorySessionCache>();
  StoredSession s;
  s.ticket = hex(nst_field("ticket"));
  s.psk = resumption_psk();
  s.suite = CipherSuite::aes_128_gcm_sha256;
  s.lifetime = test::rfc8448_section("3")
                   .at("named")
                   .at("new_session_ticket_fields")
                   .at("ticket_lifetime")
                   .get<std::uint32_t>();
  s.age_add = ticket_age_add();
  s.received_ms = kTraceTime * 1000;
  EXPECT_EQ(nst_field("extensions"), "002a000400000400");  // early_data, 1024 bytes
  s.max_early_data_size = 0x400;
  cache->store("server", std::move(s));
  cfg->session_cache = cache;

  hs::ClientOptions o;
  o.extension_order = {0x0000, 0xff01, 0x000a, 0x0033, 0x002a, 0x002b, 0x000d, 0x002d, 0x001c};
  o.extra_extensions.push_back({0xff01, {0x00}});  // renegotiation_info
  o.advertised_groups = kNssGroups;
  o.psk_modes = {1};  // psk_dhe_ke
  o.record_size_limit = 0x4001;
  o.pad_to_512 = true;
  o.ticket_age_ms = obfuscated_ticket_age() - ticket_age_add();
  EXPECT_EQ(*o.ticket_age_ms, 6u);

  auto conn = ConnectionAccess::client(cfg, "server", o);
  const Bytes early = trace().at(1).payload;  // "ABCDEF"
  auto sent = conn.write_early_data(early);
  EXPECT_TRUE(sent.ok() && *sent == early.size());
  expect_early_exporter(conn);  // available from the ClientHello on
  const int matched = replay("client", conn);
  EXPECT_TRUE(conn.handshake_complete());
  EXPECT_TRUE(rng.exhausted());
  const auto& info = conn.info();
  EXPECT_EQ(info.cipher_suite, CipherSuite::aes_128_gcm_sha256);
  EXPECT_EQ(info.group, NamedGroup::x25519);
  EXPECT_TRUE(info.resumed);
  EXPECT_EQ(info.psk, PskType::resumption);
  EXPECT_EQ(info.early_data, EarlyDataStatus::accepted);
  EXPECT_EQ(matched, expected_count("client"));
  expect_secrets(*log);
  expect_early_exporter(conn);
  return matched;
}

int replay_server() {
  ScriptedRandom rng;
  const Bytes sh = named("4", "server_ServerHello");
  rng.push("ServerHello.random", Bytes(sh.begin() + 6, sh.begin() + 38));
  rng.push("x25519 key share", named("4", "server_x25519_private_key"));

  auto log = std::make_shared<KeyLog>();
  auto cfg = std::make_shared<ServerConfig>();
  cfg->cipher_suites = nss_suites();
  cfg->groups = kImplemented;
  cfg->random = &rng;
  cfg->clock = [] { return kTraceTime; };
  cfg->key_log = logger(log);
  cfg->max_early_data_size = 0x400;  // 0-RTT on; anti-replay (the default store) too

  hs::ServerOptions o;
  o.server_hello_order = {0x0029, 0x0033, 0x002b};
  o.advertised_groups = kNssGroups;
  o.record_size_limit = 0x4001;
  const Bytes ticket = hex(nst_field("ticket"));
  int opened = 0;
  o.open_ticket = [ticket, &opened](std::span<const std::uint8_t> id) {
    std::optional<hs::TicketState> st;
    if (!std::equal(id.begin(), id.end(), ticket.begin(), ticket.end())) return st;
    ++opened;
    st.emplace();
    st->suite = CipherSuite::aes_128_gcm_sha256;
    st->psk = SecretBytes(resumption_psk());
    st->created = kTraceTime;
    st->lifetime = 30;
    st->age_add = ticket_age_add();
    st->sni = "server";
    st->max_early_data_size = 0x400;
    return st;
  };

  auto conn = ConnectionAccess::server(cfg, o);
  const int matched = replay("server", conn);
  EXPECT_TRUE(conn.handshake_complete());
  EXPECT_TRUE(rng.exhausted());
  EXPECT_EQ(opened, 1);
  const auto& info = conn.info();
  EXPECT_EQ(info.server_name, "server");
  EXPECT_EQ(info.group, NamedGroup::x25519);
  EXPECT_TRUE(info.resumed);
  EXPECT_EQ(info.early_data, EarlyDataStatus::accepted);
  EXPECT_EQ(matched, expected_count("server"));
  expect_secrets(*log);
  expect_early_exporter(conn);
  return matched;
}

TEST(Rfc8448Replay, Section4_ResumedZeroRtt) {
  const int client = replay_client();
  const int server = replay_server();
  std::cout << "RFC 8448 §4 replay: client " << client << " records matched, server " << server
            << " records matched\n";
}

// The same ClientHello and early data a second time, against the same
// anti-replay store: the early data is refused, and the server's flight
// no longer carries early_data, so it differs from the trace from there on.
TEST(Rfc8448Replay, Section4_ReplayedZeroRttIsRejected) {
  auto store = std::make_shared<InMemoryReplayStore>();
  EarlyDataStatus outcome[2];
  for (int i = 0; i < 2; ++i) {
    ScriptedRandom rng;
    const Bytes sh = named("4", "server_ServerHello");
    rng.push("ServerHello.random", Bytes(sh.begin() + 6, sh.begin() + 38));
    rng.push("x25519 key share", named("4", "server_x25519_private_key"));
    auto cfg = std::make_shared<ServerConfig>();
    cfg->cipher_suites = nss_suites();
    cfg->groups = kImplemented;
    cfg->random = &rng;
    cfg->clock = [] { return kTraceTime; };
    cfg->max_early_data_size = 0x400;
    cfg->replay_store = store;
    hs::ServerOptions o;
    const Bytes ticket = hex(nst_field("ticket"));
    o.open_ticket = [ticket](std::span<const std::uint8_t> id) {
      std::optional<hs::TicketState> st;
      if (!std::equal(id.begin(), id.end(), ticket.begin(), ticket.end())) return st;
      st.emplace();
      st->suite = CipherSuite::aes_128_gcm_sha256;
      st->psk = SecretBytes(resumption_psk());
      st->created = kTraceTime;
      st->lifetime = 30;
      st->age_add = ticket_age_add();
      st->sni = "server";
      st->max_early_data_size = 0x400;
      return st;
    };
    auto conn = ConnectionAccess::server(cfg, o);
    ASSERT_TRUE(conn.feed(trace().at(0).complete).ok());
    ASSERT_TRUE(conn.feed(trace().at(1).complete).ok()) << conn.error()->describe();
    outcome[i] = conn.info().early_data;
    EXPECT_EQ(conn.early_data_readable(), i == 0 ? 6u : 0u);
    EXPECT_TRUE(conn.info().resumed);
  }
  EXPECT_EQ(outcome[0], EarlyDataStatus::accepted);
  EXPECT_EQ(outcome[1], EarlyDataStatus::rejected);
}

}  // namespace
}  // namespace tls13
