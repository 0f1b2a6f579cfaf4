// libFuzzer target: a whole client (TLS13_FUZZ_CLIENT) or server connection
// fed arbitrary peer bytes, in chunks, with fixed randomness. It must never
// crash, and any failure must leave exactly one fatal alert queued.
#include <cstdint>
#include <memory>
#include <span>

#include "tls13/config.h"
#include "tls13/connection.h"

namespace {

class FixedRandom final : public tls13::RandomSource {
 public:
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = static_cast<std::uint8_t>(n_++ * 29 + 7);
  }

 private:
  unsigned n_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tls13;
  FixedRandom random;
#if defined(TLS13_FUZZ_CLIENT)
  auto cfg = std::make_shared<ClientConfig>();
  cfg->random = &random;
  cfg->verify_peer = false;
  cfg->alpn = {"h2"};
  auto conn = Connection::client(cfg, "localhost");
#else
  static const auto cert = CertifiedKey::self_signed({"localhost"});
  if (!cert) return 0;
  auto cfg = std::make_shared<ServerConfig>();
  cfg->random = &random;
  cfg->certificates = {*cert};
  auto conn = Connection::server(cfg);
#endif
  conn.consume_output(conn.pending_output().size());
  std::span<const std::uint8_t> in(data, size);
  while (!in.empty() && !conn.failed()) {
    const std::size_t n = std::min<std::size_t>(in.size() - 1, in[0] * 4u + 1);
    (void)conn.feed(in.subspan(1, n));
    in = in.subspan(1 + n);
    conn.consume_output(conn.pending_output().size());
  }
  return 0;
}
