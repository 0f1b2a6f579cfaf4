#include <gtest/gtest.h>

#include <vector>

#include "hs/handshake_reassembler.h"

namespace tls13::hs {
namespace {

using V = std::vector<std::uint8_t>;

V msg(std::uint8_t type, std::size_t len) {
  V m = {type, static_cast<std::uint8_t>(len >> 16), static_cast<std::uint8_t>(len >> 8),
         static_cast<std::uint8_t>(len)};
  for (std::size_t i = 0; i < len; ++i) m.push_back(static_cast<std::uint8_t>(i));
  return m;
}

TEST(HandshakeReassembler, SeveralMessagesInOneRecord) {
  HandshakeReassembler r(1000);
  V rec = msg(8, 3);
  V m2 = msg(11, 5);
  rec.insert(rec.end(), m2.begin(), m2.end());
  ASSERT_TRUE(r.add(rec).ok());
  auto a = r.next();
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(a->has_value());
  EXPECT_EQ((*a)->type, 8);
  EXPECT_EQ((*a)->body.size(), 3u);
  EXPECT_EQ((*a)->full.size(), 7u);
  auto b = r.next();
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_EQ((*b)->type, 11);
  EXPECT_EQ(V((*b)->full.begin(), (*b)->full.end()), m2);
  auto c = r.next();
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->has_value());
  EXPECT_TRUE(r.at_record_boundary());
}

TEST(HandshakeReassembler, MessageFragmentedAtEveryByte) {
  const V m = msg(1, 40);
  HandshakeReassembler r(1000);
  for (std::size_t i = 0; i < m.size(); ++i) {
    ASSERT_TRUE(r.add(V{m[i]}).ok());
    auto n = r.next();
    ASSERT_TRUE(n.ok());
    if (i + 1 < m.size()) {
      EXPECT_FALSE(n->has_value()) << i;
      EXPECT_FALSE(r.at_record_boundary());
      EXPECT_EQ(r.check_key_change().error().alert, Alert::unexpected_message);
    } else {
      ASSERT_TRUE(n->has_value());
      EXPECT_EQ(V((*n)->full.begin(), (*n)->full.end()), m);
    }
  }
  EXPECT_TRUE(r.check_key_change().ok());
}

TEST(HandshakeReassembler, EmptyRecordIsUnexpected) {
  HandshakeReassembler r(1000);
  auto res = r.add({});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().alert, Alert::unexpected_message);
}

TEST(HandshakeReassembler, OversizeMessageRejectedFromItsHeader) {
  HandshakeReassembler r(100);
  ASSERT_TRUE(r.add(V{11, 0x00, 0x00, 101}).ok());  // header only: declares 101 bytes
  auto n = r.next();
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().alert, Alert::illegal_parameter);
  HandshakeReassembler ok(100);
  ASSERT_TRUE(ok.add(msg(11, 100)).ok());
  auto m = ok.next();
  ASSERT_TRUE(m.ok() && m->has_value());
}

TEST(HandshakeReassembler, ZeroLengthMessageBody) {
  HandshakeReassembler r(10);
  ASSERT_TRUE(r.add(V{5, 0, 0, 0}).ok());  // EndOfEarlyData has an empty body
  auto n = r.next();
  ASSERT_TRUE(n.ok() && n->has_value());
  EXPECT_EQ((*n)->type, 5);
  EXPECT_TRUE((*n)->body.empty());
}

}  // namespace
}  // namespace tls13::hs
