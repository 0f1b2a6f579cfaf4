// SmallVector (base/small_vector.h): the same contents and order whether
// the elements are inline or have moved to the heap.
#include "base/small_vector.h"

#include <cstdint>
#include <span>
#include <vector>

#include <gtest/gtest.h>

namespace tls13 {
namespace {

template <class T, std::size_t N>
std::vector<T> as_vector(const SmallVector<T, N>& v) {
  return std::vector<T>(v.begin(), v.end());
}

TEST(SmallVector, KeepsOrderInlineAndAfterSpilling) {
  SmallVector<int, 4> v;
  EXPECT_TRUE(v.empty());
  std::vector<int> expect;
  for (int i = 0; i < 11; ++i) {
    v.push_back(i * 3);
    expect.push_back(i * 3);
    ASSERT_EQ(v.size(), expect.size());
    ASSERT_EQ(as_vector(v), expect);
    ASSERT_EQ(v[static_cast<std::size_t>(i)], i * 3);
  }
  std::span<const int> s(v);  // contiguous, usable as a span
  EXPECT_EQ(s.size(), 11u);
  EXPECT_EQ(s.back(), 30);
}

TEST(SmallVector, EraseInlineAndOnHeap) {
  for (std::size_t n : {3u, 9u}) {
    SmallVector<std::uint16_t, 4> v;
    std::vector<std::uint16_t> expect;
    for (std::uint16_t i = 0; i < n; ++i) {
      v.push_back(i);
      expect.push_back(i);
    }
    v.erase(v.begin() + 1);
    expect.erase(expect.begin() + 1);
    EXPECT_EQ(as_vector(v), expect);
    v.erase(v.end() - 1);
    expect.pop_back();
    EXPECT_EQ(as_vector(v), expect);
  }
}

TEST(SmallVector, ReserveClearAndCopies) {
  SmallVector<int, 2> v;
  v.push_back(1);
  v.reserve(2);  // fits inline: nothing moves
  v.push_back(2);
  v.reserve(10);  // moves to the heap, keeping the contents
  EXPECT_EQ(as_vector(v), (std::vector<int>{1, 2}));
  v.push_back(3);
  SmallVector<int, 2> copy = v;
  v.clear();
  EXPECT_TRUE(v.empty());
  v.push_back(7);
  EXPECT_EQ(as_vector(v), (std::vector<int>{7}));
  EXPECT_EQ(as_vector(copy), (std::vector<int>{1, 2, 3}));
  SmallVector<int, 2> moved = std::move(copy);
  EXPECT_EQ(as_vector(moved), (std::vector<int>{1, 2, 3}));

  SmallVector<int, 4> small;
  small.push_back(5);
  SmallVector<int, 4> small_copy = small;
  small[0] = 6;
  EXPECT_EQ(as_vector(small_copy), (std::vector<int>{5}));
  EXPECT_EQ(as_vector(small), (std::vector<int>{6}));
}

}  // namespace
}  // namespace tls13
