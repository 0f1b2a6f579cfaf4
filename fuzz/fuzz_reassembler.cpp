// libFuzzer target: handshake message reassembly over arbitrary record
// boundaries (the first byte of each chunk gives the next chunk's length).
#include <cstdint>
#include <span>

#include "hs/handshake_reassembler.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tls13::hs::HandshakeReassembler r(4096);
  std::span<const std::uint8_t> in(data, size);
  while (!in.empty()) {
    const std::size_t n = std::min<std::size_t>(in.size() - 1, in[0]);
    if (!r.add(in.subspan(1, n))) return 0;
    in = in.subspan(1 + n);
    for (;;) {
      auto m = r.next();
      if (!m || !m->has_value()) break;
    }
    if (!r.check_key_change()) continue;
  }
  return 0;
}
