// Negative handshake tests, part 4: raw records fed straight to one side at
// a chosen point of the handshake (plaintext, or protected with traffic
// secrets from the key log): record framing, content types, sizes,
// change_cipher_spec, interleaving, and alerts received. Expected alerts come
// from the RFC 8446 text cited beside each case.
#include <gtest/gtest.h>

#include "support/negative.h"

namespace tls13::test::neg {
namespace {

using T = HandshakeType;
constexpr std::uint8_t kCcs = 20, kAlert = 21, kHandshake = 22, kAppData = 23;
constexpr std::size_t kMaxPlain = std::size_t{1} << 14;

// Points in the handshake where raw input is injected. Each keeps the real
// peer so the alert we answer with can be checked on the other side.
struct Stage {
  Peers peers;
  Pair p{peers};
};

// The client sent its ClientHello; nothing has reached the server yet.
struct FreshServer : Stage {
  Message client_hello = take_output(p.c);
};

// The server read the ClientHello and sent its whole flight; the client read
// that flight (so it can open the server's alerts) but its answer is held.
struct ServerAfterClientHello : Stage {
  Message client_flight;
  ServerAfterClientHello() {
    EXPECT_TRUE(deliver(p.c, p.s).ok());
    EXPECT_TRUE(deliver(p.s, p.c).ok());
    client_flight = take_output(p.c);
  }
  RawSealer client_handshake_keys() {
    return RawSealer(peers, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", *p.s.info().cipher_suite,
                     next_read_sequence(p.s));
  }
};

// The client sent its ClientHello and nothing else happened.
struct ClientBeforeServerHello : Stage {
  Message client_hello = take_output(p.c);
};

// The client read the server's ServerHello (and dummy change_cipher_spec),
// so it reads under the server's handshake keys; the protected rest of the
// server's flight is held back.
struct ClientAfterServerHello : Stage {
  std::vector<Message> plain, protected_flight;
  ClientAfterServerHello() {
    EXPECT_TRUE(deliver(p.c, p.s).ok());
    for (auto& r : split_records(take_output(p.s)))
      (r[0] == kAppData ? protected_flight : plain).push_back(r);
    for (const auto& r : plain) EXPECT_TRUE(p.c.feed(r).ok());
  }
  RawSealer server_handshake_keys(std::uint64_t skip = 0) {
    return RawSealer(peers, "SERVER_HANDSHAKE_TRAFFIC_SECRET", *p.c.info().cipher_suite,
                     next_read_sequence(p.c) + skip);
  }
};

// Both sides completed the handshake and read each other's first data.
struct Connected : Stage {
  Connected() {
    p.run();
    EXPECT_TRUE(p.c.handshake_complete() && p.s.handshake_complete());
    drain_application_data(p.c);
    drain_application_data(p.s);
  }
  RawSealer server_application_keys() {
    return RawSealer(peers, "SERVER_TRAFFIC_SECRET_0", *p.c.info().cipher_suite,
                     next_read_sequence(p.c));
  }
};

// `d` is fed `input`, must abort with `alert` and tell `other`, which must
// fail with that alert from the peer. Neither delivers data.
void detects(Connection& d, Connection& other, const Message& input, Alert alert,
             const Message& before_alert = {}) {
  const bool was_complete = d.handshake_complete();
  (void)d.feed(input);
  expect_failed_locally(d, alert);
  if (!was_complete) {
    EXPECT_FALSE(d.handshake_complete());
  }
  const Message out = take_output(d);
  EXPECT_FALSE(out.empty()) << "no alert sent";
  (void)other.feed(concat({before_alert, out}));
  expect_failed_by_peer(other, alert);
}

// `c` is fed `input` carrying the peer's alert: it fails with that alert,
// marked as the peer's, answers nothing and delivers nothing.
void receives_alert(Connection& c, const Message& input, Alert alert) {
  (void)take_output(c);
  (void)c.feed(input);
  expect_failed_by_peer(c, alert);
  EXPECT_TRUE(c.pending_output().empty()) << "a received alert was answered";
  EXPECT_FALSE(c.handshake_complete());
}

Message filled(std::size_t n, std::uint8_t b = 0x16) {
  return Message(n, b);
}

// A record carrying just part of `m`'s fragment.
Message fragment_record(const Message& rec, std::size_t from, std::size_t to) {
  return record(rec[0], std::span(rec).subspan(5 + from, to - from));
}

Cases make_record_cases() {
  Cases v;
  auto add = [&](std::string name, std::function<void()> f) {
    v.push_back({std::move(name), std::move(f)});
  };
  const auto um = Alert::unexpected_message;
  const auto ro = Alert::record_overflow;

  // ---- Content types. §5.1: application data is always protected; §5:
  // an unexpected record type is unexpected_message.
  add("PlaintextApplicationDataToServer", [um] {
    FreshServer st;
    detects(st.p.s, st.p.c, record(kAppData, text("hi")), um);
  });
  add("PlaintextApplicationDataToClient", [um] {
    ClientBeforeServerHello st;
    detects(st.p.c, st.p.s, record(kAppData, text("hi")), um, st.client_hello);
  });
  add("InvalidContentTypeZero", [um] {
    FreshServer st;
    detects(st.p.s, st.p.c, record(0, Message{1}), um);
  });
  add("InvalidContentTypeHeartbeat", [um] {
    ClientBeforeServerHello st;
    detects(st.p.c, st.p.s, record(24, Message{1, 0, 0}), um, st.client_hello);
  });
  add("InvalidContentType255", [um] {
    ServerAfterClientHello st;
    detects(st.p.s, st.p.c, record(255, Message{1}), um);
  });
  // §5.4: an inner type that is not defined is unexpected_message, and so
  // is an inner plaintext without a non-zero byte.
  add("ProtectedInvalidInnerType", [um] {
    ClientAfterServerHello st;
    detects(st.p.c, st.p.s, st.server_handshake_keys().seal(24, Message{1}), um);
  });
  add("ProtectedInnerPlaintextAllZeros", [um] {
    ClientAfterServerHello st;
    detects(st.p.c, st.p.s, st.server_handshake_keys().seal_inner(Message(3, 0)), um);
  });
  add("ProtectedInnerPlaintextEmpty", [um] {
    ClientAfterServerHello st;
    detects(st.p.c, st.p.s, st.server_handshake_keys().seal_inner({}), um);
  });
  // §5.2: once protection is on, records are TLSCiphertext (outer type
  // 23); a plaintext handshake record is an unexpected record.
  add("PlaintextHandshakeAfterKeys", [um] {
    ClientAfterServerHello st;
    detects(st.p.c, st.p.s, record(kHandshake, handshake(T::encrypted_extensions, {0, 0})), um);
  });
  // §2 / §6.2: application data before Finished ("premature Application
  // Data") is unexpected_message.
  add("ProtectedApplicationDataUnderHandshakeKeysToClient", [um] {
    ClientAfterServerHello st;
    detects(st.p.c, st.p.s, st.server_handshake_keys().seal(kAppData, text("early")), um);
  });
  add("ProtectedApplicationDataUnderHandshakeKeysToServer", [um] {
    ServerAfterClientHello st;
    detects(st.p.s, st.p.c, st.client_handshake_keys().seal(kAppData, text("early")), um);
    EXPECT_EQ(st.p.s.readable(), 0u);
  });

  // §4 / §5.2: a second plaintext ClientHello once the server reads under
  // handshake keys.
  add("SecondPlaintextClientHello", [um] {
    ServerAfterClientHello st;
    Peers other;
    Pair q(other);
    detects(st.p.s, st.p.c, take_output(q.c), um);
  });

  // ---- Sizes. §5.1: TLSPlaintext.length over 2^14, and §5.2:
  // TLSCiphertext.length over 2^14 + 256, are record_overflow; so is an
  // inner plaintext over 2^14 + 1 (§5.4).
  add("PlaintextRecordOverflow", [ro] {
    FreshServer st;
    detects(st.p.s, st.p.c, record(kHandshake, filled(kMaxPlain + 1)), ro);
  });
  add("PlaintextRecordBeyondCiphertextLimit", [ro] {
    FreshServer st;
    detects(st.p.s, st.p.c, record_header(kHandshake, kMaxPlain + 257), ro);
  });
  add("ProtectedRecordBeyondCiphertextLimit", [ro] {
    ClientAfterServerHello st;
    detects(st.p.c, st.p.s, record_header(kAppData, kMaxPlain + 257), ro);
  });
  add("ProtectedInnerPlaintextOverflow", [ro] {
    ClientAfterServerHello st;
    detects(st.p.c, st.p.s, st.server_handshake_keys().seal(kHandshake, filled(kMaxPlain + 1)), ro);
  });
  add("ProtectedApplicationDataOverflowAfterHandshake", [ro] {
    Connected st;
    detects(st.p.c, st.p.s, st.server_application_keys().seal(kAppData, filled(kMaxPlain + 1)), ro);
  });
  // Local limit (no RFC alert): a handshake message over
  // Limits::max_handshake_message (or max_certificate_message for
  // Certificate) is refused as soon as its header arrives.
  add("HandshakeMessageOverLimit", [] {
    FreshServer st;
    detects(st.p.s, st.p.c, record(kHandshake, Message{0x01, 0x01, 0x00, 0x01}),
            Alert::illegal_parameter);
  });
  add("CertificateMessageOverLimit", [] {
    ClientAfterServerHello st;
    const Message ee = handshake(T::encrypted_extensions, {0x00, 0x00});
    const Message cert_header{0x0b, 0x04, 0x00, 0x01};  // 2^18 + 1 bytes
    detects(st.p.c, st.p.s, st.server_handshake_keys().seal(kHandshake, concat({ee, cert_header})),
            Alert::illegal_parameter);
  });

  // ---- Protection failures (§5.2: bad_record_mac).
  add("ProtectedRecordBadMac", [] {
    ClientAfterServerHello st;
    Message r = st.protected_flight.front();
    r.back() ^= 0x01;
    detects(st.p.c, st.p.s, r, Alert::bad_record_mac);
  });
  add("ProtectedRecordWrongSequenceNumber", [] {
    ClientAfterServerHello st;
    const Message ee = handshake(T::encrypted_extensions, {0x00, 0x00});
    detects(st.p.c, st.p.s, st.server_handshake_keys(1).seal(kHandshake, ee),
            Alert::bad_record_mac);
  });
  add("ProtectedRecordShorterThanTag", [] {
    ClientAfterServerHello st;
    detects(st.p.c, st.p.s, record(kAppData, Message{1, 2, 3, 4, 5}), Alert::bad_record_mac);
  });

  // ---- Empty records. §5.1 / §5.4: zero-length handshake or alert
  // content is unexpected_message.
  add("ZeroLengthPlaintextHandshakeRecord", [um] {
    FreshServer st;
    detects(st.p.s, st.p.c, record(kHandshake, Message{}), um);
  });
  add("ZeroLengthPlaintextAlertRecord", [um] {
    FreshServer st;
    detects(st.p.s, st.p.c, record(kAlert, Message{}), um);
  });
  add("ZeroLengthProtectedHandshakeRecord", [um] {
    ClientAfterServerHello st;
    detects(st.p.c, st.p.s, st.server_handshake_keys().seal(kHandshake, Message{}), um);
  });
  add("ZeroLengthProtectedAlertRecord", [um] {
    ClientAfterServerHello st;
    detects(st.p.c, st.p.s, st.server_handshake_keys().seal(kAlert, Message{}), um);
  });
  // Local limit: a run of empty application data records.
  add("TooManyEmptyApplicationDataRecords", [um] {
    Connected st;
    auto keys = st.server_application_keys();
    Message flood;
    for (int i = 0; i < 40; ++i) flood = concat({flood, keys.seal(kAppData, Message{})});
    detects(st.p.c, st.p.s, flood, um);
  });

  // ---- change_cipher_spec (§5): only a single 0x01, only between the
  // first ClientHello and the peer's Finished, never protected; anything
  // else is unexpected_message.
  add("ChangeCipherSpecBeforeClientHello", [um] {
    FreshServer st;
    detects(st.p.s, st.p.c, record(kCcs, Message{1}), um);
  });
  add("ChangeCipherSpecWrongValue", [um] {
    ServerAfterClientHello st;
    detects(st.p.s, st.p.c, record(kCcs, Message{2}), um);
  });
  add("ChangeCipherSpecTwoBytes", [um] {
    ServerAfterClientHello st;
    detects(st.p.s, st.p.c, record(kCcs, Message{1, 1}), um);
  });
  add("ChangeCipherSpecEmpty", [um] {
    ServerAfterClientHello st;
    detects(st.p.s, st.p.c, record(kCcs, Message{}), um);
  });
  add("ChangeCipherSpecAfterHandshakeToClient", [um] {
    Connected st;
    detects(st.p.c, st.p.s, record(kCcs, Message{1}), um);
  });
  add("ChangeCipherSpecAfterHandshakeToServer", [um] {
    Connected st;
    detects(st.p.s, st.p.c, record(kCcs, Message{1}), um);
  });
  add("ProtectedChangeCipherSpec", [um] {
    ClientAfterServerHello st;
    detects(st.p.c, st.p.s, st.server_handshake_keys().seal(kCcs, Message{1}), um);
  });
  // Local limit: a run of dummy change_cipher_spec records.
  add("TooManyChangeCipherSpecRecords", [um] {
    ServerAfterClientHello st;
    Message flood;
    for (int i = 0; i < 12; ++i) flood = concat({flood, record(kCcs, Message{1})});
    detects(st.p.s, st.p.c, flood, um);
  });

  // ---- Interleaving (§5.1: "if a handshake message is split over two or
  // more records, there MUST NOT be any other records between them").
  add("AlertInsideFragmentedClientHello", [um] {
    FreshServer st;
    const Message& ch = st.client_hello;
    const std::size_t n = ch.size() - 5;
    detects(st.p.s, st.p.c,
            concat({fragment_record(ch, 0, 40), record(kAlert, Message{1, 90}),
                    fragment_record(ch, 40, n)}),
            um);
  });
  add("ChangeCipherSpecInsideFragmentedClientHello", [um] {
    FreshServer st;
    const Message& ch = st.client_hello;
    const std::size_t n = ch.size() - 5;
    detects(
        st.p.s, st.p.c,
        concat({fragment_record(ch, 0, 40), record(kCcs, Message{1}), fragment_record(ch, 40, n)}),
        um);
  });
  add("ChangeCipherSpecInsideFragmentedServerHello", [um] {
    Peers peers;
    Pair p(peers);
    ASSERT_TRUE(deliver(p.c, p.s).ok());
    const auto recs = split_records(take_output(p.s));
    const Message& sh = recs.front();
    const std::size_t n = sh.size() - 5;
    detects(
        p.c, p.s,
        concat({fragment_record(sh, 0, 20), record(kCcs, Message{1}), fragment_record(sh, 20, n)}),
        um);
  });
  add("ApplicationDataInsideFragmentedKeyUpdate", [um] {
    Connected st;
    auto keys = st.server_application_keys();
    const Message ku = handshake(T::key_update, {0x00});
    detects(
        st.p.c, st.p.s,
        concat({keys.seal(kHandshake, std::span(ku).first(2)), keys.seal(kAppData, text("between")),
                keys.seal(kHandshake, std::span(ku).subspan(2))}),
        um);
    EXPECT_EQ(st.p.c.readable(), 0u);
  });

  // ---- Alerts received. §6: every alert but close_notify and
  // user_canceled is fatal whatever its level, unknown ones too; the
  // receiver fails with the peer's alert and sends nothing back.
  add("FatalAlertBeforeServerHello", [] {
    ClientBeforeServerHello st;
    receives_alert(st.p.c, record(kAlert, Message{2, 40}), Alert::handshake_failure);
  });
  add("FatalAlertToServerDuringHandshake", [] {
    ServerAfterClientHello st;
    receives_alert(st.p.s, record(kAlert, Message{2, 42}), Alert::bad_certificate);
  });
  add("ProtectedFatalAlertDuringHandshake", [] {
    ClientAfterServerHello st;
    receives_alert(st.p.c, st.server_handshake_keys().seal(kAlert, Message{2, 51}),
                   Alert::decrypt_error);
  });
  add("WarningLevelErrorAlertIsFatal", [] {
    ClientBeforeServerHello st;
    receives_alert(st.p.c, record(kAlert, Message{1, 40}), Alert::handshake_failure);
  });
  add("UnknownAlertIsFatal", [] {
    ClientBeforeServerHello st;
    receives_alert(st.p.c, record(kAlert, Message{2, 200}), static_cast<Alert>(200));
  });
  add("FatalAlertAfterHandshakeStopsData", [] {
    Connected st;
    auto keys = st.server_application_keys();
    const Message in =
        concat({keys.seal(kAlert, Message{2, 80}), keys.seal(kAppData, app_secret())});
    (void)take_output(st.p.c);
    (void)st.p.c.feed(in);
    expect_failed_by_peer(st.p.c, Alert::internal_error);
    EXPECT_TRUE(st.p.c.pending_output().empty());
  });
  // §5.1: an alert record holds exactly one two-byte alert; anything else
  // does not parse (§6 decode_error).
  add("AlertRecordThreeBytes", [] {
    ClientBeforeServerHello st;
    detects(st.p.c, st.p.s, record(kAlert, Message{2, 40, 0}), Alert::decode_error,
            st.client_hello);
  });
  add("AlertRecordOneByte", [] {
    ClientBeforeServerHello st;
    detects(st.p.c, st.p.s, record(kAlert, Message{2}), Alert::decode_error, st.client_hello);
  });
  add("TwoAlertsInOneRecord", [] {
    ClientBeforeServerHello st;
    detects(st.p.c, st.p.s, record(kAlert, Message{1, 90, 2, 40}), Alert::decode_error,
            st.client_hello);
  });
  add("ProtectedAlertThreeBytesAfterHandshake", [] {
    Connected st;
    detects(st.p.c, st.p.s, st.server_application_keys().seal(kAlert, Message{2, 40, 0}),
            Alert::decode_error);
  });
  // §5.2: once the handshake is done every record is protected; an
  // unprotected alert is an unexpected record, not the peer's word.
  add("PlaintextAlertAfterHandshake", [um] {
    Connected st;
    detects(st.p.c, st.p.s, record(kAlert, Message{2, 40}), um);
  });
  // §6.1: "Any data received after a closure alert has been received MUST
  // be ignored": neither delivered nor judged, in the same feed or later.
  add("DataAfterCloseNotifyIsIgnored", [] {
    Connected st;
    auto keys = st.server_application_keys();
    const Message close = keys.seal(kAlert, Message{1, 0});
    (void)st.p.c.feed(concat({close, keys.seal(kAppData, app_secret())}));
    (void)st.p.c.feed(keys.seal(kAppData, app_secret()));
    EXPECT_TRUE(st.p.c.peer_closed());
    EXPECT_FALSE(st.p.c.failed());
    EXPECT_EQ(st.p.c.readable(), 0u);
    EXPECT_TRUE(st.p.c.pending_output().empty());
  });
  add("GarbageAfterCloseNotifyIsIgnored", [] {
    Connected st;
    auto keys = st.server_application_keys();
    const Message close = keys.seal(kAlert, Message{1, 0});
    Message bad = keys.seal(kAppData, app_secret());
    bad.back() ^= 1;
    (void)st.p.c.feed(concat({close, bad, record(kCcs, Message{2})}));
    (void)st.p.c.feed(record(0, Message{1}));
    EXPECT_TRUE(st.p.c.peer_closed());
    EXPECT_FALSE(st.p.c.failed()) << st.p.c.error()->describe();
    EXPECT_EQ(st.p.c.readable(), 0u);
    EXPECT_TRUE(st.p.c.pending_output().empty());
  });

  // Local limit: a run of user_canceled warnings.
  add("TooManyUserCanceledAlerts", [um] {
    ClientBeforeServerHello st;
    Message flood;
    for (int i = 0; i < 12; ++i) flood = concat({flood, record(kAlert, Message{1, 90})});
    detects(st.p.c, st.p.s, flood, um, st.client_hello);
  });
  return v;
}

}  // namespace

const Cases& record_cases() {
  static const Cases cases = make_record_cases();
  return cases;
}

namespace {

class RecordNegative : public ::testing::TestWithParam<Case> {};
TEST_P(RecordNegative, Aborts) {
  GetParam().run();
}
INSTANTIATE_TEST_SUITE_P(HandshakeNegative, RecordNegative, ::testing::ValuesIn(record_cases()),
                         case_name);

}  // namespace
}  // namespace tls13::test::neg
