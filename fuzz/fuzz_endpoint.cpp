// libFuzzer target: a whole client (TLS13_FUZZ_CLIENT) or server connection
// driven by the input format of fuzz_common.h: peer bytes in chunks and the
// application's actions, with fixed randomness, clock, certificates and
// ticket keys. It must never crash. With -DTLS13_FUZZ_DETERMINISTIC=ON the
// peer's encrypted flight is forgeable, so the seeds (fuzz/corpus/, recorded
// by fuzz_corpus_gen) reach tickets, KeyUpdate, application data and close.
#include <cstdint>

#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
#if defined(TLS13_FUZZ_CLIENT)
  constexpr auto target = tls13::fuzz::Target::client;
#else
  constexpr auto target = tls13::fuzz::Target::server;
#endif
  (void)tls13::fuzz::run_input(target, {data, size});
  return 0;
}
