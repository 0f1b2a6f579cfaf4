// OpenSSL's libssl under the benchmark (bench only: the library itself never
// links libssl). SSL objects joined by a BIO pair, as bench-method.md says.
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <string>

#include "impl.h"
#include "pki.h"

namespace bench {

namespace {

const char* suite_name(Suite s) {
  switch (s) {
    case Suite::aes128gcm:
      return "TLS_AES_128_GCM_SHA256";
    case Suite::aes256gcm:
      return "TLS_AES_256_GCM_SHA384";
    case Suite::chacha20:
      return "TLS_CHACHA20_POLY1305_SHA256";
  }
  return "";
}

const char* group_name(Group g) {
  return g == Group::x25519 ? "X25519" : "P-256";
}

[[noreturn]] void ossl_die(const std::string& what) {
  char buf[256] = {};
  ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
  die("openssl: " + what + ": " + buf);
}

constexpr int kBioBuffer = 64 * 1024;  // holds a full record and any flight
const char* const kHost = "localhost";

// One step of a side: handshake until complete; afterwards a read, which
// makes a client take its NewSessionTicket.
void step(SSL* s) {
  if (!SSL_is_init_finished(s)) {
    const int r = SSL_do_handshake(s);
    if (r <= 0) {
      const int e = SSL_get_error(s, r);
      if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) ossl_die("handshake");
    }
    if (!SSL_is_init_finished(s)) return;
  }
  if (BIO_ctrl_pending(SSL_get_rbio(s)) > 0) {
    unsigned char b[1];
    const int r = SSL_read(s, b, 1);  // nothing to read: takes the ticket
    if (r < 0 && SSL_get_error(s, r) != SSL_ERROR_WANT_READ) ossl_die("post-handshake read");
  }
}

void drop(SSL*& s) {
  if (!s) return;
  SSL_set_shutdown(s, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  SSL_free(s);
  s = nullptr;
}

class OsslPair final : public Pair {
 public:
  OsslPair(SSL_CTX* cctx, SSL_CTX* sctx, SSL_SESSION* session)
      : cctx_(cctx), sctx_(sctx), session_(session) {
    // Transport set-up (not measured). Both SSLs get a reference to their
    // BIO end, and we keep one, so freeing a connection never frees the
    // pair's buffers: they stay outside every measured figure.
    if (BIO_new_bio_pair(&cbio_, kBioBuffer, &sbio_, kBioBuffer) != 1) ossl_die("BIO pair");
  }
  ~OsslPair() override {
    free_client();
    free_server();
    BIO_free(cbio_);
    BIO_free(sbio_);
  }

  void make_client() override {
    client_ = SSL_new(cctx_);
    if (!client_) ossl_die("SSL_new");
    BIO_up_ref(cbio_);
    SSL_set_bio(client_, cbio_, cbio_);  // one reference for rbio and wbio
    SSL_set_connect_state(client_);
    if (SSL_set_tlsext_host_name(client_, kHost) != 1 || SSL_set1_host(client_, kHost) != 1)
      ossl_die("host name");
    if (session_ && SSL_set_session(client_, session_) != 1) ossl_die("SSL_set_session");
  }
  void make_server() override {
    server_ = SSL_new(sctx_);
    if (!server_) ossl_die("SSL_new");
    BIO_up_ref(sbio_);
    SSL_set_bio(server_, sbio_, sbio_);
    SSL_set_accept_state(server_);
  }
  SSL* client() const { return client_; }
  void step_client() override { step(client_); }
  void step_server() override { step(server_); }
  bool done() override {
    return SSL_is_init_finished(client_) && SSL_is_init_finished(server_) &&
           BIO_ctrl_pending(cbio_) == 0 && BIO_ctrl_pending(sbio_) == 0;
  }
  void check(bool resumed) override {
    if (resumed ? SSL_session_reused(client_) != 1
                : (SSL_session_reused(client_) == 1 || SSL_get_verify_result(client_) != X509_V_OK))
      die(resumed ? "openssl did not resume" : "openssl client did not verify the server");
  }
  // Connections are dropped without close_notify. Marking them shut down
  // keeps libssl from spoiling the session (a connection freed mid-stream
  // makes its session non-resumable).
  void free_client() override { drop(client_); }
  void free_server() override { drop(server_); }
  void send(bool from_server, std::span<const std::uint8_t> data) override {
    SSL* s = from_server ? server_ : client_;
    if (SSL_write(s, data.data(), static_cast<int>(data.size())) != static_cast<int>(data.size()))
      ossl_die("SSL_write");
  }
  std::size_t recv(bool at_server, std::span<std::uint8_t> out) override {
    SSL* s = at_server ? server_ : client_;
    const int r = SSL_read(s, out.data(), static_cast<int>(out.size()));
    if (r > 0) return static_cast<std::size_t>(r);
    if (SSL_get_error(s, r) != SSL_ERROR_WANT_READ) ossl_die("SSL_read");
    return 0;
  }

 private:
  SSL_CTX* cctx_;
  SSL_CTX* sctx_;
  SSL_SESSION* session_;
  BIO* cbio_ = nullptr;
  BIO* sbio_ = nullptr;
  SSL* client_ = nullptr;
  SSL* server_ = nullptr;
};

class OsslImpl final : public Impl {
 public:
  ~OsslImpl() override { reset(); }
  const char* prefix() const override { return "ossl"; }
  bool has_relbuf() const override { return true; }

  void configure(const Combo& c, Mode mode, bool relbuf) override {
    reset();
    const Pki& p = pki(c.key);
    cctx_ = SSL_CTX_new(TLS_client_method());
    sctx_ = SSL_CTX_new(TLS_server_method());
    if (!cctx_ || !sctx_) ossl_die("SSL_CTX_new");
    for (SSL_CTX* ctx : {cctx_, sctx_}) {
      if (SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) != 1 ||
          SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1 ||
          SSL_CTX_set_ciphersuites(ctx, suite_name(c.suite)) != 1 ||
          SSL_CTX_set1_groups_list(ctx, group_name(c.group)) != 1)
        ossl_die("context settings");
      // Sessions are handed over explicitly; no internal caches.
      SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
      if (relbuf) SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    }
    // Server: the leaf alone, its key; tickets only when resuming.
    BIO* cert_bio = BIO_new_mem_buf(p.leaf_pem.data(), static_cast<int>(p.leaf_pem.size()));
    X509* leaf = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
    BIO_free(cert_bio);
    BIO* key_bio = BIO_new_mem_buf(p.key_pem.data(), static_cast<int>(p.key_pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
    BIO_free(key_bio);
    if (!leaf || !key || SSL_CTX_use_certificate(sctx_, leaf) != 1 ||
        SSL_CTX_use_PrivateKey(sctx_, key) != 1)
      ossl_die("server certificate");
    X509_free(leaf);
    EVP_PKEY_free(key);
    SSL_CTX_set_num_tickets(sctx_, mode == Mode::resume ? 1 : 0);
    // Client: verifies the chain against the CA and the host name.
    BIO* ca_bio = BIO_new_mem_buf(p.ca_pem.data(), static_cast<int>(p.ca_pem.size()));
    X509* ca = PEM_read_bio_X509(ca_bio, nullptr, nullptr, nullptr);
    BIO_free(ca_bio);
    if (!ca || X509_STORE_add_cert(SSL_CTX_get_cert_store(cctx_), ca) != 1)
      ossl_die("trust anchor");
    X509_free(ca);
    SSL_CTX_set_verify(cctx_, SSL_VERIFY_PEER, nullptr);

    if (mode == Mode::resume) {  // priming: a full handshake gives the ticket
      OsslPair prime(cctx_, sctx_, nullptr);
      prime.make_client();
      prime.make_server();
      for (int i = 0; i < 16 && !prime.done(); ++i) {
        prime.step_client();
        prime.step_server();
      }
      session_ = SSL_get1_session(prime.client());
      if (!session_ || SSL_SESSION_is_resumable(session_) != 1) die("openssl: no ticket to resume");
    }
  }

  std::unique_ptr<Pair> pair() override {
    return std::make_unique<OsslPair>(cctx_, sctx_, session_);
  }

 private:
  void reset() {
    SSL_SESSION_free(session_);
    SSL_CTX_free(cctx_);
    SSL_CTX_free(sctx_);
    session_ = nullptr;
    cctx_ = sctx_ = nullptr;
  }
  SSL_CTX* cctx_ = nullptr;
  SSL_CTX* sctx_ = nullptr;
  SSL_SESSION* session_ = nullptr;
};

}  // namespace

std::unique_ptr<Impl> make_ossl() {
  return std::make_unique<OsslImpl>();
}

}  // namespace bench
