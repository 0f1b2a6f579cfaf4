// AEAD over libcrypto's EVP_CIPHER_CTX. The context is keyed once in
// create(); each operation re-initialises only the nonce, which keeps the
// expanded key schedule and allocates nothing.
//
// CCM (OpenSSL 3.0 provider) differs from GCM/ChaCha20-Poly1305:
//  - the nonce length (L = 15 - 12 = 3) and the tag length M are fixed in the
//    CCM state when the key is set, so both are set before the key;
//  - every operation must declare the total plaintext length (an update with
//    NULL in and out) before the AAD; this call also re-runs the nonce setup,
//    so state left by a failed open does not leak into the next operation;
//  - the data must go in a single update, and decryption checks the tag in
//    that update (Final returns nothing), so the expected tag is set first.
#include "crypto/aead.h"

#include <openssl/evp.h>

#include <algorithm>
#include <climits>

#include "base/fuzzing_mode.h"
#include "crypto/fetched.h"

namespace tls13::crypto {

void AeadKey::CtxFree::operator()(EVP_CIPHER_CTX* c) const noexcept {
  EVP_CIPHER_CTX_free(c);  // also cleanses the key schedule
}

namespace {

bool is_ccm(AeadId id) {
  return id == AeadId::aes_128_ccm || id == AeadId::aes_128_ccm_8;
}

// libcrypto treats a NULL input pointer as "no data" (or as Final for CCM),
// so empty spans get the address of a caller-provided dummy byte.
std::uint8_t* nz(std::span<std::uint8_t> s, std::uint8_t* dummy) {
  return s.empty() ? dummy : s.data();
}

Error fail(Alert a, const char* msg) {
  clear_openssl_errors();
  return Error(a, msg);
}

}  // namespace

AeadKey::AeadKey(AeadId id, AeadDirection dir, CtxPtr ctx) noexcept
    : id_(id), dir_(dir), ctx_(std::move(ctx)) {}
AeadKey::~AeadKey() = default;
AeadKey::AeadKey(AeadKey&&) noexcept = default;
AeadKey& AeadKey::operator=(AeadKey&&) noexcept = default;

Result<AeadKey> AeadKey::create(AeadId id, AeadDirection dir, std::span<const std::uint8_t> key) {
  if (key.size() != aead_key_length(id)) {
    return Error(Alert::internal_error, "aead: wrong key length");
  }
  CtxPtr c(EVP_CIPHER_CTX_new());
  if (!c) return fail(Alert::internal_error, "aead: out of memory");
  const int enc = dir == AeadDirection::seal ? 1 : 0;
  if (EVP_CipherInit_ex2(c.get(), fetched().aead(id), nullptr, nullptr, enc, nullptr) != 1) {
    return fail(Alert::internal_error, "aead: cipher init failed");
  }
  if (EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(kAeadNonceLength),
                          nullptr) != 1) {
    return fail(Alert::internal_error, "aead: cannot set nonce length");
  }
  if (is_ccm(id) && EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_AEAD_SET_TAG,
                                        static_cast<int>(aead_tag_length(id)), nullptr) != 1) {
    return fail(Alert::internal_error, "aead: cannot set tag length");
  }
  if (EVP_CipherInit_ex2(c.get(), nullptr, key.data(), nullptr, enc, nullptr) != 1) {
    return fail(Alert::internal_error, "aead: cannot set key");
  }
  return AeadKey(id, dir, std::move(c));
}

Result<void> AeadKey::rekey(std::span<const std::uint8_t> key) {
  if (!ctx_) return Error(Alert::internal_error, "aead: key is unusable");
  if (key.size() != aead_key_length(id_)) {
    ctx_.reset();
    return Error(Alert::internal_error, "aead: wrong key length");
  }
  // A NULL cipher keeps the provider context, the nonce length and (CCM)
  // the tag length set in create(); only the key schedule is replaced.
  const int enc = dir_ == AeadDirection::seal ? 1 : 0;
  if (EVP_CipherInit_ex2(ctx_.get(), nullptr, key.data(), nullptr, enc, nullptr) != 1) {
    ctx_.reset();
    return fail(Alert::internal_error, "aead: cannot set key");
  }
  return ok();
}

// Shared start of seal and open: the nonce, (for opening) the expected tag,
// the CCM length declaration, then the AAD.
Result<void> AeadKey::begin(std::span<const std::uint8_t, kAeadNonceLength> nonce,
                            std::span<const std::uint8_t> aad, std::size_t length,
                            const std::uint8_t* expected_tag) {
  EVP_CIPHER_CTX* c = ctx_.get();
  const int enc = dir_ == AeadDirection::seal ? 1 : 0;
  int n = 0;
  // Nonce only: the cipher and key stay as set in create().
  if (EVP_CipherInit_ex2(c, nullptr, nullptr, nonce.data(), enc, nullptr) != 1) {
    return fail(Alert::internal_error, "aead: cannot set nonce");
  }
  // Set after the nonce: CCM checks it inside the data update, GCM and
  // ChaCha20-Poly1305 in Final.
  if (expected_tag && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(tag_length()),
                                          const_cast<std::uint8_t*>(expected_tag)) != 1) {
    return fail(Alert::internal_error, "aead: cannot set tag");
  }
  if (is_ccm(id_) && EVP_CipherUpdate(c, nullptr, &n, nullptr, static_cast<int>(length)) != 1) {
    return fail(Alert::internal_error, "aead: cannot set length");
  }
  if (!aad.empty() &&
      EVP_CipherUpdate(c, nullptr, &n, aad.data(), static_cast<int>(aad.size())) != 1) {
    return fail(Alert::internal_error, "aead: aad rejected");
  }
  return ok();
}

Result<void> AeadKey::seal(std::span<const std::uint8_t, kAeadNonceLength> nonce,
                           std::span<const std::uint8_t> aad, std::span<std::uint8_t> inout,
                           std::span<std::uint8_t> tag) {
  return seal(nonce, aad, std::span<const std::uint8_t>{}, inout, tag);
}

Result<void> AeadKey::seal(std::span<const std::uint8_t, kAeadNonceLength> nonce,
                           std::span<const std::uint8_t> aad, std::span<const std::uint8_t> in,
                           std::span<std::uint8_t> out, std::span<std::uint8_t> tag) {
  if (dir_ != AeadDirection::seal || !ctx_) {
    return Error(Alert::internal_error, "aead: key is not a sealing key");
  }
  if (tag.size() != tag_length() || in.size() > out.size() || out.size() > INT_MAX ||
      aad.size() > INT_MAX) {
    return Error(Alert::internal_error, "aead: bad buffer sizes");
  }
  // CCM takes its data in a single update: bring the head in place first.
  if (is_ccm(id_) && !in.empty() && in.data() != out.data()) {
    std::copy(in.begin(), in.end(), out.begin());
    in = out.first(in.size());
  }
  if constexpr (kUnsafeFuzzingMode) {  // fuzz build only: plaintext, zero tag
    if (!in.empty() && in.data() != out.data()) std::copy(in.begin(), in.end(), out.begin());
    std::fill(tag.begin(), tag.end(), std::uint8_t{0});
    return ok();
  }
  TLS13_TRY(begin(nonce, aad, out.size(), nullptr));
  EVP_CIPHER_CTX* c = ctx_.get();
  std::uint8_t dummy[1];
  int n = 0;
  // The head from `in` (when it is elsewhere), then the rest in place.
  const std::size_t head = is_ccm(id_) ? 0 : in.size();
  if (head > 0 && (EVP_CipherUpdate(c, out.data(), &n, in.data(), static_cast<int>(head)) != 1 ||
                   static_cast<std::size_t>(n) != head)) {
    return fail(Alert::internal_error, "aead: encryption failed");
  }
  auto rest = out.subspan(head);
  if ((!rest.empty() || (is_ccm(id_) && out.empty())) &&
      (EVP_CipherUpdate(c, nz(rest, dummy), &n, nz(rest, dummy), static_cast<int>(rest.size())) !=
           1 ||
       static_cast<std::size_t>(n) != rest.size())) {
    return fail(Alert::internal_error, "aead: encryption failed");
  }
  // All three are stream modes: Final emits nothing but completes the tag.
  if (EVP_CipherFinal_ex(c, dummy, &n) != 1 || n != 0) {
    return fail(Alert::internal_error, "aead: encryption failed");
  }
  if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(tag.size()), tag.data()) !=
      1) {
    return fail(Alert::internal_error, "aead: cannot read tag");
  }
  return ok();
}

Result<void> AeadKey::open(std::span<const std::uint8_t, kAeadNonceLength> nonce,
                           std::span<const std::uint8_t> aad, std::span<std::uint8_t> inout,
                           std::span<const std::uint8_t> tag) {
  return open(nonce, aad, inout, inout, tag);
}

Result<void> AeadKey::open(std::span<const std::uint8_t, kAeadNonceLength> nonce,
                           std::span<const std::uint8_t> aad, std::span<const std::uint8_t> in,
                           std::span<std::uint8_t> out, std::span<const std::uint8_t> tag) {
  if (dir_ != AeadDirection::open || !ctx_) {
    return Error(Alert::internal_error, "aead: key is not an opening key");
  }
  if (in.size() != out.size() || in.size() > INT_MAX || aad.size() > INT_MAX) {
    return Error(Alert::internal_error, "aead: bad buffer sizes");
  }
  // A tag of the wrong length cannot authenticate anything.
  if (tag.size() != tag_length()) return Error(Alert::bad_record_mac, "aead: bad tag length");
  if constexpr (kUnsafeFuzzingMode) {  // fuzz build only: plaintext, zero tag
    if (std::any_of(tag.begin(), tag.end(), [](std::uint8_t b) { return b != 0; }))
      return Error(Alert::bad_record_mac, "record: authentication failed");
    if (in.data() != out.data()) std::copy(in.begin(), in.end(), out.begin());
    return ok();
  }
  TLS13_TRY(begin(nonce, aad, in.size(), tag.data()));
  EVP_CIPHER_CTX* c = ctx_.get();
  std::uint8_t dummy[1];
  int n = 0;
  if (!in.empty() || is_ccm(id_)) {
    const std::uint8_t* src = in.empty() ? dummy : in.data();
    const int r = EVP_CipherUpdate(c, nz(out, dummy), &n, src, static_cast<int>(in.size()));
    // For CCM a failing update is the tag check; for the others it cannot
    // fail on valid sizes, so treat it the same way.
    if (r != 1 || static_cast<std::size_t>(n) != in.size()) {
      return fail(Alert::bad_record_mac, "record: authentication failed");
    }
  }
  if (EVP_CipherFinal_ex(c, dummy, &n) != 1) {
    return fail(Alert::bad_record_mac, "record: authentication failed");
  }
  return ok();
}

}  // namespace tls13::crypto
