// Algorithms fetched from libcrypto once per process and never modified
// afterwards (read-only after construction, so sharing across threads is
// safe). Internal to crypto/*.cpp.
#pragma once

#include <openssl/evp.h>

#include "crypto/algorithms.h"

namespace tls13::crypto {

struct Fetched {
  EVP_MD* md[3] = {};          // indexed by HashId
  EVP_CIPHER* cipher[5] = {};  // indexed by AeadId (both CCM variants share AES-128-CCM)

  const EVP_MD* digest(HashId h) const noexcept { return md[static_cast<int>(h)]; }
  const EVP_CIPHER* aead(AeadId a) const noexcept { return cipher[static_cast<int>(a)]; }
};

// Created on first use; aborts if libcrypto lacks a required algorithm
// (a broken installation, not a peer-triggerable condition).
const Fetched& fetched();

// Drain libcrypto's thread-local error queue so that a failure in one
// operation does not leak into the next.
void clear_openssl_errors() noexcept;

}  // namespace tls13::crypto
