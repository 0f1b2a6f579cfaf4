#include "crypto/signature.h"

// ECDSA signs and verifies on the key's EC_KEY (deprecated in 3.0 but
// present unless libcrypto was built without deprecated APIs): the same
// libcrypto routine the provider runs, without the per-operation
// EVP_PKEY_CTX, provider context and parameter set-up (a quarter of a
// signature's allocations).
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <utility>

#include "base/fuzzing_mode.h"
#include "crypto/ecdsa_der.h"
#include "crypto/fetched.h"
#include "crypto/hash.h"
#include "crypto/ossl_handles.h"

namespace tls13::crypto {

namespace {

enum class Padding : std::uint8_t { none, pss, pkcs1 };

struct SchemeInfo {
  KeyType key;
  std::optional<HashId> hash;
  Padding padding;
};

constexpr std::optional<SchemeInfo> scheme_info(SignatureScheme s) noexcept {
  using S = SignatureScheme;
  switch (s) {
    case S::rsa_pkcs1_sha256:
      return SchemeInfo{KeyType::rsa, HashId::sha256, Padding::pkcs1};
    case S::rsa_pkcs1_sha384:
      return SchemeInfo{KeyType::rsa, HashId::sha384, Padding::pkcs1};
    case S::rsa_pkcs1_sha512:
      return SchemeInfo{KeyType::rsa, HashId::sha512, Padding::pkcs1};
    case S::ecdsa_secp256r1_sha256:
      return SchemeInfo{KeyType::ec_p256, HashId::sha256, Padding::none};
    case S::ecdsa_secp384r1_sha384:
      return SchemeInfo{KeyType::ec_p384, HashId::sha384, Padding::none};
    case S::ecdsa_secp521r1_sha512:
      return SchemeInfo{KeyType::ec_p521, HashId::sha512, Padding::none};
    case S::rsa_pss_rsae_sha256:
      return SchemeInfo{KeyType::rsa, HashId::sha256, Padding::pss};
    case S::rsa_pss_rsae_sha384:
      return SchemeInfo{KeyType::rsa, HashId::sha384, Padding::pss};
    case S::rsa_pss_rsae_sha512:
      return SchemeInfo{KeyType::rsa, HashId::sha512, Padding::pss};
    case S::ed25519:
      return SchemeInfo{KeyType::ed25519, std::nullopt, Padding::none};
    case S::ed448:
      return SchemeInfo{KeyType::ed448, std::nullopt, Padding::none};
    case S::rsa_pss_pss_sha256:
      return SchemeInfo{KeyType::rsa_pss, HashId::sha256, Padding::pss};
    case S::rsa_pss_pss_sha384:
      return SchemeInfo{KeyType::rsa_pss, HashId::sha384, Padding::pss};
    case S::rsa_pss_pss_sha512:
      return SchemeInfo{KeyType::rsa_pss, HashId::sha512, Padding::pss};
  }
  return std::nullopt;
}

std::string scheme_name(SignatureScheme s) {
  std::string_view n = to_string(s);
  if (n != "unknown") return std::string(n);
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%04x", static_cast<unsigned>(s));
  return buf;
}

KeyType classify(const EVP_PKEY* k) noexcept {
  if (EVP_PKEY_is_a(k, "RSA")) return KeyType::rsa;
  if (EVP_PKEY_is_a(k, "RSA-PSS")) return KeyType::rsa_pss;
  if (EVP_PKEY_is_a(k, "ED25519")) return KeyType::ed25519;
  if (EVP_PKEY_is_a(k, "ED448")) return KeyType::ed448;
  if (EVP_PKEY_is_a(k, "EC")) {
    char name[64];
    std::size_t len = 0;
    // Keys with explicit curve parameters have no group name: not usable.
    if (EVP_PKEY_get_group_name(k, name, sizeof name, &len) != 1) return KeyType::other;
    switch (OBJ_sn2nid(name)) {
      case NID_X9_62_prime256v1:
        return KeyType::ec_p256;
      case NID_secp384r1:
        return KeyType::ec_p384;
      case NID_secp521r1:
        return KeyType::ec_p521;
      default:
        return KeyType::other;
    }
  }
  return KeyType::other;
}

Error incompatible(SignatureScheme s, KeyType t, std::string_view why = {}) {
  std::string m = "signature: scheme " + scheme_name(s) + " does not fit a " +
                  std::string(to_string(t)) + " key";
  if (!why.empty()) {
    m += " (";
    m += why;
    m += ")";
  }
  return Error(Alert::illegal_parameter, std::move(m));
}

// RFC 8017 §9.1.1: PSS needs emLen >= hLen + sLen + 2, and TLS 1.3 fixes
// sLen = hLen.
bool pss_fits(const EVP_PKEY* k, HashId h) noexcept {
  const int mod_bits = EVP_PKEY_get_bits(k);
  if (mod_bits <= 0) return false;
  const std::size_t em_len = (static_cast<std::size_t>(mod_bits) - 1 + 7) / 8;
  return em_len >= 2 * hash_length(h) + 2;
}

// Checks that `s` fits a key of `type` (before any libcrypto set-up).
Result<SchemeInfo> fitting_scheme(EVP_PKEY* k, KeyType type, SignatureScheme s, bool signing) {
  const auto info = scheme_info(s);
  if (!info || info->key == KeyType::other) return incompatible(s, type, "unsupported scheme");
  if (info->key != type) return incompatible(s, type);
  if (signing && info->padding == Padding::pkcs1)
    return incompatible(s, type, "RSASSA-PKCS1-v1_5 may not sign TLS 1.3 handshakes");
  if (info->padding == Padding::pss && !pss_fits(k, *info->hash))
    return incompatible(s, type, "modulus too small for PSS with this hash");
  return *info;
}

// RSA padding on a signature context: PKCS#1 v1.5, or PSS with salt =
// hash length and MGF1 over the scheme's hash. RSASSA-PSS keys may carry
// restrictions (hash, MGF1 hash, minimum salt length) that libcrypto
// enforces here, so a refusal means the scheme does not fit.
Result<void> set_padding(EVP_PKEY_CTX* pctx, KeyType type, SignatureScheme s,
                         const SchemeInfo& info) {
  if (info.padding == Padding::pkcs1) {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
      clear_openssl_errors();
      return Error(Alert::internal_error, "signature: cannot select PKCS#1 v1.5 padding");
    }
  } else if (info.padding == Padding::pss) {
    const EVP_MD* h = fetched().digest(*info.hash);
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, static_cast<int>(hash_length(*info.hash))) != 1) {
      clear_openssl_errors();
      if (type == KeyType::rsa_pss) return incompatible(s, type, "key's PSS parameters forbid it");
      return Error(Alert::internal_error, "signature: cannot select PSS padding");
    }
    // A restricted RSASSA-PSS key fixes its MGF1 hash (libcrypto refuses to
    // set it, even to the same value); otherwise MGF1 uses the scheme's hash.
    if (type == KeyType::rsa && EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, h) != 1) {
      clear_openssl_errors();
      return Error(Alert::internal_error, "signature: cannot set the MGF1 hash");
    }
    char mgf1[64] = {};
    if (EVP_PKEY_CTX_get_rsa_mgf1_md_name(pctx, mgf1, sizeof mgf1) != 1 || !EVP_MD_is_a(h, mgf1)) {
      clear_openssl_errors();
      return incompatible(s, type, "key's MGF1 hash differs");
    }
  }
  return ok();
}

// A sign or verify operation for a hashed scheme (ECDSA, RSA), taking the
// message's digest: we hash with crypto::Hash (no EVP_MD_CTX, no digest
// fetched by name per signature) and libcrypto signs or verifies the hash.
Result<EvpPkeyCtxPtr> begin_hashed(EVP_PKEY* k, KeyType type, SignatureScheme s,
                                   const SchemeInfo& info, bool signing) {
  EvpPkeyCtxPtr pctx(EVP_PKEY_CTX_new_from_pkey(nullptr, k, nullptr));
  if (!pctx) return Error(Alert::internal_error, "signature: out of memory");
  const int r = signing ? EVP_PKEY_sign_init(pctx.get()) : EVP_PKEY_verify_init(pctx.get());
  if (r != 1 || EVP_PKEY_CTX_set_signature_md(pctx.get(), fetched().digest(*info.hash)) != 1) {
    clear_openssl_errors();
    if (type == KeyType::rsa_pss) return incompatible(s, type, "key's PSS parameters forbid it");
    return Error(Alert::internal_error, "signature: cannot set up " + scheme_name(s));
  }
  TLS13_TRY(set_padding(pctx.get(), type, s, info));
  return pctx;
}

// EdDSA (no separate hash): a one-shot EVP_DigestSign/Verify context.
Result<EvpMdCtxPtr> begin_eddsa(EVP_PKEY* k, SignatureScheme s, bool signing) {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return Error(Alert::internal_error, "signature: out of memory");
  const int r =
      signing ? EVP_DigestSignInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, k, nullptr)
              : EVP_DigestVerifyInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, k, nullptr);
  if (r != 1) {
    clear_openssl_errors();
    return Error(Alert::internal_error, "signature: cannot set up " + scheme_name(s));
  }
  return ctx;
}

bool fits(EVP_PKEY* k, KeyType type, SignatureScheme s, bool signing) noexcept {
  const auto info = scheme_info(s);
  if (!k || !info || info->key != type) return false;
  if (signing && info->padding == Padding::pkcs1) return false;
  if (type != KeyType::rsa_pss) return info->padding != Padding::pss || pss_fits(k, *info->hash);
  // Restrictions are only known to libcrypto: try setting the operation up.
  return begin_hashed(k, type, s, *info, signing).ok();
}

const std::uint8_t kNoBytes[1] = {0};
const unsigned char* nz(std::span<const std::uint8_t> s) {
  return s.empty() ? kNoBytes : s.data();
}

std::vector<std::uint8_t> spki_of(EVP_PKEY* k) {
  unsigned char* der = nullptr;
  const int n = i2d_PUBKEY(k, &der);
  if (n <= 0) {
    clear_openssl_errors();
    return {};
  }
  std::vector<std::uint8_t> out(der, der + n);
  OPENSSL_free(der);
  return out;
}

bool is_ecdsa(KeyType t) noexcept {
  return t == KeyType::ec_p256 || t == KeyType::ec_p384 || t == KeyType::ec_p521;
}

#if !defined(OPENSSL_NO_DEPRECATED_3_0)
// The key's EC_KEY: libcrypto builds it from the provider key once and
// caches it in the EVP_PKEY (under the key's lock), so this is cheap after
// the first call and safe from several threads.
EC_KEY* ec_key_of(EVP_PKEY* k) noexcept {
  return const_cast<EC_KEY*>(EVP_PKEY_get0_EC_KEY(k));
}

struct EcdsaSigFree {
  void operator()(ECDSA_SIG* p) const noexcept { ECDSA_SIG_free(p); }
};
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;

// ECDSA over the EC_KEY with our own DER (crypto/ecdsa_der.h): the
// signature's length, 0 on failure.
std::size_t sign_ecdsa(EC_KEY* ek, std::span<const std::uint8_t> digest,
                       std::span<std::uint8_t, kEcdsaMaxDer> der) {
  EcdsaSigPtr sig(ECDSA_do_sign(digest.data(), static_cast<int>(digest.size()), ek));
  if (!sig) return 0;
  const BIGNUM* r = ECDSA_SIG_get0_r(sig.get());
  const BIGNUM* s = ECDSA_SIG_get0_s(sig.get());
  std::array<std::uint8_t, kEcdsaMaxScalar> rb;
  std::array<std::uint8_t, kEcdsaMaxScalar> sb;
  const int rn = BN_num_bytes(r);
  const int sn = BN_num_bytes(s);
  if (rn > static_cast<int>(rb.size()) || sn > static_cast<int>(sb.size())) return 0;
  BN_bn2bin(r, rb.data());
  BN_bn2bin(s, sb.data());
  return ecdsa_der_encode(std::span(rb).first(static_cast<std::size_t>(rn)),
                          std::span(sb).first(static_cast<std::size_t>(sn)), der);
}

// 1 valid, 0 invalid or malformed, -1 error.
int verify_ecdsa(EC_KEY* ek, std::span<const std::uint8_t> digest,
                 std::span<const std::uint8_t> der) {
  const auto parts = ecdsa_der_decode(der);
  if (!parts) return 0;
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(parts->r.data(), static_cast<int>(parts->r.size()), nullptr);
  BIGNUM* s = BN_bin2bn(parts->s.data(), static_cast<int>(parts->s.size()), nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return -1;
  }
  return ECDSA_do_verify(digest.data(), static_cast<int>(digest.size()), sig.get(), ek);
}
#endif

int no_password(char*, int, int, void*) {
  return -1;
}  // never prompt

}  // namespace

std::string_view to_string(KeyType t) noexcept {
  switch (t) {
    case KeyType::rsa:
      return "rsa";
    case KeyType::rsa_pss:
      return "rsa_pss";
    case KeyType::ec_p256:
      return "ec_p256";
    case KeyType::ec_p384:
      return "ec_p384";
    case KeyType::ec_p521:
      return "ec_p521";
    case KeyType::ed25519:
      return "ed25519";
    case KeyType::ed448:
      return "ed448";
    case KeyType::other:
      return "other";
  }
  return "other";
}

KeyType key_type_for(SignatureScheme s) noexcept {
  const auto info = scheme_info(s);
  return info ? info->key : KeyType::other;
}

std::optional<HashId> scheme_hash(SignatureScheme s) noexcept {
  const auto info = scheme_info(s);
  return info ? info->hash : std::nullopt;
}

bool handshake_scheme(SignatureScheme s) noexcept {
  const auto info = scheme_info(s);
  return info && info->padding != Padding::pkcs1;
}

CertificateVerifyInput::CertificateVerifyInput(CertificateVerifySide side,
                                               std::span<const std::uint8_t> transcript_hash) {
  static constexpr std::string_view kServer = "TLS 1.3, server CertificateVerify";
  static constexpr std::string_view kClient = "TLS 1.3, client CertificateVerify";
  static_assert(kServer.size() == 33 && kClient.size() == 33);
  const std::string_view context = side == CertificateVerifySide::server ? kServer : kClient;
  len_ = kPrefix + transcript_hash.size();
  std::uint8_t* out = buf_.data();
  if (transcript_hash.size() > kMaxHashLength) {
    big_.resize(len_);
    out = big_.data();
  }
  std::fill(out, out + 64, std::uint8_t{0x20});
  std::copy(context.begin(), context.end(), out + 64);
  out[64 + context.size()] = 0;
  std::copy(transcript_hash.begin(), transcript_hash.end(), out + kPrefix);
}

CertificateVerifyInput certificate_verify_input(CertificateVerifySide side,
                                                std::span<const std::uint8_t> transcript_hash) {
  return CertificateVerifyInput(side, transcript_hash);
}

// ---- PublicKey ----

Result<PublicKey> PublicKey::from_spki_der(std::span<const std::uint8_t> spki) {
  if (spki.empty() || spki.size() > static_cast<std::size_t>(std::numeric_limits<long>::max()))
    return Error(Alert::bad_certificate, "public key: empty SubjectPublicKeyInfo");
  const unsigned char* p = spki.data();
  EVP_PKEY* k = d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size()));
  if (!k) {
    clear_openssl_errors();
    return Error(Alert::bad_certificate, "public key: cannot parse SubjectPublicKeyInfo");
  }
  if (p != spki.data() + spki.size()) {
    EVP_PKEY_free(k);
    return Error(Alert::bad_certificate, "public key: trailing bytes after SubjectPublicKeyInfo");
  }
  return adopt(k);
}

PublicKey PublicKey::adopt(evp_pkey_st* pkey) noexcept {
  return PublicKey(pkey, pkey ? classify(pkey) : KeyType::other);
}

PublicKey::~PublicKey() {
  EVP_PKEY_free(pkey_);
}

PublicKey::PublicKey(const PublicKey& o) noexcept : pkey_(o.pkey_), type_(o.type_) {
  if (pkey_) EVP_PKEY_up_ref(pkey_);
}

PublicKey& PublicKey::operator=(const PublicKey& o) noexcept {
  if (this != &o) {
    if (o.pkey_) EVP_PKEY_up_ref(o.pkey_);
    EVP_PKEY_free(pkey_);
    pkey_ = o.pkey_;
    type_ = o.type_;
  }
  return *this;
}

PublicKey::PublicKey(PublicKey&& o) noexcept
    : pkey_(std::exchange(o.pkey_, nullptr)), type_(o.type_) {}

PublicKey& PublicKey::operator=(PublicKey&& o) noexcept {
  if (this != &o) {
    EVP_PKEY_free(pkey_);
    pkey_ = std::exchange(o.pkey_, nullptr);
    type_ = o.type_;
  }
  return *this;
}

int PublicKey::bits() const noexcept {
  return pkey_ ? EVP_PKEY_get_bits(pkey_) : 0;
}

bool PublicKey::compatible(SignatureScheme s) const noexcept {
  return fits(pkey_, type_, s, /*signing=*/false);
}

Result<void> PublicKey::verify(SignatureScheme s, std::span<const std::uint8_t> message,
                               std::span<const std::uint8_t> signature) const {
  if (!pkey_) return Error(Alert::internal_error, "signature: empty public key");
  TLS13_ASSIGN_OR_RETURN(const SchemeInfo info, fitting_scheme(pkey_, type_, s, false));
  // RFC 8017 §8.1.2/§8.2.2 step 1: an RSA signature is exactly k octets;
  // libcrypto would accept a shorter one.
  if ((type_ == KeyType::rsa || type_ == KeyType::rsa_pss) &&
      signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(pkey_)))
    return Error(Alert::decrypt_error, "signature: " + scheme_name(s) + " signature has length " +
                                           std::to_string(signature.size()) + ", expected " +
                                           std::to_string(EVP_PKEY_get_size(pkey_)));
  int r = 0;
#if !defined(OPENSSL_NO_DEPRECATED_3_0)
  if (is_ecdsa(type_)) {
    EC_KEY* ek = ec_key_of(pkey_);
    if (!ek) return Error(Alert::internal_error, "signature: key has no EC form");
    if constexpr (kUnsafeFuzzingMode) return ok();  // fuzz build only (base/fuzzing_mode.h)
    if (signature.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
      return Error(Alert::decrypt_error, "signature: " + scheme_name(s) + " signature too long");
    const Digest d = Hash::oneshot(*info.hash, message);
    // The DER must be canonical (ecdsa_der_decode is strict); parsed here,
    // libcrypto's ECDSA_verify would decode and re-encode it through ASN.1
    // objects (a dozen allocations). 1 valid, 0 invalid, -1 error.
    r = verify_ecdsa(ek, d.span(), signature);
  } else
#endif
      if (info.hash) {
    TLS13_ASSIGN_OR_RETURN(EvpPkeyCtxPtr pctx, begin_hashed(pkey_, type_, s, info, false));
    if constexpr (kUnsafeFuzzingMode) return ok();  // fuzz build only (base/fuzzing_mode.h)
    const Digest d = Hash::oneshot(*info.hash, message);
    r = EVP_PKEY_verify(pctx.get(), nz(signature), signature.size(), d.data(), d.size());
  } else {
    TLS13_ASSIGN_OR_RETURN(EvpMdCtxPtr ctx, begin_eddsa(pkey_, s, false));
    if constexpr (kUnsafeFuzzingMode) return ok();
    r = EVP_DigestVerify(ctx.get(), nz(signature), signature.size(), nz(message), message.size());
  }
  if (r != 1) {
    clear_openssl_errors();
    return Error(Alert::decrypt_error,
                 "signature: " + scheme_name(s) + " signature does not verify");
  }
  return ok();
}

std::vector<std::uint8_t> PublicKey::spki_der() const {
  return pkey_ ? spki_of(pkey_) : std::vector<std::uint8_t>{};
}

// ---- PrivateKey ----

Result<PrivateKey> PrivateKey::from_pem(std::string_view pem) {
  if (pem.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    return Error(Alert::decode_error, "private key: PEM too large");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return Error(Alert::internal_error, "private key: out of memory");
  EVP_PKEY* k =
      PEM_read_bio_PrivateKey_ex(bio.get(), nullptr, no_password, nullptr, nullptr, nullptr);
  if (!k) {
    clear_openssl_errors();
    return Error(Alert::decode_error, "private key: no usable (unencrypted) key in PEM");
  }
  return PrivateKey(k, classify(k));
}

Result<PrivateKey> PrivateKey::from_der(std::span<const std::uint8_t> der) {
  if (der.empty() || der.size() > static_cast<std::size_t>(std::numeric_limits<long>::max()))
    return Error(Alert::decode_error, "private key: empty DER");
  const unsigned char* p = der.data();
  EVP_PKEY* k = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size()));
  if (!k) {
    clear_openssl_errors();
    return Error(Alert::decode_error, "private key: cannot parse DER (PKCS#8 or traditional)");
  }
  if (p != der.data() + der.size()) {
    EVP_PKEY_free(k);
    return Error(Alert::decode_error, "private key: trailing bytes after the key");
  }
  return PrivateKey(k, classify(k));
}

Result<PrivateKey> PrivateKey::generate(KeyType t) {
  EVP_PKEY* k = nullptr;
  switch (t) {
    case KeyType::rsa:
      k = EVP_RSA_gen(2048);
      break;
    case KeyType::rsa_pss: {
      EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA-PSS", nullptr));
      if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
          EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), 2048) != 1 ||
          EVP_PKEY_keygen(ctx.get(), &k) != 1)
        k = nullptr;
      break;
    }
    case KeyType::ec_p256:
      k = EVP_EC_gen("P-256");
      break;
    case KeyType::ec_p384:
      k = EVP_EC_gen("P-384");
      break;
    case KeyType::ec_p521:
      k = EVP_EC_gen("P-521");
      break;
    case KeyType::ed25519:
      k = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
    case KeyType::ed448:
      k = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED448");
      break;
    case KeyType::other:
      return Error(Alert::internal_error, "private key: cannot generate 'other'");
  }
  if (!k) {
    clear_openssl_errors();
    return Error(Alert::internal_error,
                 "private key: generating a " + std::string(to_string(t)) + " key failed");
  }
  return PrivateKey(k, t);
}

PrivateKey::~PrivateKey() {
  EVP_PKEY_free(pkey_);
}

PrivateKey::PrivateKey(PrivateKey&& o) noexcept
    : pkey_(std::exchange(o.pkey_, nullptr)), type_(o.type_) {}

PrivateKey& PrivateKey::operator=(PrivateKey&& o) noexcept {
  if (this != &o) {
    EVP_PKEY_free(pkey_);
    pkey_ = std::exchange(o.pkey_, nullptr);
    type_ = o.type_;
  }
  return *this;
}

int PrivateKey::bits() const noexcept {
  return pkey_ ? EVP_PKEY_get_bits(pkey_) : 0;
}

std::vector<SignatureScheme> PrivateKey::schemes() const {
  using S = SignatureScheme;
  static constexpr S kPreference[] = {
      S::ecdsa_secp256r1_sha256,
      S::ecdsa_secp384r1_sha384,
      S::ecdsa_secp521r1_sha512,
      S::ed25519,
      S::ed448,
      S::rsa_pss_rsae_sha256,
      S::rsa_pss_rsae_sha384,
      S::rsa_pss_rsae_sha512,
      S::rsa_pss_pss_sha256,
      S::rsa_pss_pss_sha384,
      S::rsa_pss_pss_sha512,
  };
  std::vector<SignatureScheme> out;
  for (S s : kPreference)
    if (compatible(s)) out.push_back(s);
  return out;
}

bool PrivateKey::compatible(SignatureScheme s) const noexcept {
  return fits(pkey_, type_, s, /*signing=*/true);
}

Result<std::vector<std::uint8_t>> PrivateKey::sign(SignatureScheme s,
                                                   std::span<const std::uint8_t> message) const {
  if (!pkey_) return Error(Alert::internal_error, "signature: empty private key");
  TLS13_ASSIGN_OR_RETURN(const SchemeInfo info, fitting_scheme(pkey_, type_, s, true));
  const int max = EVP_PKEY_get_size(pkey_);
  if (max <= 0) return Error(Alert::internal_error, "signature: unknown signature size");
  std::vector<std::uint8_t> sig(static_cast<std::size_t>(max));
  std::size_t len = sig.size();
  int r = 0;
#if !defined(OPENSSL_NO_DEPRECATED_3_0)
  if (is_ecdsa(type_)) {
    EC_KEY* ek = ec_key_of(pkey_);
    if (!ek) return Error(Alert::internal_error, "signature: key has no EC form");
    const Digest d = Hash::oneshot(*info.hash, message);
    std::array<std::uint8_t, kEcdsaMaxDer> der;
    len = sign_ecdsa(ek, d.span(), der);
    r = len > 0 && len <= sig.size() ? 1 : 0;
    if (r == 1) std::copy_n(der.begin(), len, sig.begin());
  } else
#endif
      if (info.hash) {
    TLS13_ASSIGN_OR_RETURN(EvpPkeyCtxPtr pctx, begin_hashed(pkey_, type_, s, info, true));
    const Digest d = Hash::oneshot(*info.hash, message);
    r = EVP_PKEY_sign(pctx.get(), sig.data(), &len, d.data(), d.size());
  } else {
    TLS13_ASSIGN_OR_RETURN(EvpMdCtxPtr ctx, begin_eddsa(pkey_, s, true));
    r = EVP_DigestSign(ctx.get(), sig.data(), &len, nz(message), message.size());
  }
  if (r != 1) {
    clear_openssl_errors();
    return Error(Alert::internal_error, "signature: signing with " + scheme_name(s) + " failed");
  }
  sig.resize(len);
  return sig;
}

PublicKey PrivateKey::public_key() const {
  const auto spki = public_spki_der();
  auto pub = PublicKey::from_spki_der(spki);
  // Our own key always re-encodes; an empty key gives an empty PublicKey.
  return pub.ok() ? std::move(pub).value() : PublicKey::adopt(nullptr);
}

std::vector<std::uint8_t> PrivateKey::public_spki_der() const {
  return pkey_ ? spki_of(pkey_) : std::vector<std::uint8_t>{};
}

std::string PrivateKey::to_pem() const {
  if (!pkey_) return {};
  // A secure-heap BIO, so the encoded key is wiped when the BIO goes.
  BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio ||
      PEM_write_bio_PKCS8PrivateKey(bio.get(), pkey_, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    clear_openssl_errors();
    return {};
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace tls13::crypto
