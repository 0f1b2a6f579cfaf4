// Post-handshake client authentication (RFC 8446 §4.6.2, §4.2.6, §4.4.1)
// and more session tickets on request (§4.6.1), in memory.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "msg/certificate_request.h"
#include "support/negative.h"

namespace tls13 {
namespace {

using test::pump;
using test::neg::expect_failed_by_peer;
using test::neg::expect_failed_locally;
using test::neg::Filter;
using test::neg::Message;
using T = msg::HandshakeType;

std::shared_ptr<const CertifiedKey> client_cert(crypto::KeyType t = crypto::KeyType::ec_p256) {
  const auto& pki = test::neg::shared_pki();
  auto leaf = test::issue_leaf(pki.ca, t, {"client.test"});
  return test::must(
      CertifiedKey::from_pem(leaf.cert.to_pem() + pki.ca.cert.to_pem(), leaf.key->to_pem()),
      "client certificate");
}

// A client offering post_handshake_auth with a certificate, and a server
// that does not ask in the handshake but can afterwards.
struct Pha : test::neg::Peers {
  Pha() {
    client->post_handshake_auth = true;
    client->certificates.push_back(client_cert());
    server->client_trust = test::neg::shared_pki().anchors;
  }
};

// Connected peers; the server's CertificateRequests are recorded and the
// client's outgoing messages go through `client_out` once connected.
struct Conns {
  Connection c, s;
  std::shared_ptr<std::vector<Message>> requests = std::make_shared<std::vector<Message>>();

  explicit Conns(const Pha& p, Filter client_out = {})
      : c(Connection::client(p.client, "localhost")), s(Connection::server(p.server)) {
    ConnectionAccess::impl(s).outgoing_handshake_filter = [r = requests](Message& m) {
      if (test::neg::is(m, T::certificate_request)) r->push_back(m);
    };
    EXPECT_TRUE(pump(c, s));
    EXPECT_FALSE(c.failed()) << c.error()->describe();
    EXPECT_FALSE(s.failed()) << s.error()->describe();
    EXPECT_TRUE(s.handshake_complete());
    (void)events(c, EventKind::post_handshake_auth);
    (void)events(s, EventKind::post_handshake_auth);
    if (client_out) ConnectionAccess::impl(c).outgoing_handshake_filter = std::move(client_out);
  }

  static int events(Connection& x, EventKind kind) {
    int n = 0;
    while (auto e = x.next_event()) n += e->kind == kind;
    return n;
  }
};

std::vector<std::uint8_t> context_of(const Message& request) {
  const Message body = test::neg::body_of(request);
  auto cr = msg::CertificateRequest::decode(body);
  EXPECT_TRUE(cr.ok());
  if (!cr.ok()) return {};
  return {cr->certificate_request_context.begin(), cr->certificate_request_context.end()};
}

TEST(PostHandshakeAuth, ServerRequestsAndVerifiesTheClient) {
  Pha p;
  Conns k(p);
  EXPECT_TRUE(k.c.info().post_handshake_auth);
  EXPECT_TRUE(k.s.info().post_handshake_auth);
  EXPECT_FALSE(k.s.info().certificate_requested);
  EXPECT_FALSE(k.s.info().client_auth);

  ASSERT_TRUE(k.s.request_client_auth().ok());
  // Application data may cross the request (§4.6.2: servers must expect
  // other messages before the answer).
  const Message early = test::neg::text("sent before the request arrived");
  ASSERT_TRUE(k.c.write(early).ok());
  ASSERT_TRUE(pump(k.c, k.s));
  ASSERT_FALSE(k.c.failed()) << k.c.error()->describe();
  ASSERT_FALSE(k.s.failed()) << k.s.error()->describe();
  Message got(64);
  got.resize(k.s.read(got));
  EXPECT_EQ(got, early);

  EXPECT_EQ(Conns::events(k.s, EventKind::post_handshake_auth), 1);
  EXPECT_EQ(Conns::events(k.c, EventKind::post_handshake_auth), 1);
  EXPECT_TRUE(k.s.info().client_auth);
  EXPECT_TRUE(k.s.info().peer_verified);
  ASSERT_EQ(k.s.info().peer_chain.size(), 2u);
  EXPECT_EQ(k.s.info().peer_chain[0], p.client->certificates[0]->chain_der()[0]);
  EXPECT_TRUE(k.c.info().client_auth);
  EXPECT_TRUE(k.c.info().certificate_requested);
  ASSERT_EQ(k.requests->size(), 1u);
  EXPECT_FALSE(context_of(k.requests->at(0)).empty());

  // The connection carries on.
  const Message later = test::neg::text("after authentication");
  ASSERT_TRUE(k.s.write(later).ok());
  ASSERT_TRUE(pump(k.c, k.s));
  got.assign(64, 0);
  got.resize(k.c.read(got));
  EXPECT_EQ(got, later);
}

TEST(PostHandshakeAuth, SeveralRoundsEachWithItsOwnContext) {
  Pha p;
  Conns k(p);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(k.s.request_client_auth().ok());
    ASSERT_TRUE(pump(k.c, k.s));
    ASSERT_FALSE(k.s.failed()) << k.s.error()->describe();
    EXPECT_EQ(Conns::events(k.s, EventKind::post_handshake_auth), 1);
  }
  // Two requests in flight at once.
  ASSERT_TRUE(k.s.request_client_auth().ok());
  ASSERT_TRUE(k.s.request_client_auth().ok());
  ASSERT_TRUE(pump(k.c, k.s));
  ASSERT_FALSE(k.s.failed()) << k.s.error()->describe();
  EXPECT_EQ(Conns::events(k.s, EventKind::post_handshake_auth), 2);
  EXPECT_EQ(Conns::events(k.c, EventKind::post_handshake_auth), 5);
  ASSERT_EQ(k.requests->size(), 5u);
  std::set<std::vector<std::uint8_t>> contexts;
  for (const auto& r : *k.requests) contexts.insert(context_of(r));
  EXPECT_EQ(contexts.size(), 5u);  // §4.3.2: unique within the connection
  EXPECT_TRUE(k.s.info().client_auth);
}

TEST(PostHandshakeAuth, AnswersMayComeInAnotherOrder) {
  // The client's answer to the first request is held back until the
  // second answer went out: the server pairs them by context.
  auto stash = std::make_shared<Message>();
  auto seen = std::make_shared<int>(0);
  Filter reorder = [stash, seen](Message& m) {
    const int n = (*seen)++;
    if (n < 3) {
      stash->insert(stash->end(), m.begin(), m.end());
      m.clear();
    } else if (n == 5) {
      m.insert(m.end(), stash->begin(), stash->end());
    }
  };
  Pha p;
  Conns k(p, reorder);
  ASSERT_TRUE(k.s.request_client_auth().ok());
  ASSERT_TRUE(k.s.request_client_auth().ok());
  ASSERT_TRUE(pump(k.c, k.s));
  ASSERT_FALSE(k.s.failed()) << k.s.error()->describe();
  EXPECT_EQ(*seen, 6);
  EXPECT_EQ(Conns::events(k.s, EventKind::post_handshake_auth), 2);
}

TEST(PostHandshakeAuth, FinishedUsesTheCurrentTrafficSecret) {
  // After KeyUpdates both ways the Finished key is
  // client_application_traffic_secret_N with N > 0 (§4.4).
  Pha p;
  Conns k(p);
  ASSERT_TRUE(k.c.update_keys(true).ok());
  ASSERT_TRUE(pump(k.c, k.s));
  ASSERT_TRUE(k.s.request_client_auth().ok());
  ASSERT_TRUE(pump(k.c, k.s));
  ASSERT_FALSE(k.s.failed()) << k.s.error()->describe();
  EXPECT_EQ(Conns::events(k.s, EventKind::post_handshake_auth), 1);
  EXPECT_TRUE(k.s.info().client_auth);
}

TEST(PostHandshakeAuth, ClientWithoutCertificateDeclines) {
  Pha p;
  p.client->certificates.clear();
  Conns k(p);
  ASSERT_TRUE(k.s.request_client_auth().ok());
  ASSERT_TRUE(pump(k.c, k.s));
  ASSERT_FALSE(k.s.failed()) << k.s.error()->describe();
  EXPECT_EQ(Conns::events(k.s, EventKind::post_handshake_auth), 1);
  EXPECT_FALSE(k.s.info().client_auth);
  EXPECT_FALSE(k.c.info().client_auth);
}

// Rewrites the client's post-handshake Certificate to an empty one and
// drops its CertificateVerify.
Filter declining() {
  return [](Message& m) {
    if (test::neg::is(m, T::certificate)) {
      const Message body = test::neg::body_of(m);
      Message empty(body.begin(), body.begin() + 1 + body[0]);  // context
      empty.insert(empty.end(), {0, 0, 0});
      test::neg::set_body(m, empty);
    } else if (test::neg::is(m, T::certificate_verify)) {
      m.clear();
    }
  };
}

TEST(PostHandshakeAuth, EmptyAnswerUnderRequiredIsCertificateRequired) {
  Pha p;
  p.server->client_auth = ClientAuth::required;  // the handshake authenticates
  Conns k(p, declining());
  EXPECT_TRUE(k.s.info().client_auth);
  ASSERT_TRUE(k.s.request_client_auth().ok());
  ASSERT_TRUE(pump(k.c, k.s));
  expect_failed_locally(k.s, Alert::certificate_required);
  expect_failed_by_peer(k.c, Alert::certificate_required);
}

TEST(PostHandshakeAuth, UnsolicitedCertificateRequestIsUnexpectedMessage) {
  Pha p;
  p.client->post_handshake_auth = false;
  Conns k(p);
  EXPECT_FALSE(k.s.info().post_handshake_auth);
  // §4.2.6: the server API refuses; the connection lives on.
  auto r = k.s.request_client_auth();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::internal_error);
  EXPECT_FALSE(k.s.failed());
  // A server that sends one anyway gets unexpected_message (§4.6.2).
  const Message cr = test::neg::handshake(
      T::certificate_request,
      {0x02, 0xab, 0xcd, 0x00, 0x08, 0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03});
  test::neg::send_from(k.s, cr);
  ASSERT_TRUE(pump(k.c, k.s));
  expect_failed_locally(k.c, Alert::unexpected_message);
  expect_failed_by_peer(k.s, Alert::unexpected_message);
}

TEST(PostHandshakeAuth, EmptyContextAfterTheHandshakeIsIllegalParameter) {
  Pha p;
  Conns k(p);
  const Message cr = test::neg::handshake(
      T::certificate_request, {0x00, 0x00, 0x08, 0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03});
  test::neg::send_from(k.s, cr);
  ASSERT_TRUE(pump(k.c, k.s));
  expect_failed_locally(k.c, Alert::illegal_parameter);
}

TEST(PostHandshakeAuth, AnswerToAnUnknownContextIsIllegalParameter) {
  Pha p;
  Conns k(p, test::neg::on(T::certificate, [](Message& m) { m.at(5) ^= 0xff; }));
  ASSERT_TRUE(k.s.request_client_auth().ok());
  ASSERT_TRUE(pump(k.c, k.s));
  expect_failed_locally(k.s, Alert::illegal_parameter);
}

TEST(PostHandshakeAuth, BadAnswersAreRejected) {
  {  // wrong Finished
    Pha p;
    Conns k(p, test::neg::on(T::finished, [](Message& m) { m.back() ^= 0x01; }));
    ASSERT_TRUE(k.s.request_client_auth().ok());
    ASSERT_TRUE(pump(k.c, k.s));
    expect_failed_locally(k.s, Alert::decrypt_error);
  }
  {  // bad signature
    Pha p;
    p.client->certificates = {client_cert(crypto::KeyType::ed25519)};
    Conns k(p, test::neg::on(T::certificate_verify, [](Message& m) { m.back() ^= 0x01; }));
    ASSERT_TRUE(k.s.request_client_auth().ok());
    ASSERT_TRUE(pump(k.c, k.s));
    expect_failed_locally(k.s, Alert::decrypt_error);
  }
  {  // Finished without the CertificateVerify
    Pha p;
    Conns k(p, test::neg::drop(T::certificate_verify));
    ASSERT_TRUE(k.s.request_client_auth().ok());
    ASSERT_TRUE(pump(k.c, k.s));
    expect_failed_locally(k.s, Alert::unexpected_message);
  }
  {  // a KeyUpdate inside the answer (§4.6.2: the messages come in a row)
    Pha p;
    Conns k(p,
            test::neg::insert_after(T::certificate, test::neg::handshake(T::key_update, {0x00})));
    ASSERT_TRUE(k.s.request_client_auth().ok());
    ASSERT_TRUE(pump(k.c, k.s));
    expect_failed_locally(k.s, Alert::unexpected_message);
  }
  {  // a chain the server does not trust
    Pha p;
    p.server->client_trust = test::make_pki().anchors;
    Conns k(p);
    ASSERT_TRUE(k.s.request_client_auth().ok());
    ASSERT_TRUE(pump(k.c, k.s));
    expect_failed_locally(k.s, Alert::unknown_ca);
  }
}

TEST(PostHandshakeAuth, ApiMisuseIsRefusedWithoutKillingTheConnection) {
  Pha p;
  auto early = Connection::server(p.server);
  auto r = early.request_client_auth();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::internal_error);
  EXPECT_FALSE(early.failed());

  Conns k(p);
  r = k.c.request_client_auth();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::internal_error);
  EXPECT_FALSE(k.c.failed());
  // At most 8 requests await an answer.
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(k.s.request_client_auth().ok());
  r = k.s.request_client_auth();
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(k.s.failed());
  ASSERT_TRUE(pump(k.c, k.s));
  EXPECT_EQ(Conns::events(k.s, EventKind::post_handshake_auth), 8);
  EXPECT_TRUE(k.s.request_client_auth().ok());
}

TEST(PostHandshakeAuth, AfterResumption) {
  Pha p;
  p.server->ticket_keys = std::make_shared<RotatingTicketKeys>(std::chrono::hours(1));
  p.client->session_cache = std::make_shared<InMemorySessionCache>();
  { Conns first(p); }
  Conns k(p);
  EXPECT_TRUE(k.c.info().resumed);
  EXPECT_FALSE(k.s.info().client_auth);
  ASSERT_TRUE(k.s.request_client_auth().ok());
  ASSERT_TRUE(pump(k.c, k.s));
  ASSERT_FALSE(k.s.failed()) << k.s.error()->describe();
  EXPECT_TRUE(k.s.info().client_auth);
}

// ------------------------------------------------------------- tickets --

TEST(SendTickets, ServerIssuesMoreTicketsOnRequest) {
  Pha p;
  auto cache = std::make_shared<InMemorySessionCache>();
  p.client->session_cache = cache;
  p.server->ticket_keys = std::make_shared<RotatingTicketKeys>(std::chrono::hours(1));
  p.server->tickets = 0;
  Conns k(p);
  EXPECT_EQ(cache->size(), 0u);
  ASSERT_TRUE(k.s.request_client_auth().ok());
  ASSERT_TRUE(pump(k.c, k.s));
  ASSERT_TRUE(k.s.send_tickets(3).ok());
  ASSERT_TRUE(pump(k.c, k.s));
  ASSERT_FALSE(k.c.failed()) << k.c.error()->describe();
  EXPECT_EQ(cache->size(), 3u);

  auto r = k.c.send_tickets(1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::internal_error);
  EXPECT_FALSE(k.c.failed());

  // Each ticket resumes.
  Conns again(p);
  EXPECT_TRUE(again.c.info().resumed);
}

TEST(SendTickets, NeedsTicketKeysAndACompleteHandshake) {
  Pha p;
  auto early = Connection::server(p.server);
  EXPECT_FALSE(early.send_tickets(1).ok());
  Conns k(p);
  auto r = k.s.send_tickets(1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::internal_error);
  EXPECT_FALSE(k.s.failed());
}

}  // namespace
}  // namespace tls13
