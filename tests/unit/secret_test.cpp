#include <gtest/gtest.h>

#include <type_traits>

#include "base/ct.h"
#include "base/result.h"
#include "base/secret.h"

namespace tls13 {
namespace {

static_assert(!std::is_copy_constructible_v<Secret<32>>);
static_assert(!std::is_copy_assignable_v<Secret<32>>);
static_assert(std::is_nothrow_move_constructible_v<Secret<32>>);
static_assert(!std::is_copy_constructible_v<SecretBytes>);

TEST(Secret, MoveWipesSource) {
  const std::uint8_t raw[4] = {1, 2, 3, 4};
  Secret<32> a(raw);
  Secret<32> b(std::move(a));
  EXPECT_EQ(a.size(), 0u);  // NOLINT(bugprone-use-after-move): checking the wipe
  ASSERT_EQ(b.size(), 4u);
  EXPECT_TRUE(ct_equal(b.span(), raw));
  Secret<32> c = b.clone();
  EXPECT_TRUE(ct_equal(c.span(), b.span()));
}

TEST(SecretBytes, MoveAndClone) {
  const std::uint8_t raw[3] = {9, 8, 7};
  SecretBytes a(raw);
  SecretBytes b = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(ct_equal(b.span(), raw));
  b.resize(5);
  EXPECT_EQ(b.size(), 5u);
  EXPECT_TRUE(ct_equal(b.span(), std::vector<std::uint8_t>(5, 0)));
}

TEST(ConstantTime, Compare) {
  const std::uint8_t a[3] = {1, 2, 3}, b[3] = {1, 2, 4}, c[2] = {1, 2};
  EXPECT_TRUE(ct_equal(a, a));
  EXPECT_FALSE(ct_equal(a, b));
  EXPECT_FALSE(ct_equal(a, c));
  EXPECT_TRUE(ct_equal({}, {}));
}

Result<int> half(int x) {
  if (x % 2) return Error(Alert::decode_error, "odd");
  return x / 2;
}

Result<int> quarter(int x) {
  TLS13_ASSIGN_OR_RETURN(int h, half(x));
  TLS13_ASSIGN_OR_RETURN(int q, half(h));
  return q;
}

TEST(Result, PropagatesErrorsWithTheirAlert) {
  auto ok = quarter(8);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 2);
  auto bad = quarter(6);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().alert, Alert::decode_error);
  EXPECT_EQ(bad.error().describe(), "decode_error: odd");
}

}  // namespace
}  // namespace tls13
