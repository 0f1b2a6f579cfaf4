#include "crypto/x509.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <limits>

#include "crypto/fetched.h"
#include "crypto/hash.h"
#include "crypto/ossl_handles.h"
#include "crypto/trust_store_impl.h"

namespace tls13::crypto {

struct Certificate::Impl {
  X509Ptr x509;
  std::vector<std::uint8_t> der;
};

namespace {

std::string bio_string(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

std::string name_string(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || !name || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) {
    clear_openssl_errors();
    return {};
  }
  return bio_string(bio.get());
}

std::int64_t unix_time(const ASN1_TIME* t) {
  Asn1TimePtr epoch(ASN1_TIME_set(nullptr, 0));
  int days = 0, secs = 0;
  if (!epoch || !t || ASN1_TIME_diff(&days, &secs, epoch.get(), t) != 1) {
    clear_openssl_errors();
    return 0;
  }
  return static_cast<std::int64_t>(days) * 86400 + secs;
}

// Takes ownership of `x` (from PEM or freshly signed) and re-parses its DER
// encoding, so every Certificate comes from from_der.
Result<Certificate> wrap(X509* x);

int no_password(char*, int, int, void*) {
  return -1;
}

Alert alert_for(int err) {
  switch (err) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return Alert::certificate_expired;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_REJECTED:
      return Alert::unknown_ca;
    case X509_V_ERR_CERT_REVOKED:
      return Alert::certificate_revoked;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
    case X509_V_ERR_EMAIL_MISMATCH:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
    case X509_V_ERR_INVALID_CA:
    case X509_V_ERR_INVALID_NON_CA:
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
    case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
    case X509_V_ERR_INVALID_EXTENSION:
    case X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION:
    case X509_V_ERR_PERMITTED_VIOLATION:
    case X509_V_ERR_EXCLUDED_VIOLATION:
      return Alert::bad_certificate;
    case X509_V_ERR_INVALID_PURPOSE:
    case X509_V_ERR_EE_KEY_TOO_SMALL:
    case X509_V_ERR_CA_KEY_TOO_SMALL:
    case X509_V_ERR_CA_MD_TOO_WEAK:
      return Alert::unsupported_certificate;
    case X509_V_ERR_OUT_OF_MEM:
      return Alert::internal_error;
    default:
      return Alert::certificate_unknown;
  }
}

}  // namespace

// ---- Certificate ----

Result<Certificate> Certificate::from_der(std::span<const std::uint8_t> der) {
  if (der.empty() || der.size() > static_cast<std::size_t>(std::numeric_limits<long>::max()))
    return Error(Alert::bad_certificate, "certificate: empty");
  const unsigned char* p = der.data();
  X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (!x) {
    clear_openssl_errors();
    return Error(Alert::bad_certificate, "certificate: cannot parse DER X.509");
  }
  if (p != der.data() + der.size()) {
    X509_free(x);
    return Error(Alert::bad_certificate, "certificate: trailing bytes after the certificate");
  }
  auto impl = std::make_shared<Impl>();
  impl->x509.reset(x);
  impl->der.assign(der.begin(), der.end());
  return Certificate(std::move(impl));
}

namespace {
Result<Certificate> wrap(X509* x) {
  X509Ptr owned(x);
  unsigned char* out = nullptr;
  const int n = i2d_X509(x, &out);
  if (n <= 0) {
    clear_openssl_errors();
    return Error(Alert::bad_certificate, "certificate: cannot encode");
  }
  std::vector<std::uint8_t> der(out, out + n);
  OPENSSL_free(out);
  return Certificate::from_der(der);
}
}  // namespace

std::span<const std::uint8_t> Certificate::der() const noexcept {
  return impl_->der;
}

x509_st* Certificate::native() const noexcept {
  return impl_->x509.get();
}

Result<PublicKey> Certificate::public_key() const {
  EVP_PKEY* k = X509_get0_pubkey(impl_->x509.get());
  if (!k) {
    clear_openssl_errors();
    return Error(Alert::unsupported_certificate, "certificate: public key algorithm not supported");
  }
  EVP_PKEY_up_ref(k);
  PublicKey pub = PublicKey::adopt(k);
  if (pub.type() == KeyType::other)
    return Error(Alert::unsupported_certificate,
                 "certificate: public key type not usable in TLS 1.3");
  return pub;
}

Result<PublicKey> Certificate::signing_key() const {
  X509* x = impl_->x509.get();
  // X509_get_key_usage() answers "all bits" when the extension is absent.
  if ((X509_get_extension_flags(x) & EXFLAG_KUSAGE) &&
      !(X509_get_key_usage(x) & KU_DIGITAL_SIGNATURE))
    return Error(Alert::unsupported_certificate,
                 "certificate: keyUsage does not allow digitalSignature (RFC 8446 4.4.2.2)");
  return public_key();
}

std::string Certificate::subject() const {
  return name_string(X509_get_subject_name(impl_->x509.get()));
}

std::string Certificate::issuer() const {
  return name_string(X509_get_issuer_name(impl_->x509.get()));
}

namespace {
std::vector<std::uint8_t> name_der(const X509_NAME* name) {
  unsigned char* der = nullptr;
  const int len = i2d_X509_NAME(name, &der);
  if (len <= 0) {
    clear_openssl_errors();
    return {};
  }
  std::vector<std::uint8_t> out(der, der + len);
  OPENSSL_free(der);
  return out;
}
}  // namespace

std::vector<std::uint8_t> Certificate::subject_der() const {
  return name_der(X509_get_subject_name(impl_->x509.get()));
}

std::vector<std::uint8_t> Certificate::issuer_der() const {
  return name_der(X509_get_issuer_name(impl_->x509.get()));
}

std::vector<std::string> Certificate::subject_alt_names() const {
  std::vector<std::string> out;
  GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(impl_->x509.get(), NID_subject_alt_name, nullptr, nullptr)));
  if (!names) {
    clear_openssl_errors();
    return out;
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
    if (gn->type == GEN_DNS) {
      const ASN1_STRING* s = gn->d.dNSName;
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                       static_cast<std::size_t>(ASN1_STRING_length(s)));
    } else if (gn->type == GEN_IPADD) {
      const ASN1_STRING* s = gn->d.iPAddress;
      const int len = ASN1_STRING_length(s);
      char buf[INET6_ADDRSTRLEN] = {};
      const int af = len == 4 ? AF_INET : len == 16 ? AF_INET6 : 0;
      if (af && inet_ntop(af, ASN1_STRING_get0_data(s), buf, sizeof buf)) out.emplace_back(buf);
    }
  }
  return out;
}

std::int64_t Certificate::not_before() const {
  return unix_time(X509_get0_notBefore(impl_->x509.get()));
}

std::int64_t Certificate::not_after() const {
  return unix_time(X509_get0_notAfter(impl_->x509.get()));
}

std::vector<std::uint8_t> Certificate::fingerprint_sha256() const {
  const Digest d = Hash::oneshot(HashId::sha256, impl_->der);
  return {d.span().begin(), d.span().end()};
}

std::string Certificate::to_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), impl_->x509.get()) != 1) {
    clear_openssl_errors();
    return {};
  }
  return bio_string(bio.get());
}

Result<std::vector<Certificate>> load_pem_chain(std::string_view pem) {
  if (pem.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    return Error(Alert::bad_certificate, "certificate PEM: too large");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return Error(Alert::internal_error, "certificate PEM: out of memory");
  std::vector<Certificate> chain;
  for (;;) {
    X509* x = PEM_read_bio_X509(bio.get(), nullptr, no_password, nullptr);
    if (!x) {
      const unsigned long e = ERR_peek_last_error();
      clear_openssl_errors();
      // "No start line" is the normal end of input.
      if (ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE) break;
      return Error(
          Alert::bad_certificate,
          "certificate PEM: block " + std::to_string(chain.size() + 1) + " does not parse");
    }
    TLS13_ASSIGN_OR_RETURN(Certificate c, wrap(x));
    chain.push_back(std::move(c));
  }
  if (chain.empty()) return Error(Alert::bad_certificate, "certificate PEM: no CERTIFICATE block");
  return chain;
}

// ---- TrustStore ----

TrustStore::TrustStore() : impl_(std::make_shared<Impl>()) {}

x509_store_st* TrustStore::native() const noexcept {
  return impl_->store.get();
}

Result<void> TrustStore::add(const Certificate& anchor) {
  impl_->clear_cache();
  if (!impl_->store || X509_STORE_add_cert(impl_->store.get(), anchor.native()) != 1) {
    clear_openssl_errors();
    return Error(Alert::internal_error, "trust store: cannot add " + anchor.subject());
  }
  return ok();
}

Result<void> TrustStore::add_file(const std::string& path) {
  impl_->clear_cache();
  if (!impl_->store || X509_STORE_load_file(impl_->store.get(), path.c_str()) != 1) {
    clear_openssl_errors();
    return Error(Alert::internal_error, "trust store: no certificates loaded from file " + path);
  }
  return ok();
}

Result<void> TrustStore::add_dir(const std::string& path) {
  impl_->clear_cache();
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec))
    return Error(Alert::internal_error, "trust store: not a directory: " + path);
  if (!impl_->store || X509_STORE_load_path(impl_->store.get(), path.c_str()) != 1) {
    clear_openssl_errors();
    return Error(Alert::internal_error, "trust store: cannot use directory " + path);
  }
  return ok();
}

Result<TrustStore> TrustStore::from_file(const std::string& path) {
  TrustStore t;
  TLS13_TRY(t.add_file(path));
  return t;
}

Result<TrustStore> TrustStore::from_dir(const std::string& path) {
  TrustStore t;
  TLS13_TRY(t.add_dir(path));
  return t;
}

Result<TrustStore> TrustStore::system_default() {
  TrustStore t;
  if (!t.impl_->store || X509_STORE_set_default_paths(t.impl_->store.get()) != 1) {
    clear_openssl_errors();
    return Error(Alert::internal_error, "trust store: cannot use the default locations");
  }
  clear_openssl_errors();  // missing default files are not an error
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir = "/etc/ssl/certs";
  if (fs::is_directory(dir, ec)) TLS13_TRY(t.add_dir(dir.string()));
  // Debian's bundle is usually libcrypto's default file too: skip it then.
  const fs::path bundle = dir / "ca-certificates.crt";
  const char* env_file = std::getenv(X509_get_default_cert_file_env());
  const fs::path default_file = env_file ? env_file : X509_get_default_cert_file();
  if (fs::is_regular_file(bundle, ec) && !fs::equivalent(bundle, default_file, ec))
    TLS13_TRY(t.add_file(bundle.string()));
  return t;
}

std::size_t TrustStore::size() const {
  if (!impl_->store) return 0;
  STACK_OF(X509)* all = X509_STORE_get1_all_certs(impl_->store.get());
  const std::size_t n = all ? static_cast<std::size_t>(sk_X509_num(all)) : 0;
  sk_X509_pop_free(all, X509_free);
  return n;
}

std::vector<std::vector<std::uint8_t>> TrustStore::subject_names() const {
  std::vector<std::vector<std::uint8_t>> out;
  if (!impl_->store) return out;
  STACK_OF(X509)* all = X509_STORE_get1_all_certs(impl_->store.get());
  for (int i = 0; all && i < sk_X509_num(all); ++i) {
    auto dn = name_der(X509_get_subject_name(sk_X509_value(all, i)));
    if (!dn.empty() && std::find(out.begin(), out.end(), dn) == out.end())
      out.push_back(std::move(dn));
  }
  sk_X509_pop_free(all, X509_free);
  return out;
}

// ---- verification ----

Result<void> verify_chain(const TrustStore& trust, std::span<const Certificate> chain,
                          const VerifyOptions& options) {
  return verify_chain_path(trust, chain, options, nullptr);
}

std::int64_t asn1_unix_time(const ASN1_TIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) {
    clear_openssl_errors();
    return 0;
  }
  return static_cast<std::int64_t>(timegm(&tm));
}

Result<void> verify_chain_path(const TrustStore& trust, std::span<const Certificate> chain,
                               const VerifyOptions& options, std::vector<PathValidity>* path) {
  if (chain.empty()) return Error(Alert::bad_certificate, "certificate chain is empty");
  if (!trust.native()) return Error(Alert::internal_error, "trust store: not initialised");
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  struct StackFree {
    STACK_OF(X509) * s;
    ~StackFree() { sk_X509_free(s); }  // the certificates belong to `chain`
  } untrusted_guard{untrusted};
  if (!ctx || !untrusted) return Error(Alert::internal_error, "certificate: out of memory");
  for (std::size_t i = 1; i < chain.size(); ++i)
    if (!sk_X509_push(untrusted, chain[i].native()))
      return Error(Alert::internal_error, "certificate: out of memory");
  if (X509_STORE_CTX_init(ctx.get(), trust.native(), chain[0].native(), untrusted) != 1) {
    clear_openssl_errors();
    return Error(Alert::internal_error, "certificate: cannot set up verification");
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  const int purpose = options.purpose == CertificatePurpose::server_auth ? X509_PURPOSE_SSL_SERVER
                                                                         : X509_PURPOSE_SSL_CLIENT;
  if (X509_STORE_CTX_set_purpose(ctx.get(), purpose) != 1) {
    clear_openssl_errors();
    return Error(Alert::internal_error, "certificate: cannot set purpose");
  }
  if (!options.host.empty()) {
    if (options.host.find('\0') != std::string::npos)
      return Error(Alert::bad_certificate, "certificate: host name contains NUL");
    // An IP literal matches iPAddress entries only; anything else is a DNS
    // name matched against dNSName entries (never the subject CN).
    if (X509_VERIFY_PARAM_set1_ip_asc(param, options.host.c_str()) != 1) {
      clear_openssl_errors();
      X509_VERIFY_PARAM_set_hostflags(
          param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
      if (X509_VERIFY_PARAM_set1_host(param, options.host.data(), options.host.size()) != 1) {
        clear_openssl_errors();
        return Error(Alert::internal_error, "certificate: cannot set host name");
      }
    }
  }
  // Level 1: at least 80-bit security (RSA >= 1024) and no MD5, which
  // still admits RFC 8448's 1024-bit certificates.
  X509_VERIFY_PARAM_set_auth_level(param, 1);
  if (options.time) X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(*options.time));

  const int r = X509_verify_cert(ctx.get());
  if (r == 1) {
    if (path) {
      STACK_OF(X509)* built = X509_STORE_CTX_get0_chain(ctx.get());
      path->clear();
      for (int i = 0; i < sk_X509_num(built); ++i) {
        const X509* x = sk_X509_value(built, i);
        path->push_back(
            {asn1_unix_time(X509_get0_notBefore(x)), asn1_unix_time(X509_get0_notAfter(x))});
      }
    }
    return ok();
  }
  const int err = X509_STORE_CTX_get_error(ctx.get());
  clear_openssl_errors();
  if (r < 0 || err == X509_V_OK)
    return Error(Alert::internal_error, "certificate: verification could not run");
  const int depth = X509_STORE_CTX_get_error_depth(ctx.get());
  X509* bad = X509_STORE_CTX_get_current_cert(ctx.get());
  std::string msg = "certificate verify failed at depth " + std::to_string(depth);
  if (bad) msg += " (" + name_string(X509_get_subject_name(bad)) + ")";
  msg += ": ";
  msg += X509_verify_cert_error_string(err);
  if (err == X509_V_ERR_HOSTNAME_MISMATCH || err == X509_V_ERR_IP_ADDRESS_MISMATCH)
    msg += " (wanted " + options.host + ")";
  return Error(alert_for(err), std::move(msg));
}

// ---- issuing ----

namespace {

Result<void> add_conf_ext(X509* x, X509V3_CTX* ctx, int nid, const char* value) {
  X509ExtensionPtr ext(X509V3_EXT_nconf_nid(nullptr, ctx, nid, value));
  if (!ext || X509_add_ext(x, ext.get(), -1) != 1) {
    clear_openssl_errors();
    return Error(Alert::internal_error, std::string("certificate: cannot add extension ") + value);
  }
  return ok();
}

// Built as GENERAL_NAMEs, not a config string, so names cannot inject
// extra entries.
Result<void> add_san(X509* x, const std::vector<std::string>& names) {
  GeneralNamesPtr gens(sk_GENERAL_NAME_new_null());
  if (!gens) return Error(Alert::internal_error, "certificate: out of memory");
  for (const std::string& n : names) {
    GENERAL_NAME* gn = GENERAL_NAME_new();
    if (!gn) return Error(Alert::internal_error, "certificate: out of memory");
    if (ASN1_OCTET_STRING* ip = a2i_IPADDRESS(n.c_str())) {
      GENERAL_NAME_set0_value(gn, GEN_IPADD, ip);
    } else {
      clear_openssl_errors();
      ASN1_IA5STRING* dns = ASN1_IA5STRING_new();
      if (!dns || ASN1_STRING_set(dns, n.data(), static_cast<int>(n.size())) != 1) {
        ASN1_IA5STRING_free(dns);
        GENERAL_NAME_free(gn);
        return Error(Alert::internal_error, "certificate: out of memory");
      }
      GENERAL_NAME_set0_value(gn, GEN_DNS, dns);
    }
    if (!sk_GENERAL_NAME_push(gens.get(), gn)) {
      GENERAL_NAME_free(gn);
      return Error(Alert::internal_error, "certificate: out of memory");
    }
  }
  if (X509_add1_ext_i2d(x, NID_subject_alt_name, gens.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    clear_openssl_errors();
    return Error(Alert::internal_error, "certificate: cannot add subjectAltName");
  }
  return ok();
}

Result<void> sign_cert(X509* x, const PrivateKey& key, HashId hash) {
  const bool eddsa = key.type() == KeyType::ed25519 || key.type() == KeyType::ed448;
  const char* md = eddsa ? nullptr : EVP_MD_get0_name(fetched().digest(hash));
  EvpMdCtxPtr mctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!mctx ||
      EVP_DigestSignInit_ex(mctx.get(), &pctx, md, nullptr, nullptr, key.native(), nullptr) != 1 ||
      (key.type() == KeyType::rsa_pss &&
       (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1)) ||
      X509_sign_ctx(x, mctx.get()) <= 0) {
    clear_openssl_errors();
    return Error(Alert::internal_error, "certificate: signing with a " +
                                            std::string(to_string(key.type())) + " key failed");
  }
  return ok();
}

}  // namespace

Result<Certificate> issue_certificate(const CertificateSpec& spec, const PublicKey& subject,
                                      const PrivateKey& issuer_key, const Certificate* issuer) {
  if (!subject.native() || !issuer_key.native())
    return Error(Alert::internal_error, "certificate: missing key");
  X509Ptr x(X509_new());
  if (!x) return Error(Alert::internal_error, "certificate: out of memory");
  // A positive 63-bit random serial (RFC 5280 §4.1.2.2: unique per issuer).
  std::uint64_t serial = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&serial), sizeof serial) != 1)
    return Error(Alert::internal_error, "certificate: no randomness for the serial");
  serial = (serial >> 1) | 1;
  X509_NAME* name = X509_get_subject_name(x.get());
  if (X509_set_version(x.get(), X509_VERSION_3) != 1 ||
      ASN1_INTEGER_set_uint64(X509_get_serialNumber(x.get()), serial) != 1 ||
      !ASN1_TIME_set(X509_getm_notBefore(x.get()), static_cast<time_t>(spec.not_before)) ||
      !ASN1_TIME_set(X509_getm_notAfter(x.get()), static_cast<time_t>(spec.not_after)) ||
      X509_set_pubkey(x.get(), subject.native()) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(spec.common_name.c_str()),
                                 -1, -1, 0) != 1 ||
      X509_set_issuer_name(x.get(), issuer ? X509_get_subject_name(issuer->native()) : name) != 1) {
    clear_openssl_errors();
    return Error(Alert::internal_error, "certificate: cannot fill in the fields");
  }
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer ? issuer->native() : x.get(), x.get(), nullptr, nullptr, 0);
  X509V3_set_ctx_nodb(&ctx);
  if (spec.is_ca) {
    TLS13_TRY(add_conf_ext(x.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE"));
    TLS13_TRY(add_conf_ext(x.get(), &ctx, NID_key_usage,
                           "critical,digitalSignature,keyCertSign,cRLSign"));
  } else {
    TLS13_TRY(add_conf_ext(x.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE"));
    TLS13_TRY(add_conf_ext(x.get(), &ctx, NID_key_usage, "critical,digitalSignature"));
    std::string eku;
    for (CertificatePurpose p : spec.purposes) {
      if (!eku.empty()) eku += ',';
      eku += p == CertificatePurpose::server_auth ? "serverAuth" : "clientAuth";
    }
    if (!eku.empty()) TLS13_TRY(add_conf_ext(x.get(), &ctx, NID_ext_key_usage, eku.c_str()));
  }
  TLS13_TRY(add_conf_ext(x.get(), &ctx, NID_subject_key_identifier, "hash"));
  if (issuer) TLS13_TRY(add_conf_ext(x.get(), &ctx, NID_authority_key_identifier, "keyid"));
  if (!spec.names.empty()) TLS13_TRY(add_san(x.get(), spec.names));
  TLS13_TRY(sign_cert(x.get(), issuer_key, spec.hash));
  return wrap(x.release());
}

Result<Certificate> make_self_signed(const PrivateKey& key, const std::vector<std::string>& names,
                                     int days, std::optional<std::int64_t> now) {
  const std::int64_t t = now ? *now : static_cast<std::int64_t>(std::time(nullptr));
  CertificateSpec spec;
  spec.common_name = names.empty() ? "tls13 self-signed" : names.front();
  spec.names = names;
  spec.is_ca = true;
  // Back-dated an hour to tolerate clock skew between peers.
  spec.not_before = t - 3600;
  spec.not_after = t + static_cast<std::int64_t>(days) * 86400;
  return issue_certificate(spec, key.public_key(), key, nullptr);
}

}  // namespace tls13::crypto
