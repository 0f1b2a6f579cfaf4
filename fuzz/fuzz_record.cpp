// libFuzzer target: the record layer's parsing and opening with a fixed key
// (headers, plaintext records, protected records and their padding).
#include <cstdint>
#include <vector>

#include "record/protection.h"
#include "record/record_header.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tls13;
  std::vector<std::uint8_t> buf(data, data + size);
  (void)record::parse_header(buf);
  (void)record::parse_plaintext(buf);
  static const std::uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  static const std::uint8_t iv[12] = {};
  auto opener = record::RecordOpener::create(crypto::AeadId::aes_128_gcm, key, iv);
  if (opener) (void)opener->open(buf);
  return 0;
}
