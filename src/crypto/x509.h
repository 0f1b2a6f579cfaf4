// X.509 certificates for the handshake: parsing, trust stores, chain
// verification with host name checks (RFC 5280 path validation by libcrypto),
// and minting certificates (the CLI's ephemeral self-signed identity, tests).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "crypto/algorithms.h"
#include "crypto/signature.h"

// libcrypto types, forward-declared so that this header stays OpenSSL-free.
struct x509_st;
struct x509_store_st;

namespace tls13::crypto {

// A parsed DER certificate. Copies share the parsed object (immutable,
// reference counted), so chains can be copied cheaply and read from several
// threads.
class Certificate {
 public:
  // The DER must hold exactly one certificate; bad_certificate otherwise.
  static Result<Certificate> from_der(std::span<const std::uint8_t> der);

  std::span<const std::uint8_t> der() const noexcept;
  // Key from the SubjectPublicKeyInfo; unsupported_certificate when
  // libcrypto cannot use the key's algorithm.
  Result<PublicKey> public_key() const;
  // The key for verifying a peer's CertificateVerify: public_key(), but
  // unsupported_certificate when a keyUsage extension lacks digitalSignature
  // (RFC 8446 §4.4.2.2).
  Result<PublicKey> signing_key() const;
  // RFC 2253 one-line names ("CN=localhost,O=Example"), for display.
  std::string subject() const;
  std::string issuer() const;
  // DER Name of the subject / issuer, as certificate_authorities carries
  // them (RFC 8446 §4.2.4).
  std::vector<std::uint8_t> subject_der() const;
  std::vector<std::uint8_t> issuer_der() const;
  // subjectAltName dNSName and iPAddress entries ("localhost", "127.0.0.1",
  // "::1"), for display.
  std::vector<std::string> subject_alt_names() const;
  // Validity period in Unix seconds.
  std::int64_t not_before() const;
  std::int64_t not_after() const;
  std::vector<std::uint8_t> fingerprint_sha256() const;
  // "-----BEGIN CERTIFICATE-----" PEM.
  std::string to_pem() const;

  // libcrypto handle for crypto/*.cpp.
  x509_st* native() const noexcept;

 private:
  struct Impl;
  explicit Certificate(std::shared_ptr<const Impl> impl) noexcept : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// Every certificate in a PEM text, in order ("CERTIFICATE" blocks; other
// blocks such as keys are skipped). bad_certificate when a block does not
// parse or there is none.
Result<std::vector<Certificate>> load_pem_chain(std::string_view pem);

struct VerifiedChain;
struct VerifyOptions;

// Trust anchors. Build once, then share: copies refer to the same underlying
// store, whose verification reads are thread-safe.
class TrustStore {
 public:
  // No anchors at all (add some with add()).
  TrustStore();
  // Anchors from a PEM file of one or more certificates.
  static Result<TrustStore> from_file(const std::string& path);
  // A hashed directory (<subject-hash>.0 files as made by `openssl rehash`),
  // read lazily at verification time.
  static Result<TrustStore> from_dir(const std::string& path);
  // The platform's anchors: $SSL_CERT_FILE / $SSL_CERT_DIR or libcrypto's
  // defaults, plus /etc/ssl/certs (hashed directory) and
  // /etc/ssl/certs/ca-certificates.crt when they exist.
  static Result<TrustStore> system_default();

  Result<void> add(const Certificate& anchor);
  Result<void> add_file(const std::string& path);
  Result<void> add_dir(const std::string& path);
  // Anchors currently held in memory (files and added certificates; a hashed
  // directory's certificates count once they have been looked up).
  std::size_t size() const;
  // DER subject Names of the anchors held in memory (see size()), each
  // once, in store order: the certificate_authorities a server sends.
  std::vector<std::vector<std::uint8_t>> subject_names() const;

  x509_store_st* native() const noexcept;

  static constexpr std::size_t kChainCacheSize = 64;
  // Chains in the verified-chain cache (see verify_der_chain).
  std::size_t cached_chains() const;

 private:
  friend Result<VerifiedChain> verify_der_chain(const TrustStore&,
                                                std::span<const std::span<const std::uint8_t>>,
                                                const VerifyOptions&);
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

enum class CertificatePurpose : std::uint8_t { server_auth, client_auth };

struct VerifyOptions {
  // DNS name or IP literal the leaf must be valid for; empty skips the check
  // (client certificates).
  std::string host;
  CertificatePurpose purpose = CertificatePurpose::server_auth;
  // Verification time in Unix seconds; nullopt = now.
  std::optional<std::int64_t> time;
};

// Verifies `chain` (leaf first, then intermediates in any order) up to an
// anchor of `trust`. Failures map to RFC 8446 §6.2 alerts: expired or not
// yet valid -> certificate_expired; no path to an anchor -> unknown_ca;
// revoked -> certificate_revoked; name mismatch, bad signature or malformed
// certificate -> bad_certificate; key usage/purpose not allowed or key/hash
// too weak -> unsupported_certificate; anything else -> certificate_unknown.
// Host names match subjectAltName dNSName entries only (never the subject
// CN; no partial wildcards); IP literals match iPAddress entries. Keys below
// 80-bit security and MD5 signatures are refused (libcrypto auth level 1).
Result<void> verify_chain(const TrustStore& trust, std::span<const Certificate> chain,
                          const VerifyOptions& options);

// A peer chain that verified: its leaf and the key for the peer's
// CertificateVerify (Certificate::signing_key()).
struct VerifiedChain {
  Certificate leaf;
  PublicKey key;
};

// verify_chain() plus signing_key() for DER certificates straight from a
// Certificate message, through the trust store's cache of chains it has
// verified before. A chain seen before (byte for byte, same purpose) is
// neither parsed nor path-validated again, but on every call the validity
// period of each certificate of its path (anchor included) is checked
// against the verification time, and the host name against the leaf.
// Entries are re-verified after an hour and the cache holds at most
// TrustStore::kChainCacheSize chains; add() and friends empty it. Failures
// are never cached and give the alerts of verify_chain().
Result<VerifiedChain> verify_der_chain(const TrustStore& trust,
                                       std::span<const std::span<const std::uint8_t>> chain,
                                       const VerifyOptions& options);

// What to put in a certificate made by issue_certificate().
struct CertificateSpec {
  std::string common_name;         // subject CN
  std::vector<std::string> names;  // subjectAltName: DNS names or IP literals
  bool is_ca = false;              // CA: basicConstraints cA, keyCertSign
  std::int64_t not_before = 0;     // Unix seconds
  std::int64_t not_after = 0;
  HashId hash = HashId::sha256;  // signature hash (ignored for EdDSA)
  // extendedKeyUsage of an end-entity certificate (ignored for CAs).
  std::vector<CertificatePurpose> purposes = {CertificatePurpose::server_auth,
                                              CertificatePurpose::client_auth};
};

// A certificate for `subject` signed by `issuer_key`. `issuer` is the
// issuer's certificate, or nullptr for a self-signed certificate (then
// `issuer_key` must be the subject's key). RSA issuers sign with PKCS#1 v1.5,
// RSA-PSS issuers with PSS (salt = hash length), ECDSA and EdDSA as usual.
// End-entity certificates get keyUsage digitalSignature and the
// extendedKeyUsage of spec.purposes.
Result<Certificate> issue_certificate(const CertificateSpec& spec, const PublicKey& subject,
                                      const PrivateKey& issuer_key, const Certificate* issuer);

// The `tls13 server` default identity: a self-signed certificate for `key`
// with subjectAltName `names` (first name is also the CN), valid from one
// hour before `now` (default: the current time) for `days` days. Returned as
// a Certificate; use der() or to_pem() for the encoding needed. Being its own
// anchor, it is marked as a CA (cA true, keyCertSign), as `openssl req
// -x509` does, so a client can trust it directly.
Result<Certificate> make_self_signed(const PrivateKey& key, const std::vector<std::string>& names,
                                     int days = 30, std::optional<std::int64_t> now = {});

}  // namespace tls13::crypto
