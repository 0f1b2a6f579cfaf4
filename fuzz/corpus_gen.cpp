// fuzz_corpus_gen: writes the seed corpora of every fuzz target from real
// in-memory handshakes between tls13 clients and servers (full, HelloRetryRequest,
// resumption, every suite and group, three certificate types), each followed
// by application data, KeyUpdates and close_notify.
//
//   fuzz_corpus_gen OUTDIR      (scripts/fuzz-corpus.sh: OUTDIR = fuzz/corpus)
//
// The endpoint targets get the recording in their input format
// (fuzz_common.h): the peer's bytes and the application's actions, which
// replay exactly because randomness, clock, certificates and ticket keys are
// fixed; each recording is replayed once here to prove it. The per-message,
// extension, record and reassembler targets get the single messages,
// extension blocks, records and handshake streams of those handshakes.
// Needs the deterministic fuzz build (-DTLS13_FUZZ_DETERMINISTIC=ON): the
// records are then plaintext, which is what those targets can use.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/fuzzing_mode.h"
#include "conn/connection_access.h"
#include "fuzz_common.h"
#include "msg/client_hello.h"
#include "msg/encrypted_extensions.h"
#include "msg/new_session_ticket.h"
#include "msg/server_hello.h"
#include "wire/writer.h"

namespace fs = std::filesystem;
using namespace tls13;
using tls13::fuzz::Target;
using Bytes = std::vector<std::uint8_t>;

namespace {

// Writes files, one directory per fuzz target; names by content hash unless
// given.
class Corpus {
 public:
  explicit Corpus(fs::path root) : root_(std::move(root)) {}
  void put(const std::string& target, const Bytes& data, std::string name = {}) {
    if (name.empty()) name = hash_name(data);
    const fs::path dir = root_ / target;
    fs::create_directories(dir);
    std::ofstream f(dir / name, std::ios::binary);
    f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    if (!f) throw std::runtime_error("cannot write " + (dir / name).string());
    ++files_[target];
  }
  const std::map<std::string, int>& files() const { return files_; }

 private:
  static std::string hash_name(const Bytes& d) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a
    for (auto b : d) h = (h ^ b) * 1099511628211ull;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
  }
  fs::path root_;
  std::map<std::string, int> files_;
};

// Splits one direction's bytes into records and handshake messages
// (records are plaintext in the deterministic build).
class Stream {
 public:
  void add(const Bytes& bytes, Corpus& corpus) {
    buf_.insert(buf_.end(), bytes.begin(), bytes.end());
    while (buf_.size() >= 5) {
      const std::size_t len = std::size_t{buf_[3]} << 8 | buf_[4];
      if (buf_.size() < 5 + len) break;
      Bytes rec(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(5 + len));
      buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(5 + len));
      corpus.put("fuzz_record", rec);
      on_record(rec, corpus);
    }
  }
  // The handshake bytes in the reassembler target's chunk format.
  Bytes reassembler_input() const {
    Bytes out;
    for (std::size_t i = 0; i < hs_all_.size(); i += 200) {
      const std::size_t n = std::min<std::size_t>(200, hs_all_.size() - i);
      out.push_back(static_cast<std::uint8_t>(n));
      out.insert(out.end(), hs_all_.begin() + static_cast<std::ptrdiff_t>(i),
                 hs_all_.begin() + static_cast<std::ptrdiff_t>(i + n));
    }
    return out;
  }

 private:
  void on_record(const Bytes& rec, Corpus& corpus) {
    std::uint8_t type = rec[0];
    Bytes content(rec.begin() + 5, rec.end());
    if (type == 23) {  // protected: content || type || zero padding || zero tag
      while (!content.empty() && content.back() == 0) content.pop_back();
      if (content.empty()) return;
      type = content.back();
      content.pop_back();
    }
    if (type != 22) return;
    hs_all_.insert(hs_all_.end(), content.begin(), content.end());
    hs_.insert(hs_.end(), content.begin(), content.end());
    while (hs_.size() >= 4) {
      const std::size_t len = std::size_t{hs_[1]} << 16 | std::size_t{hs_[2]} << 8 | hs_[3];
      if (hs_.size() < 4 + len) break;
      const std::uint8_t t = hs_[0];
      Bytes body(hs_.begin() + 4, hs_.begin() + static_cast<std::ptrdiff_t>(4 + len));
      hs_.erase(hs_.begin(), hs_.begin() + static_cast<std::ptrdiff_t>(4 + len));
      on_message(t, body, corpus);
    }
  }

  static void extensions(msg::MessageContext ctx, const msg::ExtensionList& list, Corpus& corpus) {
    Bytes block{static_cast<std::uint8_t>(ctx)};
    wire::Writer w(block);
    list.encode(w);
    corpus.put("fuzz_extensions", block);
    for (msg::Extension e : list) {
      Bytes one{static_cast<std::uint8_t>(ctx)};
      one.insert(one.end(), e.body.begin(), e.body.end());
      corpus.put("fuzz_extensions", one);
    }
  }

  static void on_message(std::uint8_t type, const Bytes& body, Corpus& corpus) {
    using msg::MessageContext;
    static const std::map<std::uint8_t, std::string> targets = {{1, "fuzz_client_hello"},
                                                                {2, "fuzz_server_hello"},
                                                                {4, "fuzz_new_session_ticket"},
                                                                {5, "fuzz_end_of_early_data"},
                                                                {8, "fuzz_encrypted_extensions"},
                                                                {11, "fuzz_certificate"},
                                                                {13, "fuzz_certificate_request"},
                                                                {15, "fuzz_certificate_verify"},
                                                                {20, "fuzz_finished"},
                                                                {24, "fuzz_key_update"}};
    if (auto it = targets.find(type); it != targets.end()) corpus.put(it->second, body);
    if (type == 1) {
      if (auto m = msg::ClientHello::decode(body))
        extensions(MessageContext::client_hello, m->extensions, corpus);
    } else if (type == 2) {
      if (auto m = msg::ServerHello::decode(body)) extensions(m->context(), m->extensions, corpus);
    } else if (type == 8) {
      if (auto m = msg::EncryptedExtensions::decode(body))
        extensions(MessageContext::encrypted_extensions, m->extensions, corpus);
    } else if (type == 4) {
      if (auto m = msg::NewSessionTicket::decode(body))
        extensions(MessageContext::new_session_ticket, m->extensions, corpus);
    }
  }

  Bytes buf_, hs_, hs_all_;
};

fuzz::CounterRandom peer_random(0xc3);

std::shared_ptr<ServerConfig> peer_server() {
  auto c = std::make_shared<ServerConfig>();
  c->random = &peer_random;
  c->clock = [] { return fuzz::kNow; };
  c->certificates = {fuzz::ed25519_cert()};  // deterministic signatures
  c->alpn = {"h2", "http/1.1"};
  c->alpn_required = false;
  c->ticket_keys = fuzz::ticket_keys();
  return c;
}

std::shared_ptr<ClientConfig> peer_client() {
  auto c = std::make_shared<ClientConfig>();
  c->random = &peer_random;
  c->clock = [] { return fuzz::kNow; };
  c->verify_peer = false;
  c->alpn = {"h2", "http/1.1"};
  return c;
}

struct Flow {
  std::string name;
  Target target;
  std::uint8_t mode;
  std::function<Connection()> peer;
  std::size_t chunk = 0;  // feed the peer's bytes in pieces of this size (0: whole)
  bool expect_complete = true;
  // Once connected, before the data: the peer's call and the target's actions
  // (post-handshake auth, more tickets).
  std::function<void(Connection&)> peer_after = nullptr;
  std::vector<std::uint8_t> target_after = {};
};

// Records one flow: handshake, then both sides exchange data, KeyUpdates
// (requesting one back), an exporter and close_notify.
void record_flow(const Flow& f, Corpus& corpus, int& failures) {
  peer_random.reset();
  fuzz::Driver d(f.target, f.mode);
  Connection peer = f.peer();
  fuzz::InputWriter input(f.mode);
  Stream from_target, from_peer;
  auto pump = [&] {
    for (int round = 0; round < 64; ++round) {
      bool moved = false;
      if (Bytes o = d.take_output(); !o.empty()) {
        from_target.add(o, corpus);
        (void)peer.feed(o);
        moved = true;
      }
      if (auto p = peer.pending_output(); !p.empty()) {
        Bytes o(p.begin(), p.end());
        peer.consume_output(o.size());
        from_peer.add(o, corpus);
        const std::size_t step = f.chunk ? f.chunk : o.size();
        for (std::size_t i = 0; i < o.size(); i += step) {
          const auto piece = std::span(o).subspan(i, std::min(step, o.size() - i));
          input.feed(piece);
          d.feed(piece);
        }
        moved = true;
      }
      std::uint8_t sink[4096];
      while (peer.read(sink) > 0) {
      }
      while (peer.next_event()) {
      }
      if (!moved) return;
    }
  };
  auto act = [&](std::uint8_t a) {
    input.action(a);
    d.action(a);
    pump();
  };
  pump();
  const bool complete = d.conn().handshake_complete() && !d.conn().failed();
  if (complete) {
    if (f.peer_after) {
      f.peer_after(peer);
      pump();
    }
    for (std::uint8_t a : f.target_after) act(a);
    const std::string hello = "hello from the peer";
    (void)peer.write(std::span(reinterpret_cast<const std::uint8_t*>(hello.data()), hello.size()));
    (void)peer.update_keys(true);
    pump();
    act(0);  // write
    act(2);  // KeyUpdate, update_requested
    act(4);  // exporter
    (void)peer.write(Bytes(300, 0x61));
    peer.close();
    pump();
    act(3);  // close
  }
  corpus.put(f.target == Target::client ? "fuzz_client" : "fuzz_server", input.bytes(), f.name);
  corpus.put("fuzz_reassembler", from_peer.reassembler_input());
  corpus.put("fuzz_reassembler", from_target.reassembler_input());

  // The recording must replay to the same place in the target.
  auto replay = fuzz::run_input(f.target, input.bytes());
  const bool replay_complete = replay->conn().handshake_complete();
  const bool ok = complete == f.expect_complete && replay_complete == complete &&
                  replay->conn().failed() == d.conn().failed();
  std::cout << (ok ? "ok   " : "FAIL ") << f.name << ": " << input.bytes().size() << " bytes, "
            << (complete ? "handshake complete" : "handshake failed")
            << (d.conn().failed() ? " (" + d.conn().error()->describe() + ")" : "") << "\n";
  if (!ok) ++failures;
}

std::string hex16(unsigned v) {
  char b[8];
  std::snprintf(b, sizeof b, "%04x", v);
  return b;
}

std::vector<Flow> flows() {
  using CS = CipherSuite;
  using NG = NamedGroup;
  const CS suites[] = {CS::aes_128_gcm_sha256, CS::aes_256_gcm_sha384, CS::chacha20_poly1305_sha256,
                       CS::aes_128_ccm_sha256, CS::aes_128_ccm_8_sha256};
  const NG groups[] = {NG::x25519, NG::secp256r1, NG::secp384r1, NG::secp521r1, NG::x448};
  std::vector<Flow> out;
  auto server_with = [](std::function<void(ServerConfig&)> tweak, hs::ServerOptions o = {}) {
    return [tweak, o] {
      auto c = peer_server();
      tweak(*c);
      return ConnectionAccess::server(c, o);
    };
  };
  auto client_with = [](std::function<void(ClientConfig&)> tweak, hs::ClientOptions o = {}) {
    return [tweak, o] {
      auto c = peer_client();
      tweak(*c);
      return ConnectionAccess::client(c, "localhost", o);
    };
  };

  // Client target: a server of each suite and group (a group other than
  // x25519 means HelloRetryRequest for the client's x25519 share).
  for (CS s : suites)
    for (NG g : groups)
      out.push_back(
          {"full_" + hex16(static_cast<unsigned>(s)) + "_" + hex16(static_cast<unsigned>(g)),
           Target::client, 0, server_with([s, g](ServerConfig& c) {
             c.cipher_suites = {s};
             c.groups = {g};
           })});
  out.push_back({"resume_sha256", Target::client, 1, server_with([](ServerConfig&) {})});
  out.push_back({"resume_sha384", Target::client, 2,
                 server_with([](ServerConfig& c) { c.cipher_suites = {CS::aes_256_gcm_sha384}; })});
  hs::ServerOptions small_records;
  small_records.record_size_limit = 1024;
  out.push_back({"grease_record_size_limit", Target::client, 3,
                 server_with(
                     [](ServerConfig& c) {
                       c.groups = {NG::x448, NG::secp256r1};
                     },
                     small_records)});
  // ECDSA and RSA-PSS signatures are randomized: a fixed stand-in (which the
  // deterministic build accepts) keeps the recordings stable.
  auto fixed_signature = [](std::size_t n) {
    hs::ServerOptions o;
    o.signer = [n](SignatureScheme, std::span<const std::uint8_t>) -> Result<Bytes> {
      return Bytes(n, 0x5c);
    };
    return o;
  };
  out.push_back({"cert_p256", Target::client, 0,
                 server_with([](ServerConfig& c) { c.certificates = {fuzz::p256_cert()}; },
                             fixed_signature(72))});
  out.push_back({"cert_rsa", Target::client, 0,
                 server_with([](ServerConfig& c) { c.certificates = {fuzz::rsa_cert()}; },
                             fixed_signature(256))});
  out.push_back({"hrr_cookie", Target::client, 0, server_with([](ServerConfig& c) {
                   c.hrr_cookie = true;
                   c.groups = {NG::secp384r1};
                 })});
  out.push_back({"chunked_7", Target::client, 0, server_with([](ServerConfig&) {}), 7});
  out.push_back({"alpn_refused", Target::client, 0, server_with([](ServerConfig& c) {
                   c.alpn = {"x"};
                   c.alpn_required = true;
                 }),
                 0, false});
  // Client authentication in the handshake and after it (mode 4), 0-RTT
  // accepted (mode 5). Not rejected: a server skips rejected early data
  // because it fails to decrypt, which the pass-through AEAD of this build
  // never does.
  out.push_back({"client_auth", Target::client, 4, server_with([](ServerConfig& c) {
                   c.client_auth = ClientAuth::required;
                   c.client_trust = fuzz::ed25519_trust();
                 })});
  out.push_back({"post_handshake_auth", Target::client, 4,
                 server_with([](ServerConfig& c) { c.client_trust = fuzz::ed25519_trust(); }), 0,
                 true, [](Connection& s) { (void)s.request_client_auth(); }});
  out.push_back({"early_data_accepted", Target::client, 5, server_with([](ServerConfig& c) {
                   c.max_early_data_size = 16384;
                   c.replay_store = fuzz::admit_all_replay_store();
                 })});

  // Server target: a client of each suite and group.
  for (CS s : suites)
    for (NG g : groups)
      out.push_back(
          {"full_" + hex16(static_cast<unsigned>(s)) + "_" + hex16(static_cast<unsigned>(g)),
           Target::server, static_cast<std::uint8_t>(g == NG::x448 ? 3 : 0),
           client_with([s, g](ClientConfig& c) {
             c.cipher_suites = {s};
             c.key_share_groups = {g};
           })});
  for (CS s : suites)
    out.push_back({"hrr_cookie_" + hex16(static_cast<unsigned>(s)), Target::server,
                   static_cast<std::uint8_t>(1),
                   client_with([s](ClientConfig& c) { c.cipher_suites = {s}; })});
  out.push_back({"resume_sha256", Target::server, 0, client_with([](ClientConfig& c) {
                   c.session_cache = fuzz::fixed_session_cache(CS::aes_128_gcm_sha256);
                 })});
  out.push_back({"resume_sha384", Target::server, 0, client_with([](ClientConfig& c) {
                   c.cipher_suites = {CS::aes_256_gcm_sha384};
                   c.session_cache = fuzz::fixed_session_cache(CS::aes_256_gcm_sha384);
                 })});
  out.push_back({"resume_after_hrr", Target::server, 1, client_with([](ClientConfig& c) {
                   c.session_cache = fuzz::fixed_session_cache(CS::aes_128_gcm_sha256);
                 })});
  hs::ClientOptions small;
  small.record_size_limit = 512;
  const SignatureScheme schemes[] = {SignatureScheme::ed25519, SignatureScheme::rsa_pss_rsae_sha256,
                                     SignatureScheme::ecdsa_secp256r1_sha256};
  for (SignatureScheme sc : schemes)
    out.push_back({"cert_" + hex16(static_cast<unsigned>(sc)), Target::server, 2,
                   client_with([sc](ClientConfig& c) { c.signature_schemes = {sc}; }, small)});
  out.push_back({"grease_padding", Target::server, 0, client_with([](ClientConfig& c) {
                   c.grease = true;
                   c.padding = true;
                   c.middlebox_compat = false;
                   c.alpn.clear();
                 })});
  out.push_back({"chunked_5", Target::server, 0, client_with([](ClientConfig&) {}), 5});
  out.push_back({"alpn_refused", Target::server, 1,
                 client_with([](ClientConfig& c) { c.alpn = {"x"}; }), 0, false});
  // Mode 4: client certificates, post-handshake auth and more tickets, 0-RTT.
  out.push_back({"client_auth", Target::server, 4,
                 client_with([](ClientConfig& c) { c.certificates = {fuzz::ed25519_cert()}; })});
  out.push_back({"client_auth_none", Target::server, 4, client_with([](ClientConfig&) {})});
  out.push_back({"post_handshake_auth",
                 Target::server,
                 4,
                 client_with([](ClientConfig& c) {
                   c.certificates = {fuzz::ed25519_cert()};
                   c.post_handshake_auth = true;
                 }),
                 0,
                 true,
                 nullptr,
                 {7, 8}});
  out.push_back({"early_data", Target::server, 4, [] {
                   auto c = peer_client();
                   c->session_cache = fuzz::fixed_session_cache(CS::aes_128_gcm_sha256, 16384);
                   auto conn = ConnectionAccess::client(c, "localhost", {});
                   const std::string early = "GET /early";
                   (void)conn.write_early_data(std::span(
                       reinterpret_cast<const std::uint8_t*>(early.data()), early.size()));
                   return conn;
                 }});
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || std::strcmp(argv[1], "--help") == 0) {
    std::cerr << "usage: fuzz_corpus_gen OUTDIR\n"
                 "Records in-memory handshakes and writes the seed corpus of every fuzz\n"
                 "target to OUTDIR/<target>/ (needs -DTLS13_FUZZ_DETERMINISTIC=ON).\n";
    return argc == 2 ? 0 : 2;
  }
  if (!unsafe_fuzzing_mode()) {
    std::cerr << "fuzz_corpus_gen: the library is not in the deterministic fuzzing mode; "
                 "configure with -DTLS13_FUZZ=ON -DTLS13_FUZZ_DETERMINISTIC=ON\n";
    return 1;
  }
  Corpus corpus{fs::path(argv[1])};
  int failures = 0;
  for (const Flow& f : flows()) record_flow(f, corpus, failures);
  // Hand-made: a CertificateRequest with signature_algorithms only.
  corpus.put("fuzz_certificate_request",
             {0x00, 0x00, 0x08, 0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03}, "sigalgs");
  for (const auto& [target, n] : corpus.files()) {
    const auto dir = fs::path(argv[1]) / target;
    std::cout << target << ": "
              << std::distance(fs::directory_iterator(dir), fs::directory_iterator{}) << " files\n";
  }
  if (failures) std::cerr << failures << " recordings did not replay as recorded\n";
  return failures ? 1 : 0;
}
