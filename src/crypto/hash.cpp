// SHA-2 with the running state inline. libcrypto's low-level SHA-2 API
// (SHA256_Init & co., deprecated in 3.0 but present unless libcrypto was
// built without deprecated APIs) works on plain structs: a snapshot is a
// struct copy and nothing is allocated, where an EVP_MD_CTX costs an
// allocation per context and a provider call per copy. Without that API the
// state holds an EVP_MD_CTX instead.
#define OPENSSL_SUPPRESS_DEPRECATED 1  // the SHA-2 structs, see above

#include "crypto/hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>

#include "crypto/fetched.h"

#if !defined(OPENSSL_NO_DEPRECATED_3_0)
#define TLS13_LOW_LEVEL_SHA2 1
#endif

namespace tls13::crypto {

Digest::Digest(std::span<const std::uint8_t> b) {
  len_ = std::min(b.size(), buf_.size());
  std::copy_n(b.begin(), len_, buf_.begin());
}

std::span<std::uint8_t> Digest::resize_for_write(std::size_t n) noexcept {
  len_ = std::min(n, buf_.size());
  return {buf_.data(), len_};
}

bool Digest::operator==(const Digest& o) const noexcept {
  return len_ == o.len_ && std::equal(buf_.begin(), buf_.begin() + len_, o.buf_.begin());
}

namespace {
[[noreturn]] void hash_failure() {
  // Digest operations on SHA-2 cannot fail short of memory exhaustion;
  // continuing would produce wrong transcripts.
  std::abort();
}
}  // namespace

#ifdef TLS13_LOW_LEVEL_SHA2

static_assert(sizeof(SHA256_CTX) <= 216 && sizeof(SHA512_CTX) <= 216);
static_assert(alignof(SHA256_CTX) <= 8 && alignof(SHA512_CTX) <= 8);

namespace {
SHA256_CTX* s256(unsigned char* p) {
  return reinterpret_cast<SHA256_CTX*>(p);
}
SHA512_CTX* s512(unsigned char* p) {
  return reinterpret_cast<SHA512_CTX*>(p);
}
std::size_t state_size(HashId id) {
  return id == HashId::sha256 ? sizeof(SHA256_CTX) : sizeof(SHA512_CTX);
}
}  // namespace

Hash::Hash(HashId id) : id_(id) {
  int r = 0;
  switch (id) {
    case HashId::sha256:
      r = SHA256_Init(s256(state_));
      break;
    case HashId::sha384:
      r = SHA384_Init(s512(state_));
      break;
    case HashId::sha512:
      r = SHA512_Init(s512(state_));
      break;
  }
  if (r != 1) hash_failure();
}

Hash::~Hash() {
  OPENSSL_cleanse(state_, state_size(id_));
}

Hash::Hash(Hash&& o) noexcept : id_(o.id_) {
  std::memcpy(state_, o.state_, state_size(id_));
}

Hash& Hash::operator=(Hash&& o) noexcept {
  if (this != &o) {
    OPENSSL_cleanse(state_, state_size(id_));
    id_ = o.id_;
    std::memcpy(state_, o.state_, state_size(id_));
  }
  return *this;
}

Hash Hash::clone() const {
  Hash h(id_, 0);
  std::memcpy(h.state_, state_, state_size(id_));
  return h;
}

void Hash::update(std::span<const std::uint8_t> data) {
  if (data.empty()) return;
  const int r = id_ == HashId::sha256 ? SHA256_Update(s256(state_), data.data(), data.size())
                                      : SHA512_Update(s512(state_), data.data(), data.size());
  if (r != 1) hash_failure();
}

void Hash::finish(std::span<std::uint8_t> out) {
  if (out.size() != length()) hash_failure();
  int r = 0;
  switch (id_) {
    case HashId::sha256:
      r = SHA256_Final(out.data(), s256(state_));
      break;
    case HashId::sha384:
      r = SHA384_Final(out.data(), s512(state_));
      break;
    case HashId::sha512:
      r = SHA512_Final(out.data(), s512(state_));
      break;
  }
  if (r != 1) hash_failure();
}

#else  // libcrypto without the low-level SHA-2 API: an EVP_MD_CTX

namespace {
EVP_MD_CTX*& ctx_of(unsigned char* p) {
  return *reinterpret_cast<EVP_MD_CTX**>(p);
}
EVP_MD_CTX* ctx_of(const unsigned char* p) {
  return *reinterpret_cast<EVP_MD_CTX* const*>(p);
}
}  // namespace

Hash::Hash(HashId id) : id_(id) {
  ctx_of(state_) = EVP_MD_CTX_new();
  if (!ctx_of(state_) || EVP_DigestInit_ex2(ctx_of(state_), fetched().digest(id), nullptr) != 1)
    hash_failure();
}

Hash::~Hash() {
  EVP_MD_CTX_free(ctx_of(state_));
}

Hash::Hash(Hash&& o) noexcept : id_(o.id_) {
  ctx_of(state_) = ctx_of(o.state_);
  ctx_of(o.state_) = nullptr;
}

Hash& Hash::operator=(Hash&& o) noexcept {
  if (this != &o) {
    EVP_MD_CTX_free(ctx_of(state_));
    id_ = o.id_;
    ctx_of(state_) = ctx_of(o.state_);
    ctx_of(o.state_) = nullptr;
  }
  return *this;
}

Hash Hash::clone() const {
  Hash h(id_, 0);
  ctx_of(h.state_) = EVP_MD_CTX_new();
  if (!ctx_of(h.state_) || EVP_MD_CTX_copy_ex(ctx_of(h.state_), ctx_of(state_)) != 1)
    hash_failure();
  return h;
}

void Hash::update(std::span<const std::uint8_t> data) {
  if (!data.empty() && EVP_DigestUpdate(ctx_of(state_), data.data(), data.size()) != 1)
    hash_failure();
}

void Hash::finish(std::span<std::uint8_t> out) {
  unsigned int n = 0;
  if (out.size() != length() || EVP_DigestFinal_ex(ctx_of(state_), out.data(), &n) != 1 ||
      n != out.size())
    hash_failure();
}

#endif

Digest Hash::snapshot() const {
  Digest d;
  clone().finish(d.resize_for_write(length()));
  return d;
}

Digest Hash::empty(HashId id) {
  static const std::array<Digest, 3> kEmpty = {
      oneshot(HashId::sha256, {}), oneshot(HashId::sha384, {}), oneshot(HashId::sha512, {})};
  return kEmpty[static_cast<std::size_t>(id)];
}

Digest Hash::oneshot(HashId id, std::span<const std::uint8_t> data) {
  Hash h(id);
  h.update(data);
  Digest d;
  h.finish(d.resize_for_write(hash_length(id)));
  return d;
}

}  // namespace tls13::crypto
