// Certificates, private keys and trust anchors, as opaque handles: no
// OpenSSL type appears here. Each is immutable once built and may be shared
// by any number of configurations and connections across threads.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tls13/result.h"
#include "tls13/types.h"

namespace tls13 {

// A certificate chain (leaf first) with the leaf's private key: what a server
// (or an authenticating client) presents.
class CertifiedKey {
 public:
  // PEM text: one or more CERTIFICATE blocks, and a private key (PKCS#8 or
  // traditional). Fails when the key does not match the leaf.
  static Result<std::shared_ptr<const CertifiedKey>> from_pem(std::string_view chain_pem,
                                                              std::string_view key_pem);
  // The same, read from a chain file and a key file.
  static Result<std::shared_ptr<const CertifiedKey>> from_files(const std::string& chain_file,
                                                                const std::string& key_file);
  // A fresh ECDSA P-256 key with a self-signed certificate for `names` (DNS
  // names or IP literals), valid for 30 days: for demos and quick servers.
  static Result<std::shared_ptr<const CertifiedKey>> self_signed(
      const std::vector<std::string>& names);

  ~CertifiedKey();
  CertifiedKey(const CertifiedKey&) = delete;
  CertifiedKey& operator=(const CertifiedKey&) = delete;

  // DER certificates, leaf first.
  const std::vector<std::vector<std::uint8_t>>& chain_der() const noexcept;
  // Signature schemes the key can sign TLS 1.3 handshakes with.
  const std::vector<SignatureScheme>& schemes() const noexcept;
  // Whether the leaf covers `host` (SAN DNS with wildcards, or IP).
  bool matches_name(std::string_view host) const;
  // Hex SHA-256 of the leaf certificate.
  std::string fingerprint_sha256() const;
  // PEM of the leaf (e.g. to hand a self-signed certificate to a client).
  std::string leaf_pem() const;

  struct Impl;  // internal: the library's view of the key and chain
  const Impl& impl() const noexcept { return *impl_; }

 private:
  explicit CertifiedKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Certificate authorities a peer's chain must lead to.
class TrustAnchors {
 public:
  // The system store: $SSL_CERT_FILE / $SSL_CERT_DIR or libcrypto's
  // defaults, plus /etc/ssl/certs when present.
  static Result<std::shared_ptr<const TrustAnchors>> system();
  // Every CERTIFICATE in a PEM file (a CA bundle, or one self-signed leaf).
  static Result<std::shared_ptr<const TrustAnchors>> from_file(const std::string& pem_file);
  // A directory in OpenSSL's hashed layout (c_rehash / openssl rehash).
  static Result<std::shared_ptr<const TrustAnchors>> from_dir(const std::string& hashed_dir);
  // CERTIFICATE blocks from PEM text.
  static Result<std::shared_ptr<const TrustAnchors>> from_pem(std::string_view pem);

  ~TrustAnchors();
  TrustAnchors(const TrustAnchors&) = delete;
  TrustAnchors& operator=(const TrustAnchors&) = delete;

  struct Impl;  // internal: the library's certificate store
  const Impl& impl() const noexcept { return *impl_; }

 private:
  explicit TrustAnchors(std::unique_ptr<Impl> impl);
  template <class Store>
  static Result<std::shared_ptr<const TrustAnchors>> wrap(Result<Store> store);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tls13
