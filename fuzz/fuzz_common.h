// Shared by the endpoint fuzz targets (fuzz_client, fuzz_server) and the
// corpus generator (fuzz_corpus_gen): the deterministic configurations of the
// connection under test and the input format, so that the generator's
// recordings of real handshakes replay exactly in the targets.
//
// Input format:
//   byte 0           mode: which configuration (mode % client_modes() or
//                    server_modes())
//   then steps:
//   0LLLLLLL LLLLLLLL  feed the next L bytes (15-bit big-endian length,
//                      fewer when the input ends) as if from the peer
//   1AAAAAAA           an action of the application (A % kActions): write,
//                      KeyUpdate, close, exporter, early data, post-handshake
//                      client auth, more tickets
// After each step the driver takes all output, reads all application data
// and drains the events.
//
// Built with -DTLS13_FUZZ_DETERMINISTIC=ON, record protection is a
// pass-through and Finished/binder/CertificateVerify checks accept anything
// (src/base/fuzzing_mode.h), so the peer's encrypted flight and everything
// after it are reachable from these inputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "tls13/config.h"
#include "tls13/connection.h"

namespace tls13::fuzz {

enum class Target : std::uint8_t { client, server };

// A counter-based byte stream: the same bytes after every reset().
class CounterRandom final : public RandomSource {
 public:
  explicit CounterRandom(std::uint8_t seed) : seed_(seed) {}
  void reset() noexcept { n_ = 0; }
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = static_cast<std::uint8_t>((n_++ * 29u + 7u) ^ seed_);
  }

 private:
  std::uint8_t seed_;
  unsigned n_ = 0;
};

// The fixed "now" of every harness connection (unix seconds).
inline constexpr std::int64_t kNow = 1'800'000'000;

// Ticket keys drawn from a fixed stream: the same key id in every process,
// so recorded tickets and fixed_session() open in the server target.
std::shared_ptr<TicketKeyProvider> ticket_keys();

// A resumable session for "localhost" whose ticket the ticket_keys() open
// (suite decides the PSK length); 0-RTT allowed up to max_early_data_size.
StoredSession fixed_session(CipherSuite suite, std::uint32_t max_early_data_size = 0);

// A SessionCache that hands out fixed_session(suite) on every take().
std::shared_ptr<SessionCache> fixed_session_cache(CipherSuite suite,
                                                  std::uint32_t max_early_data_size = 0);

// Anti-replay that admits every ticket: a real store would remember tickets
// across fuzz iterations and make each run depend on the ones before.
std::shared_ptr<ReplayStore> admit_all_replay_store();

// The Ed25519 certificate as the only trust anchor (client authentication).
std::shared_ptr<const TrustAnchors> ed25519_trust();

// The certificates of the harness (fuzz_certs.h).
std::shared_ptr<const CertifiedKey> p256_cert();
std::shared_ptr<const CertifiedKey> ed25519_cert();
std::shared_ptr<const CertifiedKey> rsa_cert();

std::size_t client_modes();
std::size_t server_modes();
// The connection under test for `mode`; its randomness restarts each call.
Connection make_target(Target t, std::uint8_t mode);

inline constexpr std::uint8_t kActions = 9;

// Runs the connection under test through feed and action steps.
class Driver {
 public:
  Driver(Target t, std::uint8_t mode);
  void feed(std::span<const std::uint8_t> bytes);
  void action(std::uint8_t a);
  // Output produced since the last call (the generator forwards it).
  std::vector<std::uint8_t> take_output();
  Connection& conn() noexcept { return conn_; }

 private:
  void settle();
  Connection conn_;
  std::vector<std::uint8_t> out_;
};

// Interprets `data` in the input format above; returns the driver at the
// end (the generator checks where a recording got to).
std::unique_ptr<Driver> run_input(Target t, std::span<const std::uint8_t> data);

// Builds inputs in that format.
class InputWriter {
 public:
  explicit InputWriter(std::uint8_t mode) { bytes_.push_back(mode); }
  void feed(std::span<const std::uint8_t> data);
  void action(std::uint8_t a) { bytes_.push_back(static_cast<std::uint8_t>(0x80 | a)); }
  const std::vector<std::uint8_t>& bytes() const noexcept { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

}  // namespace tls13::fuzz
