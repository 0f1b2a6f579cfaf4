#include <gtest/gtest.h>

#include "base/hex.h"

namespace tls13 {
namespace {

TEST(Hex, RoundTrip) {
  std::vector<std::uint8_t> v = {0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(to_hex(v), "0001abff");
  EXPECT_EQ(*from_hex("0001ABff"), v);
  EXPECT_EQ(*from_hex("00 01\nab ff"), v);
}

TEST(Hex, RejectsOddLengthAndBadDigits) {
  EXPECT_FALSE(from_hex("abc").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
}

}  // namespace
}  // namespace tls13
