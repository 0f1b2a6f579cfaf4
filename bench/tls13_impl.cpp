// tls13 under the benchmark: Connection objects joined by byte queues.
#include <chrono>
#include <optional>

#include "impl.h"
#include "pki.h"
#include "tls13/config.h"
#include "tls13/connection.h"
#include "tls13/credentials.h"

namespace bench {

namespace {

tls13::CipherSuite suite_of(Suite s) {
  switch (s) {
    case Suite::aes128gcm:
      return tls13::CipherSuite::aes_128_gcm_sha256;
    case Suite::aes256gcm:
      return tls13::CipherSuite::aes_256_gcm_sha384;
    case Suite::chacha20:
      return tls13::CipherSuite::chacha20_poly1305_sha256;
  }
  return tls13::CipherSuite::aes_128_gcm_sha256;
}

tls13::NamedGroup group_of(Group g) {
  return g == Group::x25519 ? tls13::NamedGroup::x25519 : tls13::NamedGroup::secp256r1;
}

template <class T>
T must(tls13::Result<T> r, const char* what) {
  if (!r) die(std::string(what) + ": " + r.error().describe());
  return std::move(r).value();
}

// Resumes from the first ticket it was given, every time (bench-method.md:
// "every handshake resumes from the same ticket"); later tickets are parsed
// and handed to store() by the library, and dropped here.
class SameTicketCache final : public tls13::SessionCache {
 public:
  void store(const std::string&, tls13::StoredSession s) override {
    if (!first_) first_ = std::move(s);
  }
  std::optional<tls13::StoredSession> take(const std::string&) override { return first_; }
  bool has_ticket() const { return first_.has_value(); }

 private:
  std::optional<tls13::StoredSession> first_;
};

const std::string kHost = "localhost";

class Tls13Pair final : public Pair {
 public:
  Tls13Pair(std::shared_ptr<const tls13::ClientConfig> c,
            std::shared_ptr<const tls13::ServerConfig> s)
      : ccfg_(std::move(c)), scfg_(std::move(s)) {}

  void make_client() override { client_.emplace(tls13::Connection::client(ccfg_, kHost)); }
  void make_server() override { server_.emplace(tls13::Connection::server(scfg_)); }
  void step_client() override { step(*client_, to_client_, to_server_); }
  void step_server() override { step(*server_, to_server_, to_client_); }
  bool done() override {
    return client_->handshake_complete() && server_->handshake_complete() && to_client_.empty() &&
           to_server_.empty() && client_->pending_output().empty() &&
           server_->pending_output().empty();
  }
  void check(bool resumed) override {
    const auto& ci = client_->info();
    if (client_->failed() || server_->failed()) die("tls13 handshake failed");
    if (resumed ? !ci.resumed : (ci.resumed || !ci.peer_verified))
      die(resumed ? "tls13 did not resume" : "tls13 client did not verify the server");
  }
  void free_client() override { client_.reset(); }
  void free_server() override { server_.reset(); }
  void send(bool from_server, std::span<const std::uint8_t> data) override {
    tls13::Connection& c = from_server ? *server_ : *client_;
    if (!c.write(data)) die("tls13 write failed");
    auto out = c.pending_output();
    Queue& q = from_server ? to_client_ : to_server_;
    q.append(out);
    c.consume_output(out.size());
  }
  std::size_t recv(bool at_server, std::span<std::uint8_t> out) override {
    tls13::Connection& c = at_server ? *server_ : *client_;
    Queue& q = at_server ? to_server_ : to_client_;
    if (c.readable() == 0 && !q.empty()) {
      if (!c.feed(q)) die("tls13 feed failed");
      q.clear();
    }
    return c.read(out);
  }
  bool has_in_place_io() const override { return true; }
  void send_in_place(bool from_server, std::span<const std::uint8_t> data) override {
    tls13::Connection& c = from_server ? *server_ : *client_;
    Queue& q = from_server ? to_client_ : to_server_;
    auto n = c.write_into(data, q.reserve(c.sealed_size(data.size())));
    if (!n) die("tls13 write_into failed: " + n.error().describe());
    q.commit(*n);
  }
  std::size_t recv_in_place(bool at_server) override {
    tls13::Connection& c = at_server ? *server_ : *client_;
    Queue& q = at_server ? to_server_ : to_client_;
    if (c.received().empty() && !q.empty()) {
      if (!c.feed(q)) die("tls13 feed failed");
      q.clear();
    }
    const std::size_t n = c.received().size();
    c.consume_received(n);
    return n;
  }

 private:
  static void step(tls13::Connection& c, Queue& in, Queue& out) {
    if (!in.empty()) {
      if (!c.feed(in)) die("tls13 handshake failed: " + c.error()->describe());
      in.clear();
    }
    auto bytes = c.pending_output();
    if (!bytes.empty()) {
      out.append(bytes);
      c.consume_output(bytes.size());
    }
  }

  std::shared_ptr<const tls13::ClientConfig> ccfg_;
  std::shared_ptr<const tls13::ServerConfig> scfg_;
  std::optional<tls13::Connection> client_, server_;
  Queue to_client_, to_server_;
};

class Tls13Impl final : public Impl {
 public:
  const char* prefix() const override { return "tls13"; }

  void configure(const Combo& c, Mode mode, bool) override {
    const Pki& p = pki(c.key);
    auto ck = must(tls13::CertifiedKey::from_pem(p.leaf_pem, p.key_pem), "server certificate");
    auto anchors = must(tls13::TrustAnchors::from_pem(p.ca_pem), "trust anchors");
    auto cc = std::make_shared<tls13::ClientConfig>();
    auto sc = std::make_shared<tls13::ServerConfig>();
    cc->cipher_suites = sc->cipher_suites = {suite_of(c.suite)};
    cc->groups = sc->groups = {group_of(c.group)};
    cc->key_share_groups = {group_of(c.group)};
    cc->trust = anchors;
    sc->certificates = {ck};
    if (mode == Mode::resume) {
      cache_ = std::make_shared<SameTicketCache>();
      cc->session_cache = cache_;
      sc->ticket_keys = std::make_shared<tls13::RotatingTicketKeys>(std::chrono::hours(24));
      sc->tickets = 1;
    } else {
      sc->tickets = 0;
    }
    ccfg_ = cc;
    scfg_ = sc;
    if (mode == Mode::resume) {  // priming: a full handshake gives the ticket
      Tls13Pair prime(ccfg_, scfg_);
      prime.make_client();
      prime.make_server();
      for (int i = 0; i < 16 && !prime.done(); ++i) {
        prime.step_client();
        prime.step_server();
      }
      if (!cache_->has_ticket()) die("tls13: no session ticket to resume");
    }
  }

  std::unique_ptr<Pair> pair() override { return std::make_unique<Tls13Pair>(ccfg_, scfg_); }

 private:
  std::shared_ptr<const tls13::ClientConfig> ccfg_;
  std::shared_ptr<const tls13::ServerConfig> scfg_;
  std::shared_ptr<SameTicketCache> cache_;
};

}  // namespace

std::unique_ptr<Impl> make_tls13() {
  return std::make_unique<Tls13Impl>();
}

}  // namespace bench
