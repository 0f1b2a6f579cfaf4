// Regressions for what BoringSSL's BoGo suite found (tests/bogo), continued
// from bogo_regressions_test.cpp: each test names the BoGo tests that
// needed the behaviour and the rule behind it.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "conn/connection_access.h"
#include "msg/client_hello.h"
#include "msg/ext_misc.h"
#include "msg/handshake.h"
#include "support/loopback.h"

namespace tls13 {
namespace {

using test::pump;
using Chain = std::vector<std::vector<std::uint8_t>>;

struct Fixture {
  test::Pki pki = test::make_pki();
  std::shared_ptr<ClientConfig> client = std::make_shared<ClientConfig>();
  std::shared_ptr<ServerConfig> server = std::make_shared<ServerConfig>();
  std::shared_ptr<const CertifiedKey> server_key = test::server_cert(pki, crypto::KeyType::ec_p256);
  std::shared_ptr<InMemorySessionCache> cache = std::make_shared<InMemorySessionCache>();
  Fixture() {
    client->trust = pki.anchors;
    client->session_cache = cache;
    server->certificates.push_back(server_key);
    server->ticket_keys = std::make_shared<RotatingTicketKeys>(std::chrono::hours(1));
    server->tickets = 1;
  }
  // A check that records each chain and refuses with `alert` once `refuse`.
  struct Check {
    std::vector<Chain> seen;
    bool refuse = false;
    Alert alert = Alert::certificate_unknown;
  };
  CertificateCheckFn check_fn(std::shared_ptr<Check> c) {
    return [c](std::span<const std::vector<std::uint8_t>> chain) -> Result<void> {
      c->seen.emplace_back(chain.begin(), chain.end());
      if (c->refuse) return Error(c->alert, "refused by the test's check");
      return ok();
    };
  }
};

// BoGo CertificateVerificationFail-Client-TLS13(-CustomCallback): an
// application check refuses the server's chain after verification; its
// alert (not the library's) reaches the server.
TEST(BogoRegressions2, ClientCertificateCheckRefusesWithItsAlert) {
  Fixture f;
  auto check = std::make_shared<Fixture::Check>();
  check->refuse = true;
  check->alert = Alert::handshake_failure;
  f.client->certificate_check = f.check_fn(check);
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  (void)pump(c, s);
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.error()->alert, Alert::handshake_failure);
  EXPECT_FALSE(c.error()->from_peer);
  ASSERT_TRUE(s.failed());
  EXPECT_TRUE(s.error()->from_peer);
  EXPECT_EQ(s.error()->alert, Alert::handshake_failure);
  ASSERT_EQ(check->seen.size(), 1u);
  EXPECT_EQ(check->seen[0], f.server_key->chain_der());
}

// A check that accepts lets the handshake finish; it also runs when the
// library does not verify (verify_peer false).
TEST(BogoRegressions2, ClientCertificateCheckRunsWithoutVerification) {
  Fixture f;
  auto check = std::make_shared<Fixture::Check>();
  f.client->certificate_check = f.check_fn(check);
  f.client->verify_peer = false;
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  EXPECT_TRUE(c.handshake_complete() && s.handshake_complete());
  EXPECT_EQ(check->seen.size(), 1u);
}

// BoGo CertificateVerificationFail-Server-TLS13: the same on a server for a
// client's chain.
TEST(BogoRegressions2, ServerClientCertificateCheckRefusesWithItsAlert) {
  Fixture f;
  auto leaf = test::issue_leaf(f.pki.ca, crypto::KeyType::ec_p256, {"client.test"});
  f.client->certificates = {test::must(
      CertifiedKey::from_pem(leaf.cert.to_pem(), leaf.key->to_pem()), "client certificate")};
  f.server->client_auth = ClientAuth::required;
  f.server->client_trust = f.pki.anchors;
  auto check = std::make_shared<Fixture::Check>();
  check->refuse = true;
  f.server->client_certificate_check = f.check_fn(check);
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  (void)pump(c, s);
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.error()->alert, Alert::certificate_unknown);
  ASSERT_EQ(check->seen.size(), 1u);
  EXPECT_EQ(check->seen[0], Chain{leaf.der()});
  ASSERT_TRUE(c.failed());
  EXPECT_TRUE(c.error()->from_peer);
  EXPECT_EQ(c.error()->alert, Alert::certificate_unknown);
}

// BoGo CertificateVerificationFailsOnResume/PassesOnResume-Client-TLS13-
// CustomCallback: recheck_on_resumption runs the check again on the chain
// of the session's full handshake, and a refusal ends the resumption.
TEST(BogoRegressions2, RecheckOnResumptionChecksTheSessionsChain) {
  Fixture f;
  auto check = std::make_shared<Fixture::Check>();
  f.client->certificate_check = f.check_fn(check);
  f.client->recheck_on_resumption = true;
  {
    auto c = Connection::client(f.client, "localhost");
    auto s = Connection::server(f.server);
    ASSERT_TRUE(pump(c, s));
    ASSERT_EQ(f.cache->size(), 1u);
  }
  {
    auto c = Connection::client(f.client, "localhost");
    auto s = Connection::server(f.server);
    ASSERT_TRUE(pump(c, s));
    ASSERT_TRUE(c.handshake_complete());
    EXPECT_TRUE(c.info().resumed);
    ASSERT_EQ(check->seen.size(), 2u);
    EXPECT_EQ(check->seen[1], f.server_key->chain_der());
  }
  // The ticket from the resumption carries the chain on.
  check->refuse = true;
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  (void)pump(c, s);
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.error()->alert, Alert::certificate_unknown);
  ASSERT_EQ(check->seen.size(), 3u);
  EXPECT_EQ(check->seen[2], f.server_key->chain_der());
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.error()->alert, Alert::certificate_unknown);
}

// Without recheck_on_resumption a resumption runs no check; a ticket read
// back from its serialized form has no chain and is not offered under
// recheck_on_resumption (a full handshake runs the check instead).
TEST(BogoRegressions2, RecheckNeedsTheChainInTheSession) {
  Fixture f;
  auto check = std::make_shared<Fixture::Check>();
  f.client->certificate_check = f.check_fn(check);
  {
    auto c = Connection::client(f.client, "localhost");
    auto s = Connection::server(f.server);
    ASSERT_TRUE(pump(c, s));
  }
  {
    auto c = Connection::client(f.client, "localhost");
    auto s = Connection::server(f.server);
    ASSERT_TRUE(pump(c, s));
    EXPECT_TRUE(c.info().resumed);
    EXPECT_EQ(check->seen.size(), 1u);  // the full handshake only
  }
  f.client->recheck_on_resumption = true;
  auto ticket = f.cache->take("localhost");
  ASSERT_TRUE(ticket.has_value());
  EXPECT_TRUE(ticket->peer_chain.empty());  // stored without recheck_on_resumption
  auto parsed = StoredSession::parse(ticket->serialize());
  ASSERT_TRUE(parsed.has_value());
  f.cache->store("localhost", std::move(*parsed));
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.handshake_complete());
  EXPECT_FALSE(c.info().resumed);
  EXPECT_EQ(check->seen.size(), 2u);
}

// BoGo EarlyData-Accept0RTT-Client-ReverifyFails-TLS13: with 0-RTT the
// recheck runs before any early data goes out; a refusal sends none.
TEST(BogoRegressions2, RecheckRunsBeforeZeroRtt) {
  Fixture f;
  f.server->max_early_data_size = 1024;
  auto check = std::make_shared<Fixture::Check>();
  f.client->certificate_check = f.check_fn(check);
  f.client->recheck_on_resumption = true;
  {
    auto c = Connection::client(f.client, "localhost");
    auto s = Connection::server(f.server);
    ASSERT_TRUE(pump(c, s));
  }
  {
    auto c = Connection::client(f.client, "localhost");
    auto s = Connection::server(f.server);
    const std::vector<std::uint8_t> early = {'h', 'i'};
    ASSERT_EQ(c.write_early_data(early).value(), 2u);
    EXPECT_EQ(check->seen.size(), 2u);  // before the ClientHello went out
    ASSERT_TRUE(pump(c, s));
    EXPECT_EQ(c.info().early_data, EarlyDataStatus::accepted);
    EXPECT_EQ(check->seen.size(), 2u);  // once per handshake
  }
  check->refuse = true;
  auto c = Connection::client(f.client, "localhost");
  const std::vector<std::uint8_t> early = {'h', 'i'};
  EXPECT_FALSE(c.write_early_data(early).ok());
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.error()->alert, Alert::certificate_unknown);
  // Nothing but (at most) the alert: no ClientHello, no early data.
  const auto out = c.pending_output();
  EXPECT_TRUE(out.empty() || out[0] == 21);
}

// BoGo EarlyData-Reject0RTT-Client-ReverifyFails-*-Sync: after the server
// rejected our 0-RTT, an alert we sent while reading its flight went out
// under the early key, which the server skips as rejected early data; it
// never saw the alert. Here: the ticket is not resumed (other ticket keys)
// and the server's certificate has the wrong name.
TEST(BogoRegressions2, AlertAfterRejectedZeroRttReachesTheServer) {
  Fixture f;
  f.server->max_early_data_size = 1024;
  {
    auto c = Connection::client(f.client, "localhost");
    auto s = Connection::server(f.server);
    ASSERT_TRUE(pump(c, s));
  }
  f.server->ticket_keys = std::make_shared<RotatingTicketKeys>(std::chrono::hours(1));
  f.server->certificates = {test::server_cert(f.pki, crypto::KeyType::ec_p256, {"other.test"})};
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  const std::vector<std::uint8_t> early = {'h', 'i'};
  ASSERT_EQ(c.write_early_data(early).value(), 2u);
  (void)pump(c, s);
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.error()->alert, Alert::bad_certificate);
  EXPECT_EQ(c.info().early_data, EarlyDataStatus::rejected);
  ASSERT_TRUE(s.failed());
  EXPECT_TRUE(s.error()->from_peer);
  EXPECT_EQ(s.error()->alert, Alert::bad_certificate);
}

// BoGo OCSPStapling-*-TLS13, SignedCertificateTimestampList-*-TLS13,
// ServerOCSPCallback-*-TLS13, SendNoExtensionsOnIntermediate-TLS13: status
// stapled to the leaf's CertificateEntry (RFC 8446 §4.4.2.1) when the
// client asks, never to an intermediate, and readable before the
// certificate_check runs.
TEST(BogoRegressions2, CertificateStatusIsStapledToTheLeafWhenAsked) {
  Fixture f;
  const std::vector<std::uint8_t> ocsp = {0x30, 0x03, 0x0a, 0x01, 0x00};
  const std::vector<std::uint8_t> scts = {0x00, 0x05, 0x00, 0x03, 1, 2, 3};
  int calls = 0;
  f.server->certificate_status = [&](const CertifiedKey& chosen) -> Result<CertificateStatus> {
    ++calls;
    EXPECT_EQ(&chosen, f.server_key.get());
    return CertificateStatus{ocsp, scts};
  };
  {  // not asked: nothing stapled, the callback is not called
    auto c = Connection::client(f.client, "localhost");
    auto s = Connection::server(f.server);
    ASSERT_TRUE(pump(c, s));
    ASSERT_TRUE(c.handshake_complete());
    EXPECT_TRUE(c.info().ocsp_response.empty() && c.info().sct_list.empty());
    EXPECT_EQ(calls, 0);
  }
  f.client->request_ocsp = true;
  f.client->request_sct = true;
  // The check sees the stapled response (a revocation check would read it).
  std::vector<std::uint8_t> seen_in_check;
  Connection* conn = nullptr;
  f.client->certificate_check = [&](std::span<const std::vector<std::uint8_t>>) -> Result<void> {
    seen_in_check = conn->info().ocsp_response;
    return ok();
  };
  f.client->session_cache = nullptr;  // a full handshake
  auto c = Connection::client(f.client, "localhost");
  conn = &c;
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.handshake_complete()) << (c.error() ? c.error()->describe() : "");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(c.info().ocsp_response, ocsp);
  EXPECT_EQ(c.info().sct_list, scts);
  EXPECT_EQ(seen_in_check, ocsp);
}

// A status callback's Error ends the handshake with its alert (BoGo
// ServerOCSPCallback-Fail-TLS13); an SCT list that is not one is refused
// before it goes out.
TEST(BogoRegressions2, CertificateStatusCallbackErrorsAbort) {
  Fixture f;
  f.client->request_ocsp = true;
  f.client->request_sct = true;
  f.server->certificate_status = [](const CertifiedKey&) -> Result<CertificateStatus> {
    return Error(Alert::internal_error, "OCSP callback failed");
  };
  {
    auto c = Connection::client(f.client, "localhost");
    auto s = Connection::server(f.server);
    (void)pump(c, s);
    ASSERT_TRUE(s.failed());
    EXPECT_EQ(s.error()->message, "OCSP callback failed");
    ASSERT_TRUE(c.failed());
    EXPECT_EQ(c.error()->alert, Alert::internal_error);
  }
  f.server->certificate_status = [](const CertifiedKey&) -> Result<CertificateStatus> {
    return CertificateStatus{{}, {0x00, 0x00}};  // an empty list
  };
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  (void)pump(c, s);
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.error()->alert, Alert::internal_error);
}

// Rewrites our client's second ClientHello with `edit` (on its extensions).
void edit_second_client_hello(
    Connection& c, std::function<void(const msg::ExtensionList&, msg::ExtensionList&)> edit) {
  auto hellos = std::make_shared<int>(0);
  ConnectionAccess::impl(c).outgoing_handshake_filter = [hellos,
                                                         edit](std::vector<std::uint8_t>& m) {
    if (m[0] != 1 || ++*hellos != 2) return;
    auto ch = msg::ClientHello::decode(std::span(m).subspan(4));
    ASSERT_TRUE(ch.ok());
    msg::ClientHello copy = *ch;
    copy.extensions = msg::ExtensionList{};
    edit(ch->extensions, copy.extensions);
    copy.extensions.own();
    std::vector<std::uint8_t> out;
    ASSERT_TRUE(msg::append_message(out, copy).ok());
    m = std::move(out);
  };
}

// BoGo Resume-Server-OmitPSKsOnSecondClientHello: §4.1.2 lets the second
// ClientHello drop only PSKs the chosen suite cannot use; one that drops
// the PSK the server chose (here: all of them) is illegal_parameter. The
// server used to run a full handshake instead.
TEST(BogoRegressions2, SecondClientHelloMustKeepTheChosenPsk) {
  Fixture f;
  {
    auto c = Connection::client(f.client, "localhost");
    auto s = Connection::server(f.server);
    ASSERT_TRUE(pump(c, s));
  }
  f.client->key_share_groups = {NamedGroup::secp256r1};  // the server prefers x25519: HRR
  auto c = Connection::client(f.client, "localhost");
  edit_second_client_hello(c, [](const msg::ExtensionList& in, msg::ExtensionList& out) {
    for (const auto& e : in)
      if (e.type != static_cast<std::uint16_t>(msg::ExtensionType::pre_shared_key))
        out.add(e.type, e.body);
  });
  auto s = Connection::server(f.server);
  (void)pump(c, s);
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.error()->alert, Alert::illegal_parameter) << s.error()->describe();
  EXPECT_NE(s.error()->message.find("second ClientHello differs"), std::string::npos);
}

// The rest of the second ClientHello must match the first too: another
// ALPN list, or an extension added, is illegal_parameter; our own client's
// second ClientHello (new share, no early_data) is accepted.
TEST(BogoRegressions2, SecondClientHelloMustRepeatTheFirst) {
  for (int variant = 0; variant < 3; ++variant) {
    Fixture f;
    f.client->alpn = {"h2"};
    f.server->alpn = {"h2"};
    f.client->key_share_groups = {NamedGroup::secp256r1};
    auto c = Connection::client(f.client, "localhost");
    if (variant > 0)
      edit_second_client_hello(c, [variant](const msg::ExtensionList& in, msg::ExtensionList& out) {
        for (const auto& e : in) {
          if (variant == 1 &&
              e.type == static_cast<std::uint16_t>(
                            msg::ExtensionType::application_layer_protocol_negotiation))
            out.add(e.type, std::vector<std::uint8_t>{0, 3, 2, 'h', '3'});
          else
            out.add(e.type, e.body);
        }
        if (variant == 2) out.add(msg::PostHandshakeAuth{});
      });
    auto s = Connection::server(f.server);
    (void)pump(c, s);
    if (variant == 0) {
      EXPECT_TRUE(s.handshake_complete() && c.info().hello_retry_request);
      continue;
    }
    ASSERT_TRUE(s.failed()) << variant;
    EXPECT_EQ(s.error()->alert, Alert::illegal_parameter) << s.error()->describe();
  }
}

// BoGo PartialSecondClientHelloAfterFirst: the client must wait for the
// HelloRetryRequest, so handshake bytes that follow its first ClientHello
// in the same flight are unexpected_message (they used to be kept and
// read as the second ClientHello's start).
TEST(BogoRegressions2, HandshakeDataAfterAHelloThatGetsARetryIsUnexpected) {
  Fixture f;
  f.client->key_share_groups = {NamedGroup::secp256r1};
  auto c = Connection::client(f.client, "localhost");
  auto out = c.pending_output();
  std::vector<std::uint8_t> record(out.begin(), out.end());
  ASSERT_EQ(record[0], 22);
  const std::size_t len = (record[3] << 8) | record[4];
  record.resize(5 + len);                                        // the ClientHello record alone
  const std::vector<std::uint8_t> partial = {1, 0, 1, 0, 3, 3};  // a ClientHello's start
  record.insert(record.end(), partial.begin(), partial.end());
  record[3] = static_cast<std::uint8_t>((len + partial.size()) >> 8);
  record[4] = static_cast<std::uint8_t>(len + partial.size());
  auto s = Connection::server(f.server);
  (void)s.feed(record);
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.error()->alert, Alert::unexpected_message) << s.error()->describe();
}

}  // namespace
}  // namespace tls13
