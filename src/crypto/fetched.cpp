#include "crypto/fetched.h"

#include <openssl/core_names.h>
#include <openssl/err.h>

#include <cstdio>
#include <cstdlib>

namespace tls13::crypto {

namespace {

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "tls13: libcrypto lacks %s\n", what);
  std::abort();
}

const char* md_name(HashId h) {
  switch (h) {
    case HashId::sha256:
      return "SHA2-256";
    case HashId::sha384:
      return "SHA2-384";
    case HashId::sha512:
      return "SHA2-512";
  }
  return "";
}

Fetched make() {
  Fetched f;
  for (HashId h : {HashId::sha256, HashId::sha384, HashId::sha512}) {
    const int i = static_cast<int>(h);
    f.md[i] = EVP_MD_fetch(nullptr, md_name(h), nullptr);
    if (!f.md[i]) die(md_name(h));
  }
  const char* ciphers[5] = {"AES-128-GCM", "AES-256-GCM", "ChaCha20-Poly1305", "AES-128-CCM",
                            "AES-128-CCM"};
  for (int i = 0; i < 5; ++i) {
    f.cipher[i] = EVP_CIPHER_fetch(nullptr, ciphers[i], nullptr);
    if (!f.cipher[i]) die(ciphers[i]);
  }
  return f;
}

}  // namespace

const Fetched& fetched() {
  // Initialised once (thread-safe static init), immutable afterwards.
  static const Fetched f = make();
  return f;
}

void clear_openssl_errors() noexcept {
  ERR_clear_error();
}

}  // namespace tls13::crypto
