// Harness for the negative handshake tests (tests/unit/handshake_negative*):
// in-memory peers whose outgoing handshake messages are rewritten through the
// outgoing_handshake_filter seam, raw records (plain, or protected with
// secrets from the key log) fed straight to one side, and the checks every
// case makes: the exact alert on the detecting side, the same alert received
// by the other side, and nothing delivered to the application.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "conn/connection_access.h"
#include "crypto/aead.h"
#include "crypto/algorithms.h"
#include "keysched/key_schedule.h"
#include "msg/certificate.h"
#include "msg/certificate_verify.h"
#include "msg/client_hello.h"
#include "msg/encrypted_extensions.h"
#include "msg/handshake.h"
#include "msg/server_hello.h"
#include "record/content_type.h"
#include "support/loopback.h"

namespace tls13::test::neg {

using Message = std::vector<std::uint8_t>;
using Filter = std::function<void(Message&)>;
// Filters may hold state (counters, stashed messages), so cases build a
// fresh one per run.
using MakeFilter = std::function<Filter()>;
using msg::HandshakeType;
using record::ContentType;

// ------------------------------------------------------------- registry --

// One negative case; `name` is gtest-safe (letters, digits, underscores).
struct Case {
  std::string name;
  std::function<void()> run;
};
using Cases = std::vector<Case>;

// Each test file's table; HandshakeNegative.AllCases runs them all.
const Cases& server_hello_cases();    // handshake_negative_test.cpp
const Cases& server_flight_cases();   // handshake_negative_flight_test.cpp
const Cases& client_message_cases();  // handshake_negative_server_test.cpp
const Cases& record_cases();          // handshake_negative_record_test.cpp

inline std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  return info.param.name;
}
inline void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

// ---------------------------------------------------------------- peers --

inline const Pki& shared_pki() {
  static const Pki pki = make_pki();
  return pki;
}

inline std::shared_ptr<const CertifiedKey> shared_cert(crypto::KeyType t) {
  static std::map<crypto::KeyType, std::shared_ptr<const CertifiedKey>> certs;
  auto& c = certs[t];
  if (!c) c = server_cert(shared_pki(), t);
  return c;
}

// Traffic secrets by key-log label, as both sides logged them.
using Secrets = std::map<std::string, Message, std::less<>>;

struct Peers {
  std::shared_ptr<ClientConfig> client = std::make_shared<ClientConfig>();
  std::shared_ptr<ServerConfig> server = std::make_shared<ServerConfig>();
  std::shared_ptr<Secrets> secrets = std::make_shared<Secrets>();

  explicit Peers(crypto::KeyType key = crypto::KeyType::ec_p256) {
    client->trust = shared_pki().anchors;
    server->certificates.push_back(shared_cert(key));
    auto log = [s = secrets](std::string_view label, std::span<const std::uint8_t>,
                             std::span<const std::uint8_t> secret) {
      (*s)[std::string(label)].assign(secret.begin(), secret.end());
    };
    client->key_log = log;
    server->key_log = log;
  }
};

using Tweak = std::function<void(Peers&)>;

// The client shares only secp256r1 while the server prefers x25519, so the
// server answers with a HelloRetryRequest.
inline void hello_retry(Peers& p) {
  p.client->key_share_groups = {NamedGroup::secp256r1};
}

inline Message text(std::string_view s) {
  return Message(s.begin(), s.end());
}

inline const Message& app_secret() {
  static const Message m = text("must never reach the peer's application");
  return m;
}

// A client and a server wired in memory.
struct Pair {
  Connection c;
  Connection s;

  explicit Pair(const Peers& p, Filter client_out = {}, Filter server_out = {})
      : c(Connection::client(p.client, "localhost")), s(Connection::server(p.server)) {
    if (client_out) ConnectionAccess::impl(c).outgoing_handshake_filter = std::move(client_out);
    if (server_out) ConnectionAccess::impl(s).outgoing_handshake_filter = std::move(server_out);
  }

  // Moves bytes both ways until neither side has output. A side writes
  // application data the moment its handshake completes, which a peer that
  // fails must never deliver; a side failing on a received alert must not
  // answer it.
  void run(int max_rounds = 64) {
    for (int i = 0; i < max_rounds; ++i) {
      const bool a = transfer(c, s);
      const bool b = transfer(s, c);
      if (!a && !b) return;
    }
    ADD_FAILURE() << "the connections did not settle";
  }

  Connection& side(Side x) { return x == Side::client ? c : s; }

 private:
  bool transfer(Connection& from, Connection& to) {
    auto out = from.pending_output();
    if (out.empty()) return false;
    Message buf(out.begin(), out.end());
    from.consume_output(buf.size());
    const bool failed_before = to.failed();
    (void)to.feed(buf);
    if (!failed_before && to.failed() && to.error()->from_peer) {
      EXPECT_TRUE(to.pending_output().empty()) << "a received alert was answered";
    }
    bool& to_wrote = &to == &c ? wrote_c_ : wrote_s_;
    if (!to.failed() && to.handshake_complete() && !to_wrote) {
      EXPECT_TRUE(to.write(app_secret()).ok());
      to_wrote = true;
    }
    return true;
  }

  bool wrote_c_ = false;
  bool wrote_s_ = false;
};

// Moves everything `from` has to `to` once.
inline Result<void> deliver(Connection& from, Connection& to) {
  Message buf(from.pending_output().begin(), from.pending_output().end());
  from.consume_output(buf.size());
  if (buf.empty()) return ok();
  return to.feed(buf);
}

inline Message take_output(Connection& c) {
  Message buf(c.pending_output().begin(), c.pending_output().end());
  c.consume_output(buf.size());
  return buf;
}

inline void drain_application_data(Connection& c) {
  Message buf(1 << 15);
  while (c.read(buf) > 0) {
  }
}

// --------------------------------------------------------------- checks --

inline const char* side_name(const Connection& c) {
  return c.side() == Side::client ? "client" : "server";
}

// `c` found the fault itself and aborted with `alert`.
inline void expect_failed_locally(const Connection& c, Alert alert) {
  ASSERT_TRUE(c.failed()) << side_name(c) << " did not fail; expected " << to_string(alert);
  EXPECT_EQ(c.error()->alert, alert)
      << side_name(c) << ": " << c.error()->describe() << "; expected " << to_string(alert);
  EXPECT_FALSE(c.error()->from_peer) << side_name(c) << ": " << c.error()->describe();
  EXPECT_EQ(c.readable(), 0u) << side_name(c) << " delivered application data";
}

// `c` failed because the peer sent `alert`.
inline void expect_failed_by_peer(const Connection& c, Alert alert) {
  ASSERT_TRUE(c.failed()) << side_name(c) << " did not fail; expected the peer's "
                          << to_string(alert);
  EXPECT_EQ(c.error()->alert, alert)
      << side_name(c) << ": " << c.error()->describe() << "; expected " << to_string(alert);
  EXPECT_TRUE(c.error()->from_peer) << side_name(c) << ": " << c.error()->describe();
  EXPECT_EQ(c.readable(), 0u) << side_name(c) << " delivered application data";
}

// The whole verdict of a filtered handshake: `detector` aborted with
// `alert`, the other side received it, no handshake completed on the
// detecting side (nor on the other, unless it had legitimately finished, as
// a client does once it sent its Finished), and nothing was delivered.
inline void expect_abort(Pair& p, Side detector, Alert alert, bool other_may_complete = false) {
  Connection& d = p.side(detector);
  Connection& o = p.side(detector == Side::client ? Side::server : Side::client);
  expect_failed_locally(d, alert);
  expect_failed_by_peer(o, alert);
  EXPECT_FALSE(d.handshake_complete()) << side_name(d) << " completed its handshake";
  if (!other_may_complete) {
    EXPECT_FALSE(o.handshake_complete()) << side_name(o) << " completed its handshake";
  }
}

// ------------------------------------------------------ case builders --

// The server's outgoing messages go through `make()`'s filter; the client
// must detect the fault.
inline Case client_rejects(std::string name, Alert alert, MakeFilter make, Tweak tweak = {}) {
  return {std::move(name), [=] {
            Peers peers;
            if (tweak) tweak(peers);
            Pair p(peers, {}, make());
            p.run();
            expect_abort(p, Side::client, alert);
          }};
}

// The client's outgoing messages go through `make()`'s filter; the server
// must detect the fault. A client that already sent its Finished may have
// completed.
inline Case server_rejects(std::string name, Alert alert, MakeFilter make, Tweak tweak = {},
                           bool client_may_complete = false) {
  return {std::move(name), [=] {
            Peers peers;
            if (tweak) tweak(peers);
            Pair p(peers, make(), {});
            p.run();
            expect_abort(p, Side::server, alert, client_may_complete);
          }};
}

// ------------------------------------------------------------- messages --

inline std::uint8_t type_byte(HandshakeType t) {
  return static_cast<std::uint8_t>(t);
}

inline bool is(const Message& m, HandshakeType t) {
  return !m.empty() && m[0] == type_byte(t);
}

// A handshake message: type, uint24 length, body.
inline Message handshake(HandshakeType t, std::span<const std::uint8_t> body) {
  Message m(msg::kHandshakeHeaderSize + body.size());
  m[0] = type_byte(t);
  m[1] = static_cast<std::uint8_t>(body.size() >> 16);
  m[2] = static_cast<std::uint8_t>(body.size() >> 8);
  m[3] = static_cast<std::uint8_t>(body.size());
  std::copy(body.begin(), body.end(), m.begin() + msg::kHandshakeHeaderSize);
  return m;
}
inline Message handshake(HandshakeType t, std::initializer_list<std::uint8_t> body) {
  return handshake(t, std::span<const std::uint8_t>(body.begin(), body.size()));
}

inline Message body_of(const Message& m) {
  return Message(m.begin() + msg::kHandshakeHeaderSize, m.end());
}

// Replaces the body, keeping the type, and fixes the length.
inline void set_body(Message& m, std::span<const std::uint8_t> body) {
  Message copy(body.begin(), body.end());
  m = handshake(static_cast<HandshakeType>(m[0]), copy);
}

// Applies `f` to every message of type `t`.
inline Filter on(HandshakeType t, std::function<void(Message&)> f) {
  return [t, f](Message& m) {
    if (is(m, t)) f(m);
  };
}

// Applies `f` to the `n`th (0-based) message of type `t` only.
inline Filter nth(HandshakeType t, int n, std::function<void(Message&)> f) {
  auto seen = std::make_shared<int>(0);
  return [t, n, f, seen](Message& m) {
    if (is(m, t) && (*seen)++ == n) f(m);
  };
}

inline Filter drop(HandshakeType t) {
  return on(t, [](Message& m) { m.clear(); });
}

inline Filter duplicate(HandshakeType t) {
  return on(t, [](Message& m) {
    const Message copy = m;
    m.insert(m.end(), copy.begin(), copy.end());
  });
}

// Body cut to `n` bytes (header fixed to match).
inline Filter truncate(HandshakeType t, std::size_t n) {
  return on(t, [n](Message& m) {
    Message body = body_of(m);
    if (n >= body.size()) ADD_FAILURE() << "truncation to " << n << " does not shorten";
    body.resize(std::min(n, body.size()));
    set_body(m, body);
  });
}

// Body shortened by `k` bytes at the end.
inline Filter truncate_tail(HandshakeType t, std::size_t k) {
  return on(t, [k](Message& m) {
    Message body = body_of(m);
    body.resize(body.size() - std::min(k, body.size()));
    set_body(m, body);
  });
}

inline Filter append_to_body(HandshakeType t, Message extra) {
  return on(t, [extra](Message& m) {
    Message body = body_of(m);
    body.insert(body.end(), extra.begin(), extra.end());
    set_body(m, body);
  });
}

// Sends `extra` right after (or before) each message of type `t`.
inline Filter insert_after(HandshakeType t, Message extra) {
  return on(t, [extra](Message& m) { m.insert(m.end(), extra.begin(), extra.end()); });
}
inline Filter insert_before(HandshakeType t, Message extra) {
  return on(t, [extra](Message& m) { m.insert(m.begin(), extra.begin(), extra.end()); });
}

// Holds back the message of type `held` and sends it right after the next
// message of type `release`: a reordering.
inline Filter hold_until(HandshakeType held, HandshakeType release) {
  auto stash = std::make_shared<Message>();
  return [held, release, stash](Message& m) {
    if (is(m, held)) {
      *stash = std::move(m);
      m.clear();
    } else if (is(m, release) && !stash->empty()) {
      m.insert(m.end(), stash->begin(), stash->end());
      stash->clear();
    }
  };
}

// Decodes each message of type M (for which `pick` holds), lets `f` change
// it, and encodes it again. Byte strings that `f` points the message at must
// outlive the call (capture them in `f`).
template <class M>
Filter edit(std::function<void(M&)> f, std::function<bool(const M&)> pick = {}) {
  return [f, pick](Message& m) {
    if (!is(m, M::kType)) return;
    const Message original = m;  // the decoded views point here
    auto decoded =
        M::decode(std::span<const std::uint8_t>(original).subspan(msg::kHandshakeHeaderSize));
    if (!decoded.ok()) {
      ADD_FAILURE() << "cannot decode our own message: " << decoded.error().describe();
      return;
    }
    M v = std::move(decoded).value();
    if (pick && !pick(v)) return;
    f(v);
    auto encoded = msg::encode_message(v);
    if (!encoded.ok()) {
      ADD_FAILURE() << "cannot encode the edited message: " << encoded.error().describe();
      return;
    }
    m = std::move(encoded).value();
  };
}

// ServerHello proper (not a HelloRetryRequest), and HelloRetryRequest.
inline Filter edit_sh(std::function<void(msg::ServerHello&)> f) {
  return edit<msg::ServerHello>(
      std::move(f), [](const msg::ServerHello& sh) { return !sh.is_hello_retry_request(); });
}
inline Filter edit_hrr(std::function<void(msg::ServerHello&)> f) {
  return edit<msg::ServerHello>(
      std::move(f), [](const msg::ServerHello& sh) { return sh.is_hello_retry_request(); });
}
inline Filter edit_ch(std::function<void(msg::ClientHello&)> f) {
  return edit<msg::ClientHello>(std::move(f));
}
inline Filter edit_ee(std::function<void(msg::ExtensionList&)> f) {
  return edit<msg::EncryptedExtensions>([f](msg::EncryptedExtensions& ee) { f(ee.extensions); });
}
inline Filter edit_cert(std::function<void(msg::Certificate&)> f) {
  return edit<msg::Certificate>(std::move(f));
}
inline Filter edit_cv(std::function<void(msg::CertificateVerify&)> f) {
  return edit<msg::CertificateVerify>(std::move(f));
}

inline std::uint16_t ext(msg::ExtensionType t) {
  return static_cast<std::uint16_t>(t);
}

// -------------------------------------------------------------- records --

inline Message record(std::uint8_t type, std::span<const std::uint8_t> fragment,
                      std::uint16_t version = record::kLegacyRecordVersion) {
  Message r(record::kRecordHeaderLength + fragment.size());
  r[0] = type;
  r[1] = static_cast<std::uint8_t>(version >> 8);
  r[2] = static_cast<std::uint8_t>(version);
  r[3] = static_cast<std::uint8_t>(fragment.size() >> 8);
  r[4] = static_cast<std::uint8_t>(fragment.size());
  std::copy(fragment.begin(), fragment.end(), r.begin() + record::kRecordHeaderLength);
  return r;
}
inline Message record(ContentType type, std::span<const std::uint8_t> fragment) {
  return record(static_cast<std::uint8_t>(type), fragment);
}
inline Message record(ContentType type, std::initializer_list<std::uint8_t> fragment) {
  return record(type, std::span<const std::uint8_t>(fragment.begin(), fragment.size()));
}

// A record header alone, declaring `length` bytes to follow.
inline Message record_header(std::uint8_t type, std::size_t length) {
  return {type, 0x03, 0x03, static_cast<std::uint8_t>(length >> 8),
          static_cast<std::uint8_t>(length)};
}

// Splits a byte stream into whole records.
inline std::vector<Message> split_records(std::span<const std::uint8_t> stream) {
  std::vector<Message> out;
  while (stream.size() >= record::kRecordHeaderLength) {
    const std::size_t n = record::kRecordHeaderLength + (std::size_t{stream[3]} << 8 | stream[4]);
    if (stream.size() < n) break;
    out.emplace_back(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(n));
    stream = stream.subspan(n);
  }
  return out;
}

inline Message concat(std::initializer_list<Message> parts) {
  Message out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// Protects arbitrary TLSInnerPlaintext bytes with a traffic secret from the
// key log, so tests can send records our own sealer refuses to build
// (protected change_cipher_spec, no content type, oversize, ...).
class RawSealer {
 public:
  // `seq`: the sequence number the receiver expects next.
  RawSealer(const Peers& peers, std::string_view label, CipherSuite suite, std::uint64_t seq)
      : seq_(seq) {
    const auto info = crypto::suite_info(suite);
    EXPECT_TRUE(info.has_value());
    const auto it = peers.secrets->find(label);
    if (it == peers.secrets->end()) {
      ADD_FAILURE() << "no " << label << " in the key log";
      return;
    }
    const ks::TrafficSecret secret(info->hash, it->second);
    auto keys = ks::traffic_keys(secret, info->aead);
    auto k = crypto::AeadKey::create(info->aead, crypto::AeadDirection::seal, keys.key.span());
    EXPECT_TRUE(k.ok());
    if (k.ok()) key_.emplace(std::move(k).value());
    iv_.assign(keys.iv.span().begin(), keys.iv.span().end());
  }

  // One TLSCiphertext around `inner`, taken verbatim as the plaintext.
  Message seal_inner(std::span<const std::uint8_t> inner) {
    if (!key_) return {};
    const std::size_t tag = key_->tag_length();
    Message r =
        record_header(static_cast<std::uint8_t>(ContentType::application_data), inner.size() + tag);
    r.insert(r.end(), inner.begin(), inner.end());
    r.resize(r.size() + tag);
    std::array<std::uint8_t, crypto::kAeadNonceLength> nonce{};
    for (std::size_t i = 0; i < nonce.size(); ++i) nonce[i] = iv_[i];
    for (int i = 0; i < 8; ++i)
      nonce[nonce.size() - 1 - static_cast<std::size_t>(i)] ^=
          static_cast<std::uint8_t>(seq_ >> (8 * i));
    ++seq_;
    auto body = std::span(r).subspan(record::kRecordHeaderLength);
    const auto aad = Message(r.begin(), r.begin() + record::kRecordHeaderLength);
    EXPECT_TRUE(key_->seal(nonce, aad, body.first(inner.size()), body.subspan(inner.size())).ok());
    return r;
  }

  // content || type: a well-formed inner plaintext.
  Message seal(std::uint8_t type, std::span<const std::uint8_t> content) {
    Message inner(content.begin(), content.end());
    inner.push_back(type);
    return seal_inner(inner);
  }
  Message seal(ContentType type, std::span<const std::uint8_t> content) {
    return seal(static_cast<std::uint8_t>(type), content);
  }

 private:
  std::optional<crypto::AeadKey> key_;
  Message iv_;
  std::uint64_t seq_;
};

// The sequence number `c` expects on its next protected record.
inline std::uint64_t next_read_sequence(Connection& c) {
  auto& impl = ConnectionAccess::impl(c);
  return impl.opener ? impl.opener->sequence() : 0;
}

// Sends `message` from `from` under its current write keys, as if its
// handshake machine had produced it (post-handshake injection).
inline void send_from(Connection& from, std::span<const std::uint8_t> message) {
  auto& impl = ConnectionAccess::impl(from);
  impl.send_handshake(message);
  impl.flush_handshake();
}

}  // namespace tls13::test::neg
