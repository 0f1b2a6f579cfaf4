#include "crypto/hash.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cassert>
#include <cstdlib>

#include "crypto/fetched.h"

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

struct Hash::Ctx {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Ctx() { EVP_MD_CTX_free(ctx); }
};

namespace {
[[noreturn]] void hash_failure() {
  // Digest operations on fetched SHA-2 cannot fail short of memory
  // exhaustion; continuing would produce wrong transcripts.
  std::abort();
}
}  // namespace

Hash::Hash(HashId id) : id_(id), ctx_(std::make_unique<Ctx>()) {
  if (!ctx_->ctx || EVP_DigestInit_ex2(ctx_->ctx, fetched().digest(id), nullptr) != 1)
    hash_failure();
}

Hash::~Hash() = default;
Hash::Hash(Hash&&) noexcept = default;
Hash& Hash::operator=(Hash&&) noexcept = default;

Hash Hash::clone() const {
  Hash h(id_);
  if (EVP_MD_CTX_copy_ex(h.ctx_->ctx, ctx_->ctx) != 1) hash_failure();
  return h;
}

void Hash::update(std::span<const std::uint8_t> data) {
  assert(ctx_);
  if (!data.empty() && EVP_DigestUpdate(ctx_->ctx, data.data(), data.size()) != 1) hash_failure();
}

Digest Hash::snapshot() const {
  assert(ctx_);
  EVP_MD_CTX* copy = EVP_MD_CTX_new();
  if (!copy || EVP_MD_CTX_copy_ex(copy, ctx_->ctx) != 1) hash_failure();
  Digest d;
  auto out = d.resize_for_write(length());
  unsigned int n = 0;
  if (EVP_DigestFinal_ex(copy, out.data(), &n) != 1 || n != out.size()) hash_failure();
  EVP_MD_CTX_free(copy);
  return d;
}

Digest Hash::oneshot(HashId id, std::span<const std::uint8_t> data) {
  Digest d;
  auto out = d.resize_for_write(hash_length(id));
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &n, fetched().digest(id), nullptr) != 1)
    hash_failure();
  return d;
}

}  // namespace tls13::crypto
