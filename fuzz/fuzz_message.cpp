// libFuzzer target for one handshake message decoder, chosen at compile time
// (TLS13_FUZZ_MESSAGE): anything that decodes must re-encode to the same
// bytes.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "msg/certificate.h"
#include "msg/certificate_request.h"
#include "msg/certificate_verify.h"
#include "msg/client_hello.h"
#include "msg/encrypted_extensions.h"
#include "msg/end_of_early_data.h"
#include "msg/finished.h"
#include "msg/key_update.h"
#include "msg/new_session_ticket.h"
#include "msg/server_hello.h"
#include "wire/writer.h"

namespace {

template <class M, class... Args>
void round_trip(std::span<const std::uint8_t> body, Args... args) {
  auto m = M::decode(body, args...);
  if (!m) return;
  std::vector<std::uint8_t> out;
  tls13::wire::Writer w(out);
  m->encode(w);
  if (!w.ok() || out.size() != body.size() || !std::equal(out.begin(), out.end(), body.begin()))
    std::abort();  // decode/encode disagree
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> body(data, size);
  using namespace tls13::msg;
#if defined(TLS13_FUZZ_FINISHED)
  round_trip<Finished>(body, std::size_t{32});
  round_trip<Finished>(body, std::size_t{48});
#else
  round_trip<TLS13_FUZZ_MESSAGE>(body);
#endif
  return 0;
}
