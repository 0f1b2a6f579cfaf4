// What CertifiedKey and TrustAnchors hold (internal).
#pragma once

#include <vector>

#include "crypto/signature.h"
#include "crypto/x509.h"
#include "tls13/config.h"
#include "tls13/credentials.h"

namespace tls13 {

struct CertifiedKey::Impl {
  std::vector<crypto::Certificate> chain;  // leaf first
  std::vector<std::vector<std::uint8_t>> der;
  crypto::PrivateKey key;
  std::vector<SignatureScheme> schemes;
  std::vector<std::string> names;  // the leaf's subjectAltNames
};

struct TrustAnchors::Impl {
  crypto::TrustStore store;
  // DER subject names of the anchors in memory (none for a hashed
  // directory): a server's certificate_authorities.
  std::vector<std::vector<std::uint8_t>> subjects;
};

// The client's trust store: its configured anchors, or the system store
// (loaded once per process and shared).
const crypto::TrustStore& trust_store(const ClientConfig& cfg);

}  // namespace tls13
