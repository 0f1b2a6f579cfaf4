// What a TrustStore holds (internal to crypto/): the libcrypto store and the
// cache of peer chains it has verified (verified_chains.cpp).
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "crypto/ossl_handles.h"
#include "crypto/x509.h"

namespace tls13::crypto {

// notBefore / notAfter of one certificate of a validated path, in Unix
// seconds: valid for not_before <= t < not_after, as libcrypto checks.
struct PathValidity {
  std::int64_t not_before = 0;
  std::int64_t not_after = 0;
};

// A chain verify_der_chain() verified, and what must still be checked on
// every use: each path certificate's validity period and the host name.
struct CachedChain {
  std::vector<std::vector<std::uint8_t>> der;  // as received, leaf first
  CertificatePurpose purpose;
  std::vector<PathValidity> path;  // leaf first, anchor last
  Certificate leaf;
  PublicKey key;
  std::int64_t verified_at;  // verification time; re-verified an hour later
};

struct TrustStore::Impl {
  X509StorePtr store{X509_STORE_new()};
  mutable std::mutex mu;
  std::vector<CachedChain> chains;  // at most kChainCacheSize, oldest first

  void clear_cache() {
    std::lock_guard lock(mu);
    chains.clear();
  }
};

// verify_chain() that also reports the validity periods of the path
// libcrypto built (when `path` is not null).
Result<void> verify_chain_path(const TrustStore& trust, std::span<const Certificate> chain,
                               const VerifyOptions& options, std::vector<PathValidity>* path);

std::int64_t asn1_unix_time(const ASN1_TIME* t);

}  // namespace tls13::crypto
