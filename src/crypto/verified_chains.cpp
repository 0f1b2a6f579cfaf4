// The trust store's cache of verified peer chains (verify_der_chain). A
// client that meets the same server chain again skips what only depends on
// the chain bytes and the anchors: DER parsing (libcrypto builds every
// certificate's key through its provider decoders, the costliest step of a
// client handshake) and path validation (signatures, constraints, purpose).
// What depends on the moment or the connection is checked on every call:
// each path certificate's validity period and the host name.
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <string>

#include "crypto/fetched.h"
#include "crypto/trust_store_impl.h"

namespace tls13::crypto {

namespace {

constexpr std::int64_t kReverifyAfter = 3600;  // seconds

bool same_chain(const CachedChain& c, std::span<const std::span<const std::uint8_t>> der,
                CertificatePurpose purpose) {
  if (c.purpose != purpose || c.der.size() != der.size()) return false;
  for (std::size_t i = 0; i < der.size(); ++i)
    if (!std::equal(c.der[i].begin(), c.der[i].end(), der[i].begin(), der[i].end())) return false;
  return true;
}

Error failed_at(std::size_t depth, const Certificate& leaf, Alert alert, int x509_error,
                const std::string& extra = {}) {
  std::string msg = "certificate verify failed at depth " + std::to_string(depth);
  if (depth == 0) msg += " (" + leaf.subject() + ")";
  msg += ": ";
  msg += X509_verify_cert_error_string(x509_error);
  return Error(alert, msg + extra);
}

// The checks a cached chain still needs: the time against every path
// certificate, the host name against the leaf (the same matching rules as
// verify_chain: iPAddress for IP literals, else dNSName without partial
// wildcards, never the subject CN).
Result<void> recheck(const CachedChain& c, const VerifyOptions& options, std::int64_t now) {
  for (std::size_t i = 0; i < c.path.size(); ++i) {
    if (now < c.path[i].not_before)
      return failed_at(i, c.leaf, Alert::certificate_expired, X509_V_ERR_CERT_NOT_YET_VALID);
    if (now >= c.path[i].not_after)
      return failed_at(i, c.leaf, Alert::certificate_expired, X509_V_ERR_CERT_HAS_EXPIRED);
  }
  if (options.host.empty()) return ok();
  X509* leaf = c.leaf.native();
  int r = X509_check_ip_asc(leaf, options.host.c_str(), 0);
  int err = X509_V_ERR_IP_ADDRESS_MISMATCH;
  if (r == -2) {  // not an IP literal: a DNS name
    r = X509_check_host(leaf, options.host.data(), options.host.size(),
                        X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT,
                        nullptr);
    err = X509_V_ERR_HOSTNAME_MISMATCH;
  }
  if (r == 1) return ok();
  clear_openssl_errors();
  if (r < 0) return Error(Alert::internal_error, "certificate: host name check could not run");
  return failed_at(0, c.leaf, Alert::bad_certificate, err, " (wanted " + options.host + ")");
}

}  // namespace

std::size_t TrustStore::cached_chains() const {
  std::lock_guard lock(impl_->mu);
  return impl_->chains.size();
}

Result<VerifiedChain> verify_der_chain(const TrustStore& trust,
                                       std::span<const std::span<const std::uint8_t>> chain,
                                       const VerifyOptions& options) {
  if (chain.empty()) return Error(Alert::bad_certificate, "certificate chain is empty");
  if (options.host.find('\0') != std::string::npos)
    return Error(Alert::bad_certificate, "certificate: host name contains NUL");
  const std::int64_t now =
      options.time ? *options.time : static_cast<std::int64_t>(std::time(nullptr));
  TrustStore::Impl& impl = *trust.impl_;
  {
    std::lock_guard lock(impl.mu);
    for (auto it = impl.chains.begin(); it != impl.chains.end(); ++it) {
      if (!same_chain(*it, chain, options.purpose)) continue;
      if (now - it->verified_at > kReverifyAfter || it->verified_at - now > kReverifyAfter) {
        impl.chains.erase(it);  // stale: verify again from scratch
        break;
      }
      TLS13_TRY(recheck(*it, options, now));
      return VerifiedChain{it->leaf, it->key};
    }
  }

  std::vector<Certificate> certs;
  certs.reserve(chain.size());
  for (const auto& der : chain) {
    auto c = Certificate::from_der(der);
    if (!c) return std::move(c).error();
    certs.push_back(std::move(c).value());
  }
  VerifyOptions at = options;
  at.time = now;
  std::vector<PathValidity> path;
  TLS13_TRY(verify_chain_path(trust, certs, at, &path));
  auto key = certs.front().signing_key();
  if (!key) return std::move(key).error();

  CachedChain entry{{}, options.purpose, std::move(path), certs.front(), *key, now};
  entry.der.reserve(chain.size());
  for (const auto& der : chain) entry.der.emplace_back(der.begin(), der.end());
  {
    std::lock_guard lock(impl.mu);
    if (impl.chains.size() >= TrustStore::kChainCacheSize) impl.chains.erase(impl.chains.begin());
    impl.chains.push_back(std::move(entry));
  }
  return VerifiedChain{std::move(certs.front()), std::move(key).value()};
}

}  // namespace tls13::crypto
