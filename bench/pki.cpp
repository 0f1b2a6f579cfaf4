#include "pki.h"

#include <ctime>
#include <map>

#include "crypto/signature.h"
#include "crypto/x509.h"

namespace bench {

namespace {

tls13::crypto::KeyType key_type(Key k) {
  switch (k) {
    case Key::ecdsa_p256:
      return tls13::crypto::KeyType::ec_p256;
    case Key::rsa2048:
      return tls13::crypto::KeyType::rsa;
    case Key::ed25519:
      return tls13::crypto::KeyType::ed25519;
  }
  return tls13::crypto::KeyType::other;
}

template <class T>
T must(tls13::Result<T> r, const char* what) {
  if (!r) die(std::string(what) + ": " + r.error().describe());
  return std::move(r).value();
}

Pki make(Key k) {
  using namespace tls13::crypto;
  const std::int64_t now = std::time(nullptr);
  auto ca_key = must(PrivateKey::generate(key_type(k)), "CA key");
  CertificateSpec ca_spec;
  ca_spec.common_name = "tls13-bench root";
  ca_spec.is_ca = true;
  ca_spec.not_before = now - 3600;
  ca_spec.not_after = now + 30 * 86400;
  auto ca = must(issue_certificate(ca_spec, ca_key.public_key(), ca_key, nullptr), "CA cert");

  auto leaf_key = must(PrivateKey::generate(key_type(k)), "leaf key");
  CertificateSpec spec;
  spec.common_name = "localhost";
  spec.names = {"localhost"};
  spec.not_before = now - 3600;
  spec.not_after = now + 30 * 86400;
  spec.purposes = {CertificatePurpose::server_auth};
  auto leaf = must(issue_certificate(spec, leaf_key.public_key(), ca_key, &ca), "leaf cert");
  return Pki{ca.to_pem(), leaf.to_pem(), leaf_key.to_pem()};
}

}  // namespace

const Pki& pki(Key k) {
  static std::map<Key, Pki> made;  // the benchmark is single-threaded
  auto it = made.find(k);
  if (it == made.end()) it = made.emplace(k, make(k)).first;
  return it->second;
}

}  // namespace bench
