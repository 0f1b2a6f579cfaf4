// wire::Reader / wire::Writer: every method, truncation at every position,
// lengths beyond the input or the <min..max> bound, prefix overflow.
#include <gtest/gtest.h>

#include <vector>

#include "wire/reader.h"
#include "wire/writer.h"

namespace tls13::wire {
namespace {

using V = std::vector<std::uint8_t>;

TEST(WireReader, ReadsIntegersBigEndian) {
  V d = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
         0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12};
  Reader r(d);
  std::uint8_t a;
  std::uint16_t b;
  std::uint32_t c, e;
  std::uint64_t f;
  ASSERT_TRUE(r.read_u8(a));
  ASSERT_TRUE(r.read_u16(b));
  ASSERT_TRUE(r.read_u24(c));
  ASSERT_TRUE(r.read_u32(e));
  ASSERT_TRUE(r.read_u64(f));
  EXPECT_EQ(a, 0x01);
  EXPECT_EQ(b, 0x0203);
  EXPECT_EQ(c, 0x040506u);
  EXPECT_EQ(e, 0x0708090au);
  EXPECT_EQ(f, 0x0b0c0d0e0f101112ull);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.position(), d.size());
}

TEST(WireReader, FailsOnTruncationAndLeavesReaderUnchanged) {
  const V d = {0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x11, 0x22};
  for (std::size_t n = 0; n < d.size(); ++n) {
    Reader r{Bytes(d).first(n)};
    std::uint8_t u8;
    std::uint16_t u16;
    std::uint32_t u32;
    std::uint64_t u64;
    EXPECT_EQ(r.read_u64(u64), false) << n;
    EXPECT_EQ(r.read_u32(u32), n >= 4) << n;
    Reader r2{Bytes(d).first(n)};
    EXPECT_EQ(r2.read_u24(u32), n >= 3) << n;
    Reader r3{Bytes(d).first(n)};
    EXPECT_EQ(r3.read_u16(u16), n >= 2) << n;
    Reader r4{Bytes(d).first(n)};
    EXPECT_EQ(r4.read_u8(u8), n >= 1) << n;
    Reader r5{Bytes(d).first(n)};
    Bytes out;
    EXPECT_FALSE(r5.read_bytes(n + 1, out));
    EXPECT_EQ(r5.position(), 0u);
    EXPECT_TRUE(r5.read_bytes(n, out));
    EXPECT_EQ(out.size(), n);
  }
}

TEST(WireReader, VectorWithEachPrefixLength) {
  for (int pl = 1; pl <= 3; ++pl) {
    V d(static_cast<std::size_t>(pl), 0);
    d.back() = 3;
    d.insert(d.end(), {'a', 'b', 'c', 'z'});
    Reader r(d);
    Bytes v;
    ASSERT_TRUE(r.read_vector(pl, 0, 100, v)) << pl;
    EXPECT_EQ(V(v.begin(), v.end()), (V{'a', 'b', 'c'}));
    EXPECT_EQ(r.remaining(), 1u);
  }
}

TEST(WireReader, VectorLengthBeyondInputFails) {
  const V d = {0x00, 0x05, 1, 2, 3, 4};  // claims 5, has 4
  Reader r(d);
  Bytes v;
  EXPECT_FALSE(r.read_vector(2, 0, 0xffff, v));
  EXPECT_EQ(r.position(), 0u);  // unchanged on failure
}

TEST(WireReader, VectorBoundsEnforced) {
  const V d = {0x02, 1, 2};
  Bytes v;
  {
    Reader r(d);
    EXPECT_FALSE(r.read_vector(1, 3, 10, v));  // below min
    EXPECT_EQ(r.position(), 0u);
  }
  {
    Reader r(d);
    EXPECT_FALSE(r.read_vector(1, 0, 1, v));  // above max
  }
  {
    Reader r(d);
    EXPECT_TRUE(r.read_vector(1, 2, 2, v));  // exactly on both bounds
  }
  {
    Reader r(d);
    EXPECT_FALSE(r.read_vector(0, 0, 10, v));  // invalid prefix length
    EXPECT_FALSE(r.read_vector(4, 0, 10, v));
  }
}

TEST(WireReader, VectorTruncatedAtEveryPosition) {
  const V d = {0x00, 0x00, 0x04, 'a', 'b', 'c', 'd'};
  for (std::size_t n = 0; n < d.size(); ++n) {
    Reader r{Bytes(d).first(n)};
    Bytes v;
    EXPECT_FALSE(r.read_vector(3, 0, 0xffffff, v)) << n;
  }
  Reader r(d);
  Bytes v;
  EXPECT_TRUE(r.read_vector(3, 0, 0xffffff, v));
  EXPECT_TRUE(r.empty());
}

TEST(WireReader, SubReaderIsConfinedToItsBlock) {
  const V d = {0x03, 0x00, 0x01, 0x02, 0x99};
  Reader r(d);
  Reader sub;
  ASSERT_TRUE(r.read_prefixed(1, sub));
  std::uint16_t x;
  ASSERT_TRUE(sub.read_u16(x));
  EXPECT_EQ(x, 0x0001);
  std::uint16_t y;
  EXPECT_FALSE(sub.read_u16(y));  // only one byte left in the block, not reaching 0x99
  EXPECT_EQ(sub.remaining(), 1u);
  EXPECT_FALSE(sub.empty());
  std::uint8_t last;
  ASSERT_TRUE(r.read_u8(last));
  EXPECT_EQ(last, 0x99);
  EXPECT_TRUE(r.empty());
}

TEST(WireReader, PrefixedBoundsAndViews) {
  const V d = {0x02, 0xaa, 0xbb, 0xcc};
  Reader r(d);
  Reader sub;
  EXPECT_FALSE(r.read_prefixed(1, 3, 5, sub));
  ASSERT_TRUE(r.read_prefixed(1, 1, 2, sub));
  EXPECT_EQ(sub.all().size(), 2u);
  EXPECT_EQ(r.consumed().size(), 3u);
  EXPECT_EQ(r.rest().size(), 1u);
  EXPECT_EQ(r.all().size(), 4u);
}

TEST(WireWriter, WritesIntegersBigEndian) {
  V out;
  Writer w(out);
  w.u8(0x01);
  w.u16(0x0203);
  w.u24(0x040506);
  w.u32(0x0708090a);
  w.u64(0x0b0c0d0e0f101112ull);
  w.bytes(V{0xee});
  w.zeros(2);
  EXPECT_TRUE(w.ok());
  EXPECT_EQ(out, (V{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 0xee, 0, 0}));
}

TEST(WireWriter, U24OverflowIsSticky) {
  V out;
  Writer w(out);
  w.u24(0x1000000);
  EXPECT_FALSE(w.ok());
  w.u8(1);
  EXPECT_FALSE(w.ok());
}

TEST(WireWriter, NestedPrefixesArePatched) {
  V out = {0x77};  // existing contents are kept
  Writer w(out);
  w.prefixed(2, [](Writer& b) {
    b.u8(0xaa);
    b.prefixed(1, [](Writer& c) { c.bytes(V{1, 2, 3}); });
    b.prefixed(3, [](Writer&) {});
  });
  EXPECT_TRUE(w.ok());
  EXPECT_EQ(out, (V{0x77, 0x00, 0x08, 0xaa, 0x03, 1, 2, 3, 0, 0, 0}));
  EXPECT_EQ(w.size(), out.size());
}

TEST(WireWriter, PrefixOverflowReported) {
  V out;
  Writer w(out);
  w.vector(1, V(256, 0));
  EXPECT_FALSE(w.ok());
  V out2;
  Writer w2(out2);
  w2.vector(1, V(255, 0));
  EXPECT_TRUE(w2.ok());
  EXPECT_EQ(out2[0], 255);
}

TEST(WireWriter, InvalidPrefixLengthReported) {
  V out;
  Writer w(out);
  w.prefixed(4, [](Writer& b) { b.u8(1); });
  EXPECT_FALSE(w.ok());
}

TEST(Wire, RoundTripThroughWriterAndReader) {
  V out;
  Writer w(out);
  w.u16(0x0304);
  w.vector(2, V{9, 8, 7});
  w.prefixed(3, [](Writer& b) { b.u32(42); });
  ASSERT_TRUE(w.ok());
  Reader r(out);
  std::uint16_t v;
  Bytes vec;
  Reader sub;
  std::uint32_t x;
  ASSERT_TRUE(r.read_u16(v));
  ASSERT_TRUE(r.read_vector(2, 1, 10, vec));
  ASSERT_TRUE(r.read_prefixed(3, sub));
  ASSERT_TRUE(sub.read_u32(x));
  EXPECT_TRUE(sub.empty());
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(v, 0x0304);
  EXPECT_EQ(V(vec.begin(), vec.end()), (V{9, 8, 7}));
  EXPECT_EQ(x, 42u);
}

}  // namespace
}  // namespace tls13::wire
