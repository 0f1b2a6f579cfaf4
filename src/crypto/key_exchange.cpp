#include "crypto/key_exchange.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include <array>
#include <string>

#include "base/secret.h"
#include "crypto/fetched.h"

namespace tls13::crypto {

namespace {

enum class Kind : std::uint8_t { ecx, ec, ffdhe };

struct GroupSpec {
  NamedGroup group;
  Kind kind;
  const char* keytype;     // key management name for EVP_PKEY_CTX_new_from_name
  const char* exchange;    // key exchange name, only probed for availability
  const char* group_name;  // OSSL_PKEY_PARAM_GROUP_NAME (EC, DH); null for X25519/X448
  int nid;                 // curve NID (EC)
  std::size_t elem_len;    // key size (X25519/X448), field size (EC), prime size (DH)
  std::size_t scalar_len;  // private scalar bytes
  int scalar_bits;         // bits drawn for a scalar: the EC order's size, the FFDHE exponent's
};

// FFDHE exponents follow RFC 7919 Appendix A ("choose a secret key of at
// least 225 / 275 bits"): short exponents keep the modexp cheap without
// falling below the group's strength.
constexpr std::array<GroupSpec, 7> kGroups = {{
    {NamedGroup::x25519, Kind::ecx, "X25519", "X25519", nullptr, 0, 32, 32, 256},
    {NamedGroup::x448, Kind::ecx, "X448", "X448", nullptr, 0, 56, 56, 448},
    {NamedGroup::secp256r1, Kind::ec, "EC", "ECDH", "P-256", NID_X9_62_prime256v1, 32, 32, 256},
    {NamedGroup::secp384r1, Kind::ec, "EC", "ECDH", "P-384", NID_secp384r1, 48, 48, 384},
    {NamedGroup::secp521r1, Kind::ec, "EC", "ECDH", "P-521", NID_secp521r1, 66, 66, 521},
    {NamedGroup::ffdhe2048, Kind::ffdhe, "DH", "DH", "ffdhe2048", 0, 256, 29, 225},
    {NamedGroup::ffdhe3072, Kind::ffdhe, "DH", "DH", "ffdhe3072", 0, 384, 35, 275},
}};

constexpr std::size_t kMaxScalar = 66;  // P-521
constexpr std::size_t kMaxShare = 384;  // ffdhe3072

// Our key_exchange bytes, held inline.
struct PubBytes {
  std::array<std::uint8_t, kMaxShare> bytes{};
  std::size_t len = 0;
  std::span<std::uint8_t> resize(std::size_t n) {
    len = n;
    return std::span(bytes).first(n);
  }
  std::span<const std::uint8_t> span() const { return std::span(bytes).first(len); }
};

int index_of(NamedGroup g) noexcept {
  for (std::size_t i = 0; i < kGroups.size(); ++i) {
    if (kGroups[i].group == g) return static_cast<int>(i);
  }
  return -1;
}

std::size_t share_length(const GroupSpec& s) noexcept {
  return s.kind == Kind::ec ? 1 + 2 * s.elem_len : s.elem_len;
}

// RAII for the libcrypto objects used here.
struct PkeyFree {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const noexcept { EVP_PKEY_CTX_free(p); }
};
struct BnClearFree {
  void operator()(BIGNUM* p) const noexcept { BN_clear_free(p); }
};
struct BnCtxFree {
  void operator()(BN_CTX* p) const noexcept { BN_CTX_free(p); }
};
struct PointFree {
  void operator()(EC_POINT* p) const noexcept { EC_POINT_free(p); }
};
struct BldFree {
  void operator()(OSSL_PARAM_BLD* p) const noexcept { OSSL_PARAM_BLD_free(p); }
};
// OSSL_PARAM_BLD_to_param places BN_FLG_SECURE numbers (our private
// scalars, see scalar_from) in a separate block that OSSL_PARAM_free wipes.
struct ParamFree {
  void operator()(OSSL_PARAM* p) const noexcept { OSSL_PARAM_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using BnPtr = std::unique_ptr<BIGNUM, BnClearFree>;
using BnCtxPtr = std::unique_ptr<BN_CTX, BnCtxFree>;
using PointPtr = std::unique_ptr<EC_POINT, PointFree>;
using BldPtr = std::unique_ptr<OSSL_PARAM_BLD, BldFree>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, ParamFree>;

// Every failure path drains libcrypto's error queue so it cannot leak into
// an unrelated later operation.
Error fail(Alert a, std::string msg) {
  clear_openssl_errors();
  return Error(a, std::move(msg));
}
Error internal(const char* what) {
  return fail(Alert::internal_error, std::string("key_share: ") + what);
}
Error illegal(const GroupSpec& s, const char* what) {
  return fail(Alert::illegal_parameter,
              std::string("key_share: ") + std::string(to_string(s.group)) + " " + what);
}

// Process-wide, read-only after construction: curve groups for scalar
// multiplication and point validation, FFDHE primes, and which groups this
// libcrypto can actually do.
struct Tables {
  std::array<bool, kGroups.size()> available{};
  std::array<EC_GROUP*, kGroups.size()> ec{};
  std::array<BIGNUM*, kGroups.size()> p{};
  std::array<BIGNUM*, kGroups.size()> p_minus_1{};
  std::array<BIGNUM*, kGroups.size()> g{};
  std::array<BN_MONT_CTX*, kGroups.size()> mont{};
};

bool load_ffdhe(Tables& t, std::size_t i) {
  const GroupSpec& s = kGroups[i];
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "DH", nullptr));
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return false;
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                                          const_cast<char*>(s.group_name), 0),
                         OSSL_PARAM_construct_end()};
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_KEY_PARAMETERS, params) != 1) return false;
  PkeyPtr pk(raw);
  if (EVP_PKEY_get_bn_param(pk.get(), OSSL_PKEY_PARAM_FFC_P, &t.p[i]) != 1 ||
      EVP_PKEY_get_bn_param(pk.get(), OSSL_PKEY_PARAM_FFC_G, &t.g[i]) != 1)
    return false;
  if (static_cast<std::size_t>(BN_num_bytes(t.p[i])) != s.elem_len) return false;
  t.p_minus_1[i] = BN_dup(t.p[i]);
  if (!t.p_minus_1[i] || BN_sub_word(t.p_minus_1[i], 1) != 1) return false;
  BnCtxPtr bn_ctx(BN_CTX_new());
  t.mont[i] = BN_MONT_CTX_new();
  return bn_ctx && t.mont[i] && BN_MONT_CTX_set(t.mont[i], t.p[i], bn_ctx.get()) == 1;
}

Tables make_tables() {
  Tables t;
  for (std::size_t i = 0; i < kGroups.size(); ++i) {
    const GroupSpec& s = kGroups[i];
    EVP_KEYMGMT* km = EVP_KEYMGMT_fetch(nullptr, s.keytype, nullptr);
    EVP_KEYEXCH* kx = EVP_KEYEXCH_fetch(nullptr, s.exchange, nullptr);
    bool ok = km && kx;
    EVP_KEYMGMT_free(km);
    EVP_KEYEXCH_free(kx);
    if (ok && s.kind == Kind::ec) {
      t.ec[i] = EC_GROUP_new_by_curve_name(s.nid);
      ok = t.ec[i] && BN_num_bits(EC_GROUP_get0_order(t.ec[i])) == s.scalar_bits;
    }
    if (ok && s.kind == Kind::ffdhe) ok = load_ffdhe(t, i);
    t.available[i] = ok;
  }
  clear_openssl_errors();  // probing a missing algorithm leaves errors behind
  return t;
}

const Tables& tables() {
  static const Tables t = make_tables();  // thread-safe init, immutable afterwards
  return t;
}

// EVP_PKEY_fromdata needs a context, and OpenSSL 3.0 can neither duplicate a
// fromdata context nor promise that one is safe to share between threads.
// Each thread therefore keeps its own, created on first use, so building a
// key does not fetch the key management by name every time.
//
// The peer's public key is imported into the thread's EVP_PKEY of its group
// each time (EVP_PKEY_fromdata replaces the key inside an existing
// EVP_PKEY): two allocations less per derivation. That object only ever
// holds a peer's public value and is used within one derive() call.
struct ThreadFromdata {
  std::array<EVP_PKEY_CTX*, kGroups.size()> ctx{};
  std::array<EVP_PKEY*, kGroups.size()> peer{};
  ~ThreadFromdata() {
    for (EVP_PKEY_CTX* c : ctx) EVP_PKEY_CTX_free(c);
    for (EVP_PKEY* p : peer) EVP_PKEY_free(p);
  }
};

ThreadFromdata& thread_fromdata() {
  thread_local ThreadFromdata cache;
  return cache;
}

EVP_PKEY_CTX* fromdata_ctx(std::size_t i) {
  EVP_PKEY_CTX*& c = thread_fromdata().ctx[i];
  if (!c) {
    c = EVP_PKEY_CTX_new_from_name(nullptr, kGroups[i].keytype, nullptr);
    if (c && EVP_PKEY_fromdata_init(c) != 1) {
      EVP_PKEY_CTX_free(c);
      c = nullptr;
    }
  }
  return c;
}

PkeyPtr import(std::size_t i, OSSL_PARAM* params, int selection) {
  EVP_PKEY_CTX* ctx = fromdata_ctx(i);
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata(ctx, &raw, selection, params) != 1) return nullptr;
  return PkeyPtr(raw);
}

// A public key in the thread's peer EVP_PKEY for group i (see above); valid
// until the next call for the same group on this thread.
EVP_PKEY* import_public(std::size_t i, OSSL_PARAM* params) {
  EVP_PKEY_CTX* ctx = fromdata_ctx(i);
  EVP_PKEY*& slot = thread_fromdata().peer[i];
  if (!ctx || EVP_PKEY_fromdata(ctx, &slot, EVP_PKEY_PUBLIC_KEY, params) != 1) return nullptr;
  return slot;
}

// A private key plus our key_exchange bytes. EC keys stay a bare scalar on
// the cached curve group (no EVP_PKEY: importing one rebuilds the group).
struct Built {
  PkeyPtr pkey;  // X25519, X448, FFDHE
  BnPtr scalar;  // EC
  PubBytes pub;
};

Result<Built> build_ecx(std::size_t i, std::span<const std::uint8_t> priv) {
  const GroupSpec& s = kGroups[i];
  if (priv.size() != s.scalar_len) return internal("private key has the wrong length");
  // The provider derives the public key from the private one on import.
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PRIV_KEY,
                                        const_cast<std::uint8_t*>(priv.data()), priv.size()),
      OSSL_PARAM_construct_end()};
  Built b;
  b.pkey = import(i, params, EVP_PKEY_KEYPAIR);
  if (!b.pkey) return internal("cannot import private key");
  auto out = b.pub.resize(s.elem_len);
  std::size_t n = out.size();
  // Read as a key parameter: EVP_PKEY_get_raw_public_key exports the whole
  // key through a parameter builder (five allocations) for the same bytes.
  if (EVP_PKEY_get_octet_string_param(b.pkey.get(), OSSL_PKEY_PARAM_PUB_KEY, out.data(), n, &n) !=
          1 ||
      n != s.elem_len)
    return internal("cannot export public key");
  return b;
}

// Imports a key pair whose public part we computed ourselves (EC, DH):
// OpenSSL 3.0 does not derive it on import for these types.
Result<Built> import_pair(std::size_t i, const BIGNUM* priv,
                          std::span<const std::uint8_t> pub_octets, const BIGNUM* pub_bn,
                          const PubBytes& pub) {
  const GroupSpec& s = kGroups[i];
  BldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, s.group_name, 0) !=
          1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv) != 1)
    return internal("out of memory");
  const int pushed = pub_bn
                         ? OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub_bn)
                         : OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY,
                                                            pub_octets.data(), pub_octets.size());
  if (pushed != 1) return internal("out of memory");
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) return internal("out of memory");
  Built b;
  b.pkey = import(i, params.get(), EVP_PKEY_KEYPAIR);
  if (!b.pkey) return internal("cannot import private key");
  b.pub = pub;
  return b;
}

// d must satisfy 0 < d < n. Takes the scalar: the key is d itself.
Result<Built> build_ec(std::size_t i, BnPtr d) {
  const GroupSpec& s = kGroups[i];
  const EC_GROUP* grp = tables().ec[i];
  BnCtxPtr bn_ctx(BN_CTX_new());
  PointPtr q(EC_POINT_new(grp));
  if (!bn_ctx || !q) return internal("out of memory");
  // Q = d*G; the fixed-base multiplication in libcrypto is constant time.
  if (EC_POINT_mul(grp, q.get(), d.get(), nullptr, nullptr, bn_ctx.get()) != 1)
    return internal("scalar multiplication failed");
  Built b;
  auto out = b.pub.resize(share_length(s));
  if (EC_POINT_point2oct(grp, q.get(), POINT_CONVERSION_UNCOMPRESSED, out.data(), out.size(),
                         bn_ctx.get()) != out.size())
    return internal("cannot encode public point");
  b.scalar = std::move(d);
  return b;
}

// x must satisfy 1 < x < p-1.
Result<Built> build_ffdhe(std::size_t i, const BIGNUM* x) {
  const GroupSpec& s = kGroups[i];
  const Tables& t = tables();
  BnCtxPtr bn_ctx(BN_CTX_new());
  BnPtr y(BN_new());
  if (!bn_ctx || !y) return internal("out of memory");
  if (BN_mod_exp_mont_consttime(y.get(), t.g[i], x, t.p[i], bn_ctx.get(), t.mont[i]) != 1)
    return internal("modular exponentiation failed");
  // RFC 8446 §4.2.8.1: Y left-padded with zeros to the size of p.
  PubBytes pub;
  auto out = pub.resize(s.elem_len);
  if (BN_bn2binpad(y.get(), out.data(), static_cast<int>(out.size())) < 0)
    return internal("cannot encode public value");
  return import_pair(i, x, {}, y.get(), pub);
}

// Private scalars live in "secure" bignums: wiped on free, and copied into
// the wiped block of the OSSL_PARAM array when imported.
BnPtr scalar_from(std::span<const std::uint8_t> bytes) {
  BnPtr bn(BN_secure_new());
  if (!bn || !BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), bn.get())) return nullptr;
  BN_set_flags(bn.get(), BN_FLG_CONSTTIME);
  return bn;
}

// Range check for a private scalar: EC 0 < d < n; FFDHE 1 < x < p-1.
bool scalar_in_range(std::size_t i, const BIGNUM* k) {
  const GroupSpec& s = kGroups[i];
  if (s.kind == Kind::ec)
    return !BN_is_zero(k) && BN_cmp(k, EC_GROUP_get0_order(tables().ec[i])) < 0;
  return BN_cmp(k, BN_value_one()) > 0 && BN_cmp(k, tables().p_minus_1[i]) < 0;
}

Result<Built> build_from_scalar(std::size_t i, std::span<const std::uint8_t> bytes) {
  BnPtr k = scalar_from(bytes);
  if (!k) return internal("out of memory");
  if (!scalar_in_range(i, k.get())) return internal("private scalar out of range");
  return kGroups[i].kind == Kind::ec ? build_ec(i, std::move(k)) : build_ffdhe(i, k.get());
}

// Clears the excess top bits so a candidate has scalar_bits bits (P-521's
// 521-bit order, FFDHE short exponents): keeps rejections rare.
std::uint8_t top_byte_mask(const GroupSpec& s) {
  const int rem = s.scalar_bits % 8;
  return rem == 0 ? 0xff : static_cast<std::uint8_t>((1u << rem) - 1);
}

// A uniform scalar by rejection sampling over the injected RandomSource, so
// fixed traces replay exactly. The bound only stops a broken source (e.g. one
// that always returns 0xff) from looping forever; a real one needs about one
// draw.
Result<Built> generate_scalar_key(std::size_t i, RandomSource& rng) {
  const GroupSpec& s = kGroups[i];
  Secret<kMaxScalar> buf;
  auto out = buf.resize_for_write(s.scalar_len);
  for (int attempt = 0; attempt < 64; ++attempt) {
    rng.fill(out);
    out[0] &= top_byte_mask(s);
    BnPtr k = scalar_from(out);
    if (!k) return internal("out of memory");
    if (!scalar_in_range(i, k.get())) continue;
    return s.kind == Kind::ec ? build_ec(i, std::move(k)) : build_ffdhe(i, k.get());
  }
  return internal("random source gave no valid private scalar");
}

}  // namespace

struct KeyShare::Key {
  PkeyPtr pkey;  // X25519, X448, FFDHE
  BnPtr scalar;  // EC: d, secure and constant-time flagged
  PubBytes pub;  // our key_exchange bytes
};

bool key_exchange_supported(NamedGroup g) noexcept {
  const int i = index_of(g);
  return i >= 0 && tables().available[static_cast<std::size_t>(i)];
}

std::size_t key_share_length(NamedGroup g) noexcept {
  return key_exchange_supported(g) ? share_length(kGroups[static_cast<std::size_t>(index_of(g))])
                                   : 0;
}

KeyShare::KeyShare(NamedGroup g, std::unique_ptr<Key> key) noexcept
    : group_(g), key_(std::move(key)) {}
KeyShare::~KeyShare() = default;
KeyShare::KeyShare(KeyShare&&) noexcept = default;
KeyShare& KeyShare::operator=(KeyShare&&) noexcept = default;

std::span<const std::uint8_t> KeyShare::public_key() const noexcept {
  return key_ ? key_->pub.span() : std::span<const std::uint8_t>{};
}

Result<KeyShare> KeyShare::generate(NamedGroup g, RandomSource& rng) {
  if (!key_exchange_supported(g)) return internal("unsupported group");
  const auto i = static_cast<std::size_t>(index_of(g));
  Result<Built> built = [&]() -> Result<Built> {
    if (kGroups[i].kind != Kind::ecx) return generate_scalar_key(i, rng);
    Secret<kMaxScalar> priv;  // X25519/X448 clamp any 32/56 bytes internally
    rng.fill(priv.resize_for_write(kGroups[i].scalar_len));
    return build_ecx(i, priv.span());
  }();
  if (!built) return std::move(built).error();
  auto key = std::make_unique<Key>();
  key->pkey = std::move(built->pkey);
  key->scalar = std::move(built->scalar);
  key->pub = built->pub;
  return KeyShare(g, std::move(key));
}

Result<KeyShare> KeyShare::from_private_key(NamedGroup g, std::span<const std::uint8_t> priv) {
  if (!key_exchange_supported(g)) return internal("unsupported group");
  const auto i = static_cast<std::size_t>(index_of(g));
  const GroupSpec& s = kGroups[i];
  Result<Built> built = [&]() -> Result<Built> {
    if (s.kind == Kind::ecx) return build_ecx(i, priv);
    const bool length_ok = s.kind == Kind::ec ? priv.size() == s.scalar_len
                                              : !priv.empty() && priv.size() <= s.elem_len;
    if (!length_ok) return internal("private key has the wrong length");
    return build_from_scalar(i, priv);
  }();
  if (!built) return std::move(built).error();
  auto key = std::make_unique<Key>();
  key->pkey = std::move(built->pkey);
  key->scalar = std::move(built->scalar);
  key->pub = built->pub;
  return KeyShare(g, std::move(key));
}

namespace {

// The peer's key_exchange as an EVP_PKEY (the thread's peer object, see
// import_public), after the checks RFC 8446 asks for (§4.2.8.1 FFDHE range;
// EC points are checked in derive_ec).
Result<EVP_PKEY*> import_peer(std::size_t i, std::span<const std::uint8_t> peer) {
  const GroupSpec& s = kGroups[i];
  if (peer.size() != share_length(s)) return illegal(s, "key_exchange has the wrong length");
  EVP_PKEY* key = nullptr;
  switch (s.kind) {
    case Kind::ecx: {
      // Every 32/56-byte string is a u-coordinate; small-order inputs are
      // caught by the all-zero output check after derivation.
      OSSL_PARAM params[] = {
          OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
                                            const_cast<std::uint8_t*>(peer.data()), peer.size()),
          OSSL_PARAM_construct_end()};
      key = import_public(i, params);
      break;
    }
    case Kind::ec:
      return internal("EC shares are not imported");  // derive_ec()
    case Kind::ffdhe: {
      BnPtr y(BN_bin2bn(peer.data(), static_cast<int>(peer.size()), nullptr));
      if (!y) return internal("out of memory");
      if (BN_cmp(y.get(), BN_value_one()) <= 0 || BN_cmp(y.get(), tables().p_minus_1[i]) >= 0)
        return illegal(s, "public value is not in 1 < Y < p-1");
      // RFC 7919 primes are safe primes (p = 2q+1), so the order-q subgroup
      // is exactly the quadratic residues: a Legendre symbol of 1 proves
      // membership for the cost of a gcd, where Y^q mod p would cost a full
      // exponentiation (and libcrypto 3.0 checks neither). Y is public, so
      // the variable-time symbol leaks nothing.
      BnCtxPtr bn_ctx(BN_CTX_new());
      if (!bn_ctx) return internal("out of memory");
      const int legendre = BN_kronecker(y.get(), tables().p[i], bn_ctx.get());
      if (legendre == -2) return internal("Legendre symbol failed");
      if (legendre != 1) return illegal(s, "public value is not in the prime-order subgroup");
      BldPtr bld(OSSL_PARAM_BLD_new());
      if (!bld ||
          OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, s.group_name, 0) !=
              1 ||
          OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, y.get()) != 1)
        return internal("out of memory");
      ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
      if (!params) return internal("out of memory");
      key = import_public(i, params.get());
      break;
    }
  }
  if (!key) return internal("cannot import peer key");
  return key;
}

// ECDH on the cached group (RFC 8446 §7.4.2): the peer's point is checked
// as §4.2.8.2 asks (uncompressed, coordinates below p, on the curve, not
// the point at infinity), then Z = d*Q with the constant-time flagged
// scalar, as libcrypto's own ECDH does; the secret is Z's x-coordinate.
Result<SecretBytes> derive_ec(std::size_t i, const BIGNUM* d, std::span<const std::uint8_t> peer) {
  const GroupSpec& s = kGroups[i];
  if (peer.size() != share_length(s)) return illegal(s, "key_exchange has the wrong length");
  if (peer[0] != POINT_CONVERSION_UNCOMPRESSED)
    return illegal(s, "point is not in uncompressed form");
  const EC_GROUP* grp = tables().ec[i];
  BnCtxPtr bn_ctx(BN_CTX_new());
  PointPtr q(EC_POINT_new(grp));
  PointPtr z(EC_POINT_new(grp));
  if (!bn_ctx || !q || !z) return internal("out of memory");
  if (EC_POINT_oct2point(grp, q.get(), peer.data(), peer.size(), bn_ctx.get()) != 1 ||
      EC_POINT_is_on_curve(grp, q.get(), bn_ctx.get()) != 1)
    return illegal(s, "point is not on the curve");
  if (EC_POINT_is_at_infinity(grp, q.get())) return illegal(s, "point is the point at infinity");
  if (EC_POINT_mul(grp, z.get(), nullptr, q.get(), d, bn_ctx.get()) != 1)
    return internal("derivation failed");
  // Prime-order curves (cofactor 1): a valid Q and 0 < d < n never give
  // infinity; checked anyway rather than trusted.
  if (EC_POINT_is_at_infinity(grp, z.get())) return illegal(s, "shared point is at infinity");
  BnPtr x(BN_secure_new());
  if (!x || EC_POINT_get_affine_coordinates(grp, z.get(), x.get(), nullptr, bn_ctx.get()) != 1)
    return internal("derivation failed");
  SecretBytes secret(s.elem_len);  // §7.4.2: the x-coordinate, padded to the field size
  if (BN_bn2binpad(x.get(), secret.data(), static_cast<int>(secret.size())) < 0)
    return internal("derivation failed");
  return secret;
}

}  // namespace

Result<SecretBytes> KeyShare::derive(std::span<const std::uint8_t> peer_public) const {
  if (!key_) return internal("key share was moved from");
  const auto i = static_cast<std::size_t>(index_of(group_));
  const GroupSpec& s = kGroups[i];
  if (s.kind == Kind::ec) return derive_ec(i, key_->scalar.get(), peer_public);
  TLS13_ASSIGN_OR_RETURN(EVP_PKEY * peer, import_peer(i, peer_public));

  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key_->pkey.get(), nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1) return internal("cannot start derivation");
  // RFC 8446 §7.4.1: the FFDHE secret keeps its leading zeros (size of p).
  if (s.kind == Kind::ffdhe && EVP_PKEY_CTX_set_dh_pad(ctx.get(), 1) != 1)
    return internal("cannot set DH padding");
  // The peer was validated above; libcrypto's own full check would repeat
  // an EC scalar multiplication by the order.
  if (EVP_PKEY_derive_set_peer_ex(ctx.get(), peer, 0) != 1) return internal("cannot set peer key");

  SecretBytes secret(s.elem_len);
  std::size_t n = secret.size();
  if (EVP_PKEY_derive(ctx.get(), secret.data(), &n) != 1) {
    // With the peer validated above, only X25519/X448 can still fail
    // because of its value: they refuse an all-zero output (RFC 7748 §6.1).
    if (s.kind == Kind::ecx) return illegal(s, "shared secret is all zeros");
    return internal("derivation failed");
  }
  if (n != s.elem_len) return internal("shared secret has an unexpected length");
  if (s.kind == Kind::ecx) {
    // RFC 8446 §7.4.2: MUST abort on an all-zero value; checked here too so
    // the rule does not rest on the provider alone.
    std::uint8_t acc = 0;
    for (std::uint8_t b : secret.span()) acc |= b;
    if (acc == 0) return illegal(s, "shared secret is all zeros");
  }
  return secret;
}

}  // namespace tls13::crypto
