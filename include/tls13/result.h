// Result<T>: a value or an Error that carries the alert to send. A minimal
// stand-in for std::expected (C++23).
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "tls13/error.h"

namespace tls13 {

// value() and error() assert on the wrong case: test ok() (or the bool
// conversion) first.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T v) : v_(std::in_place_index<0>, std::move(v)) {}      // NOLINT: implicit by design
  Result(Error e) : v_(std::in_place_index<1>, std::move(e)) {}  // NOLINT

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

// Success with no value, or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error e) : err_(std::move(e)), failed_(true) {}  // NOLINT

  bool ok() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return ok(); }
  const Error& error() const& {
    assert(failed_);
    return err_;
  }
  Error&& error() && {
    assert(failed_);
    return std::move(err_);
  }

 private:
  Error err_;
  bool failed_ = false;
};

// A successful Result<void>: `return ok();`.
inline Result<void> ok() {
  return {};
}

// An Error that we send (not from the peer).
inline Error make_error(Alert a, std::string msg) {
  return Error(a, std::move(msg));
}

}  // namespace tls13

// Propagate an error from an expression yielding Result<...>.
#define TLS13_TRY(expr)                                                                         \
  do {                                                                                          \
    if (auto tls13_try_r_ = (expr); !tls13_try_r_.ok()) return std::move(tls13_try_r_).error(); \
  } while (0)

#define TLS13_CONCAT_INNER_(a, b) a##b
#define TLS13_CONCAT_(a, b) TLS13_CONCAT_INNER_(a, b)
#define TLS13_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return std::move(tmp).error();      \
  lhs = std::move(tmp).value()
// Declare-and-assign from a Result or return its error:
//   TLS13_ASSIGN_OR_RETURN(auto key, derive(...));
#define TLS13_ASSIGN_OR_RETURN(lhs, expr) \
  TLS13_ASSIGN_OR_RETURN_IMPL_(TLS13_CONCAT_(tls13_aor_, __LINE__), lhs, expr)
