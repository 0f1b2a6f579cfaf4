// A small test PKI: CAs, intermediates and leaves made with
// crypto::issue_certificate. Header-only so that any test binary can use it
// without build changes. Failures throw (test code only).
#pragma once

#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "crypto/signature.h"
#include "crypto/x509.h"
#include "support/test_keys.h"

namespace tls13::test {

struct TestCert {
  crypto::Certificate cert;
  std::shared_ptr<const crypto::PrivateKey> key;

  std::vector<std::uint8_t> der() const { return {cert.der().begin(), cert.der().end()}; }
};

inline std::int64_t unix_now() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

template <class T>
T must(Result<T> r, const char* what) {
  if (!r.ok()) throw std::runtime_error(std::string(what) + ": " + r.error().describe());
  return std::move(r).value();
}

// A fresh key of type `t`.
inline std::shared_ptr<const crypto::PrivateKey> new_key(crypto::KeyType t) {
  return std::make_shared<const crypto::PrivateKey>(
      must(crypto::PrivateKey::generate(t), "generate key"));
}

// A key per (type, slot), shared by the whole test process; distinct slots
// give distinct keys. RSA and RSA-PSS slots 0-2 are fixed keys from
// test_keys.h (generating 2048-bit keys takes up to seconds); other types
// are generated on first use.
inline std::shared_ptr<const crypto::PrivateKey> cached_key(crypto::KeyType t, int slot = 0) {
  static std::mutex mu;
  static std::map<std::pair<crypto::KeyType, int>, std::shared_ptr<const crypto::PrivateKey>> keys;
  std::lock_guard<std::mutex> lock(mu);
  auto& k = keys[{t, slot}];
  if (k) return k;
  const bool rsa = t == crypto::KeyType::rsa || t == crypto::KeyType::rsa_pss;
  if (rsa && slot >= 0 && slot < 3) {
    const auto pem = (t == crypto::KeyType::rsa ? kRsaKeys : kRsaPssKeys)[slot];
    k = std::make_shared<const crypto::PrivateKey>(
        must(crypto::PrivateKey::from_pem(pem), "fixed test key"));
  } else {
    k = new_key(t);
  }
  return k;
}

struct Validity {
  std::int64_t not_before = unix_now() - 86400;
  std::int64_t not_after = unix_now() + 30 * 86400;
};

// A fresh key for fast types; for RSA types a fixed key (slot `rsa_slot`).
inline std::shared_ptr<const crypto::PrivateKey> quick_key(crypto::KeyType t, int rsa_slot) {
  if (t == crypto::KeyType::rsa || t == crypto::KeyType::rsa_pss) return cached_key(t, rsa_slot);
  return new_key(t);
}

// A root CA (parent == nullptr) or an intermediate CA issued by `parent`.
// Without `key`: a fresh key (RSA types: fixed key slot 0 for roots, 1 for
// intermediates).
inline TestCert make_ca(crypto::KeyType t = crypto::KeyType::ec_p256,
                        const std::string& cn = "tls13 test CA", const TestCert* parent = nullptr,
                        Validity v = {}, std::shared_ptr<const crypto::PrivateKey> key = nullptr) {
  if (!key) key = quick_key(t, parent ? 1 : 0);
  crypto::CertificateSpec spec;
  spec.common_name = cn;
  spec.is_ca = true;
  spec.not_before = v.not_before;
  spec.not_after = v.not_after;
  const crypto::PrivateKey& signer = parent ? *parent->key : *key;
  auto cert = must(
      crypto::issue_certificate(spec, key->public_key(), signer, parent ? &parent->cert : nullptr),
      "issue CA");
  return {std::move(cert), std::move(key)};
}

// An end-entity certificate for `names` (DNS names or IP literals) issued by
// `ca`, with a fresh key of type `t` (RSA types: fixed key slot 2) unless
// `key` is given.
inline TestCert issue_leaf(const TestCert& ca, crypto::KeyType t,
                           const std::vector<std::string>& names, Validity v = {},
                           std::shared_ptr<const crypto::PrivateKey> key = nullptr) {
  if (!key) key = quick_key(t, 2);
  crypto::CertificateSpec spec;
  spec.common_name = names.empty() ? "tls13 test leaf" : names.front();
  spec.names = names;
  spec.not_before = v.not_before;
  spec.not_after = v.not_after;
  auto cert =
      must(crypto::issue_certificate(spec, key->public_key(), *ca.key, &ca.cert), "issue leaf");
  return {std::move(cert), std::move(key)};
}

// A trust store holding just `anchor`.
inline crypto::TrustStore trust_only(const TestCert& anchor) {
  crypto::TrustStore store;
  if (auto r = store.add(anchor.cert); !r.ok())
    throw std::runtime_error("trust store add: " + r.error().describe());
  return store;
}

}  // namespace tls13::test
