// Secret hygiene (its own executable, tls13_hygiene_tests, because it
// replaces the global operator new/delete):
//   - Secret/SecretBytes and the key schedule stages wipe what they held:
//     checked on storage the test owns (placement new) and, for the heap, by
//     an operator delete that scans every block freed while a scan is on for
//     the bytes of any watched secret;
//   - a whole handshake, resumption, KeyUpdate and exporter run frees no heap
//     block that still holds a secret the key log saw, or its traffic key/IV;
//   - no secret reaches the trace (TraceSink) or an error message: only the
//     key log callback sees them;
//   - Finished, binder and ticket checks go through ct_equal / AEAD (a source
//     check of src/hs and src/keysched);
//   - the library in this build is not in the unsafe fuzzing mode.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <new>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "base/fuzzing_mode.h"
#include "base/secret.h"
#include "keysched/key_schedule.h"
#include "support/loopback.h"

// ------------------------------------------------- heap scanning hooks --
//
// Every allocation carries a small header with its size so that operator
// delete can look at the block before it is freed. Scanning allocates
// nothing: watched secrets and findings live in fixed static arrays.

namespace {

struct alignas(std::max_align_t) Header {
  std::size_t size;
};

struct Watched {
  std::size_t len = 0;
  std::uint8_t bytes[64] = {};
  char label[48] = {};
};

constexpr std::size_t kMaxWatched = 256;
Watched g_watched[kMaxWatched];
std::atomic<std::size_t> g_watched_count{0};
std::atomic<bool> g_scanning{false};
std::atomic<std::size_t> g_findings{0};
char g_first_finding[64] = {};

bool contains(const std::uint8_t* hay, std::size_t n, const std::uint8_t* needle, std::size_t k) {
  if (k == 0 || n < k) return false;
  for (std::size_t i = 0; i + k <= n; ++i)
    if (hay[i] == needle[0] && std::memcmp(hay + i, needle, k) == 0) return true;
  return false;
}

void scan_block(const void* p, std::size_t n) {
  const auto* b = static_cast<const std::uint8_t*>(p);
  const std::size_t count = g_watched_count.load();
  for (std::size_t i = 0; i < count; ++i) {
    if (!contains(b, n, g_watched[i].bytes, g_watched[i].len)) continue;
    if (g_findings.fetch_add(1) == 0)
      std::strncpy(g_first_finding, g_watched[i].label, sizeof g_first_finding - 1);
  }
}

}  // namespace

void* operator new(std::size_t n) {
  auto* h = static_cast<Header*>(std::malloc(sizeof(Header) + (n ? n : 1)));
  if (!h) throw std::bad_alloc();
  h->size = n;
  return h + 1;
}
void operator delete(void* p) noexcept {
  if (!p) return;
  auto* h = static_cast<Header*>(p) - 1;
  if (g_scanning.load(std::memory_order_relaxed)) scan_block(p, h->size);
  std::free(h);
}
void operator delete(void* p, std::size_t) noexcept {
  operator delete(p);
}
void* operator new[](std::size_t n) {
  return operator new(n);
}
void operator delete[](void* p) noexcept {
  operator delete(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  operator delete(p);
}

namespace tls13 {
namespace {

using Bytes = std::vector<std::uint8_t>;

void watch(std::string_view label, std::span<const std::uint8_t> secret) {
  if (secret.size() < 8) return;
  const std::size_t i = g_watched_count.load();
  ASSERT_LT(i, kMaxWatched);
  Watched& w = g_watched[i];
  w.len = std::min(secret.size(), sizeof w.bytes);
  std::memcpy(w.bytes, secret.data(), w.len);
  std::strncpy(w.label, std::string(label).c_str(), sizeof w.label - 1);
  g_watched_count.store(i + 1);
}

// Scans every block freed during its lifetime.
struct Scan {
  Scan() {
    g_watched_count = 0;
    g_findings = 0;
    g_first_finding[0] = 0;
    g_scanning = true;
  }
  ~Scan() { g_scanning = false; }
  std::size_t findings() const { return g_findings.load(); }
};

const Bytes kPattern = [] {
  Bytes b(48);
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(0xA5 ^ (i * 37));
  return b;
}();

// ------------------------------------------------------ the detector --

TEST(SecretHygiene, DetectorSeesAnUnwipedHeapBlock) {
  // The control: a plain vector is freed with the secret still in it.
  Scan scan;
  watch("pattern", kPattern);
  { Bytes plain(kPattern.begin(), kPattern.end()); }
  EXPECT_EQ(scan.findings(), 1u);
}

// ------------------------------------------------ the secret types --

TEST(SecretHygiene, SecretBytesWipesItsHeapBuffer) {
  Scan scan;
  watch("pattern", kPattern);
  { SecretBytes s(kPattern); }
  {
    SecretBytes s(kPattern);
    s.resize(4);  // the old buffer goes
  }
  {
    SecretBytes a(kPattern);
    SecretBytes b = std::move(a);
    b = SecretBytes(Bytes(3, 1));  // move-assign over a secret
  }
  EXPECT_EQ(scan.findings(), 0u) << g_first_finding;
}

TEST(SecretHygiene, SecretWipesItsInlineStorage) {
  alignas(Secret<64>) std::uint8_t storage[sizeof(Secret<64>)];
  auto* s = new (storage) Secret<64>(kPattern);
  ASSERT_TRUE(contains(storage, sizeof storage, kPattern.data(), kPattern.size()));
  s->~Secret();
  EXPECT_FALSE(contains(storage, sizeof storage, kPattern.data(), 8));

  // A moved-from secret is empty and wiped.
  auto* a = new (storage) Secret<64>(kPattern);
  Secret<64> b = std::move(*a);
  EXPECT_TRUE(a->empty());
  EXPECT_FALSE(contains(storage, sizeof storage, kPattern.data(), 8));
  EXPECT_EQ(b.size(), kPattern.size());
  a->~Secret();
}

TEST(SecretHygiene, KeyScheduleStagesWipeWhenConsumed) {
  using crypto::HashId;
  const Bytes psk(32, 0x42);
  auto early = ks::EarlySecret::from_psk(HashId::sha256, psk);
  const Bytes early_bytes(early.span().begin(), early.span().end());
  const Bytes shared(32, 0x17);
  auto hs = std::move(early).handshake(shared);
  EXPECT_TRUE(early.span().empty());  // NOLINT(bugprone-use-after-move): the point
  const Bytes hs_bytes(hs.span().begin(), hs.span().end());
  EXPECT_NE(hs_bytes, early_bytes);
  auto master = std::move(hs).master();
  EXPECT_TRUE(hs.span().empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(master.span().size(), 32u);

  // A tagged secret's inline storage is wiped by its destructor.
  alignas(ks::TrafficSecret) std::uint8_t storage[sizeof(ks::TrafficSecret)];
  auto* t = new (storage) ks::TrafficSecret(HashId::sha256, std::span(kPattern).first(32));
  ASSERT_TRUE(contains(storage, sizeof storage, kPattern.data(), 32));
  t->~TaggedSecret();
  EXPECT_FALSE(contains(storage, sizeof storage, kPattern.data(), 8));
}

// ----------------------------------------------- whole connections --

// Records every message and secret name the trace sees.
struct CapturingTrace final : TraceSink {
  std::string all;
  void message(bool sent, std::string_view name, std::string_view summary) override {
    all += (sent ? "> " : "< ");
    all.append(name).append(": ").append(summary).append("\n");
  }
  void secret(std::string_view name) override { all.append("secret ").append(name).append("\n"); }
};

std::string hex(std::span<const std::uint8_t> b, bool upper) {
  static const char* lo = "0123456789abcdef";
  static const char* up = "0123456789ABCDEF";
  std::string s;
  for (auto x : b) {
    s += (upper ? up : lo)[x >> 4];
    s += (upper ? up : lo)[x & 15];
  }
  return s;
}

struct Logged {
  std::string label;
  Bytes secret;
};

// Full handshake with tickets, data both ways, KeyUpdates, an exporter,
// then a resumed handshake; every secret the key log sees is collected, and
// the traces of all four connections.
struct Session {
  std::vector<Logged> logged;
  std::string trace;
  std::vector<std::string> errors;

  void run() {
    logged.reserve(64);
    const auto pki = test::make_pki();
    auto client = std::make_shared<ClientConfig>();
    auto server = std::make_shared<ServerConfig>();
    client->trust = pki.anchors;
    client->session_cache = std::make_shared<InMemorySessionCache>();
    server->certificates = {test::server_cert(pki, crypto::KeyType::ec_p256)};
    server->ticket_keys = std::make_shared<RotatingTicketKeys>(std::chrono::hours(1));
    auto log = [this](std::string_view label, std::span<const std::uint8_t>,
                      std::span<const std::uint8_t> secret) {
      logged.push_back({std::string(label), Bytes(secret.begin(), secret.end())});
      watch(label, secret);
      // And the record key and IV of each traffic secret (the default
      // suite, TLS_AES_128_GCM_SHA256).
      if (label.find("TRAFFIC_SECRET") != std::string_view::npos && secret.size() == 32) {
        const ks::TrafficSecret ts(crypto::HashId::sha256, secret);
        const auto keys = ks::traffic_keys(ts, crypto::AeadId::aes_128_gcm);
        watch("traffic key", keys.key.span());
        watch("traffic iv", keys.iv.span());
      }
    };
    client->key_log = log;
    server->key_log = log;
    for (int round = 0; round < 2; ++round) {
      CapturingTrace ct, st;
      auto c = Connection::client(client, "localhost");
      auto s = Connection::server(server);
      c.set_trace(&ct);
      s.set_trace(&st);
      ASSERT_TRUE(test::pump(c, s));
      ASSERT_TRUE(c.handshake_complete());
      EXPECT_EQ(c.info().resumed, round == 1);
      const std::uint8_t data[] = {'h', 'i'};
      ASSERT_TRUE(c.write(data).ok());
      ASSERT_TRUE(c.update_keys(true).ok());
      ASSERT_TRUE(s.write(data).ok());
      ASSERT_TRUE(test::pump(c, s));
      std::uint8_t ekm[32];
      ASSERT_TRUE(c.export_keying_material("EXPORTER-test", {}, ekm).ok());
      c.close();
      ASSERT_TRUE(test::pump(c, s));
      trace += ct.all + st.all;
    }
    // A failing handshake's error text too: a tampered Finished.
    auto c = Connection::client(client, "localhost");
    auto s = Connection::server(server);
    (void)test::pump(c, s, 1);
    auto out = c.pending_output();
    Bytes tampered(out.begin(), out.end());
    c.consume_output(tampered.size());
    if (!tampered.empty()) tampered.back() ^= 1;
    (void)s.feed(tampered);
    if (s.error()) errors.push_back(s.error()->describe());
  }
};

TEST(SecretHygiene, NoSecretLeftInFreedHeapAfterHandshakes) {
  std::size_t findings = 0;
  std::size_t logged = 0;
  {
    Scan scan;
    Session session;
    session.run();
    logged = session.logged.size();
    // The session's own copies are freed outside the scan.
    g_scanning = false;
    findings = scan.findings();
  }
  EXPECT_GE(logged, 10u);
  EXPECT_EQ(findings, 0u) << "a freed heap block still held " << g_first_finding;
}

TEST(SecretHygiene, NoSecretInTracesOrErrors) {
  Session session;
  session.run();
  ASSERT_GE(session.logged.size(), 10u);
  ASSERT_FALSE(session.trace.empty());
  ASSERT_FALSE(session.errors.empty());
  std::string text = session.trace;
  for (const auto& e : session.errors) text += e + "\n";
  EXPECT_NE(text.find("secret"), std::string::npos);  // names of secrets are traced
  for (const auto& l : session.logged) {
    for (const std::size_t k : {l.secret.size(), std::size_t{8}}) {
      const auto part = std::span(l.secret).first(k);
      EXPECT_EQ(text.find(hex(part, false)), std::string::npos) << l.label << " in the trace";
      EXPECT_EQ(text.find(hex(part, true)), std::string::npos) << l.label << " in the trace";
      EXPECT_FALSE(contains(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(),
                            part.data(), part.size()))
          << l.label << " (raw) in the trace";
    }
  }
}

// ------------------------------------------------ constant-time checks --

std::string read_source(const std::string& rel) {
  std::ifstream f(std::string(TLS13_SOURCE_DIR) + "/" + rel);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(SecretHygiene, SecretsAreComparedInConstantTime) {
  // No memcmp/std::equal/==/!= on anything MAC- or secret-like in the
  // handshake and key schedule layers.
  const std::regex plain_compare(R"((memcmp|bcmp|std::equal|ranges::equal)\s*\()");
  const std::regex secretish(
      R"((verify_data|binder|finished|secret|psk|mac|tag|key\b|\.key|expected))",
      std::regex::icase);
  const std::regex eq(R"((==|!=))");
  const std::regex mac_eq(R"(verify_data|binders?\b)");
  const char* files[] = {"src/hs/client.cpp",
                         "src/hs/server.cpp",
                         "src/hs/common.cpp",
                         "src/hs/application_keys.cpp",
                         "src/hs/tickets.cpp",
                         "src/hs/negotiation.cpp",
                         "src/keysched/key_schedule.cpp",
                         "src/keysched/transcript.cpp",
                         "src/keysched/hkdf_label.cpp"};
  int lines = 0;
  for (const char* f : files) {
    const std::string src = read_source(f);
    ASSERT_FALSE(src.empty()) << f << " not found under " << TLS13_SOURCE_DIR;
    std::istringstream in(src);
    std::string line;
    const std::regex literal(R"("[^"]*")");
    for (int n = 1; std::getline(in, line); ++n, ++lines) {
      line = std::regex_replace(line, literal, "\"\"");  // words in strings do not count
      if (std::regex_search(line, plain_compare)) {
        EXPECT_FALSE(std::regex_search(line, secretish)) << f << ":" << n << ": " << line;
      }
      if (std::regex_search(line, eq) && std::regex_search(line, mac_eq)) {
        EXPECT_NE(line.find("size()"), std::string::npos) << f << ":" << n << ": " << line;
      }
    }
  }
  EXPECT_GT(lines, 1000);
  // The one MAC check of the key schedule is ct_equal, and the handshakes
  // use it for Finished and binders; tickets authenticate through AEAD.
  const std::string ks = read_source("src/keysched/key_schedule.cpp");
  EXPECT_NE(ks.find("ct_equal(expected.span(), received)"), std::string::npos);
  EXPECT_NE(read_source("src/hs/client.cpp").find("ks::verify_finished("), std::string::npos);
  EXPECT_NE(read_source("src/hs/server.cpp").find("ks::verify_finished("), std::string::npos);
  EXPECT_NE(read_source("src/hs/psk.cpp").find("ks::verify_psk_binder("), std::string::npos);
  EXPECT_NE(read_source("src/hs/tickets.cpp").find("aead->open("), std::string::npos);
}

TEST(SecretHygiene, ProductionBuildIsNotInTheFuzzingMode) {
  EXPECT_FALSE(unsafe_fuzzing_mode());
  static_assert(!kUnsafeFuzzingMode, "the unsafe fuzzing mode leaked into a test build");
#ifdef TLS13_UNSAFE_FUZZING_MODE
  ADD_FAILURE() << "TLS13_UNSAFE_FUZZING_MODE is defined";
#endif
}

}  // namespace
}  // namespace tls13
