#include "crypto/key_exchange.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/test_support.h"

namespace tls13::crypto {
namespace {

using test::hex;
using test::rfc8448_named;
using Bytes = std::vector<std::uint8_t>;

// Failing setup throws; gtest reports the exception as a failure.

// Returns the same byte forever: replays like a fixed trace.
class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(std::uint8_t b) : b_(b) {}
  void fill(std::span<std::uint8_t> out) override {
    std::fill(out.begin(), out.end(), b_);
    drawn += out.size();
  }
  std::size_t drawn = 0;

 private:
  std::uint8_t b_;
};

Bytes to_vec(std::span<const std::uint8_t> s) {
  return Bytes(s.begin(), s.end());
}

KeyShare must_from_private(NamedGroup g, const Bytes& priv) {
  auto r = KeyShare::from_private_key(g, priv);
  if (!r) throw std::runtime_error("from_private_key: " + r.error().describe());
  return std::move(r).value();
}

KeyShare must_generate(NamedGroup g, RandomSource& rng) {
  auto r = KeyShare::generate(g, rng);
  if (!r)
    throw std::runtime_error("generate " + std::string(to_string(g)) + ": " + r.error().describe());
  return std::move(r).value();
}

Bytes must_derive(const KeyShare& k, std::span<const std::uint8_t> peer) {
  auto r = k.derive(peer);
  if (!r) {
    ADD_FAILURE() << r.error().describe();
    return {};
  }
  return to_vec(r->span());
}

void expect_illegal(const KeyShare& k, const Bytes& peer, const std::string& what) {
  auto r = k.derive(peer);
  ASSERT_FALSE(r.ok()) << to_string(k.group()) << ": accepted " << what;
  EXPECT_EQ(r.error().alert, Alert::illegal_parameter)
      << to_string(k.group()) << " " << what << ": " << r.error().describe();
}

// ---- RFC 8448 known answers -------------------------------------------------

void check_x25519_section(const char* section) {
  SCOPED_TRACE(std::string("RFC 8448 section ") + section);
  KeyShare client =
      must_from_private(NamedGroup::x25519, rfc8448_named(section, "client_x25519_private_key"));
  KeyShare server =
      must_from_private(NamedGroup::x25519, rfc8448_named(section, "server_x25519_private_key"));
  const Bytes client_pub = rfc8448_named(section, "client_x25519_public_key");
  const Bytes server_pub = rfc8448_named(section, "server_x25519_public_key");
  EXPECT_EQ(hex(client.public_key()), hex(client_pub));
  EXPECT_EQ(hex(server.public_key()), hex(server_pub));
  const std::string shared = hex(rfc8448_named(section, "ecdhe_shared_secret"));
  EXPECT_EQ(hex(must_derive(client, server_pub)), shared);
  EXPECT_EQ(hex(must_derive(server, client_pub)), shared);
}

TEST(KeyExchange, Rfc8448Section3X25519) {
  check_x25519_section("3");
}

TEST(KeyExchange, Rfc8448OtherSectionsX25519) {
  for (const char* s : {"4", "6", "7"}) check_x25519_section(s);
}

TEST(KeyExchange, Rfc8448Section5P256) {
  KeyShare client =
      must_from_private(NamedGroup::secp256r1, rfc8448_named("5", "client_p256_private_key"));
  KeyShare server =
      must_from_private(NamedGroup::secp256r1, rfc8448_named("5", "server_p256_private_key"));
  const Bytes client_pub = rfc8448_named("5", "client_p256_public_key");
  const Bytes server_pub = rfc8448_named("5", "server_p256_public_key");
  ASSERT_EQ(client_pub.size(), 65u);
  EXPECT_EQ(hex(client.public_key()), hex(client_pub));
  EXPECT_EQ(hex(server.public_key()), hex(server_pub));
  const std::string shared = hex(rfc8448_named("5", "ecdhe_shared_secret"));
  EXPECT_EQ(hex(must_derive(client, server_pub)), shared);
  EXPECT_EQ(hex(must_derive(server, client_pub)), shared);
}

// The share from the x25519 ClientHello of §5 (before HelloRetryRequest).
TEST(KeyExchange, Rfc8448Section5FirstX25519Share) {
  KeyShare client =
      must_from_private(NamedGroup::x25519, rfc8448_named("5", "client_x25519_private_key"));
  EXPECT_EQ(hex(client.public_key()), hex(rfc8448_named("5", "client_x25519_public_key")));
}

// ---- every group --------------------------------------------------------------

struct GroupCase {
  NamedGroup group;
  std::size_t share_len;
  std::size_t secret_len;
};

const GroupCase kCases[] = {
    {NamedGroup::x25519, 32, 32},      {NamedGroup::x448, 56, 56},
    {NamedGroup::secp256r1, 65, 32},   {NamedGroup::secp384r1, 97, 48},
    {NamedGroup::secp521r1, 133, 66},  {NamedGroup::ffdhe2048, 256, 256},
    {NamedGroup::ffdhe3072, 384, 384},
};

void PrintTo(const GroupCase& c, std::ostream* os) {
  *os << to_string(c.group);
}

class EveryGroup : public ::testing::TestWithParam<GroupCase> {};

TEST_P(EveryGroup, SupportedWithExpectedShareLength) {
  // OpenSSL 3.0's default provider has all of them; never skip quietly.
  ASSERT_TRUE(key_exchange_supported(GetParam().group));
  EXPECT_EQ(key_share_length(GetParam().group), GetParam().share_len);
}

TEST_P(EveryGroup, RoundTrip) {
  const NamedGroup g = GetParam().group;
  KeyShare a = must_generate(g, system_random());
  KeyShare b = must_generate(g, system_random());
  EXPECT_EQ(a.group(), g);
  EXPECT_EQ(a.public_key().size(), key_share_length(g));
  EXPECT_EQ(b.public_key().size(), key_share_length(g));
  EXPECT_NE(hex(a.public_key()), hex(b.public_key()));
  if (g == NamedGroup::secp256r1 || g == NamedGroup::secp384r1 || g == NamedGroup::secp521r1) {
    EXPECT_EQ(a.public_key()[0], 0x04);
  }
  const Bytes ab = must_derive(a, b.public_key());
  const Bytes ba = must_derive(b, a.public_key());
  EXPECT_EQ(ab.size(), GetParam().secret_len);
  EXPECT_EQ(hex(ab), hex(ba));
  // derive() leaves the share usable: the same peer gives the same secret.
  EXPECT_EQ(hex(must_derive(a, b.public_key())), hex(ab));
}

TEST_P(EveryGroup, GenerateDrawsFromInjectedRandomSource) {
  const NamedGroup g = GetParam().group;
  FixedRandom r1(0x42), r2(0x42), r3(0x43);
  KeyShare k1 = must_generate(g, r1);
  KeyShare k2 = must_generate(g, r2);
  KeyShare k3 = must_generate(g, r3);
  EXPECT_GT(r1.drawn, 0u);
  EXPECT_EQ(hex(k1.public_key()), hex(k2.public_key()));
  EXPECT_NE(hex(k1.public_key()), hex(k3.public_key()));
  // Both deterministic shares agree with a fresh one.
  KeyShare fresh = must_generate(g, system_random());
  EXPECT_EQ(hex(must_derive(k1, fresh.public_key())), hex(must_derive(fresh, k1.public_key())));
}

TEST_P(EveryGroup, RejectsEmptyAndWrongLength) {
  const NamedGroup g = GetParam().group;
  KeyShare a = must_generate(g, system_random());
  KeyShare b = must_generate(g, system_random());
  const Bytes pub = to_vec(b.public_key());
  expect_illegal(a, {}, "empty key_exchange");
  expect_illegal(a, Bytes(pub.begin(), pub.end() - 1), "one byte short");
  Bytes longer = pub;
  longer.push_back(0);
  expect_illegal(a, longer, "one byte long");
  expect_illegal(a, Bytes(pub.begin(), pub.begin() + 1), "one byte");
}

TEST_P(EveryGroup, MovedShareKeepsWorking) {
  const NamedGroup g = GetParam().group;
  KeyShare a = must_generate(g, system_random());
  KeyShare b = must_generate(g, system_random());
  const Bytes a_pub = to_vec(a.public_key());
  KeyShare moved(std::move(a));
  EXPECT_EQ(hex(moved.public_key()), hex(a_pub));
  EXPECT_EQ(hex(must_derive(moved, b.public_key())), hex(must_derive(b, a_pub)));
  KeyShare assigned = must_generate(g, system_random());
  assigned = std::move(moved);
  EXPECT_EQ(hex(assigned.public_key()), hex(a_pub));
}

INSTANTIATE_TEST_SUITE_P(Groups, EveryGroup, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(to_string(info.param.group)); });

// RFC 8446 §7.4: the shared secret keeps its leading zeros (size of p, or
// the field size). The fixed-trace pairs below were found by search to give
// a secret whose first byte is 0x00.
struct LeadingZeroCase {
  NamedGroup group;
  std::uint8_t a, b;
  std::size_t secret_len;
};

void PrintTo(const LeadingZeroCase& c, std::ostream* os) {
  *os << to_string(c.group) << " traces " << int{c.a} << "/" << int{c.b};
}

class LeadingZero : public ::testing::TestWithParam<LeadingZeroCase> {};

TEST_P(LeadingZero, SecretIsNotTruncated) {
  const auto c = GetParam();
  FixedRandom ra(c.a), rb(c.b);
  KeyShare a = must_generate(c.group, ra);
  KeyShare b = must_generate(c.group, rb);
  const Bytes ab = must_derive(a, b.public_key());
  ASSERT_EQ(ab.size(), c.secret_len);
  EXPECT_EQ(ab[0], 0x00);
  EXPECT_EQ(hex(ab), hex(must_derive(b, a.public_key())));
}

INSTANTIATE_TEST_SUITE_P(Groups, LeadingZero,
                         ::testing::Values(LeadingZeroCase{NamedGroup::x25519, 0x01, 0x3c, 32},
                                           LeadingZeroCase{NamedGroup::x448, 0x01, 0x34, 56},
                                           LeadingZeroCase{NamedGroup::secp256r1, 0x01, 0xd9, 32},
                                           LeadingZeroCase{NamedGroup::secp384r1, 0x02, 0xa3, 48},
                                           LeadingZeroCase{NamedGroup::secp521r1, 0x01, 0x02, 66},
                                           LeadingZeroCase{NamedGroup::ffdhe2048, 0x02, 0xdc, 256},
                                           LeadingZeroCase{NamedGroup::ffdhe3072, 0x04, 0x14, 384}),
                         [](const auto& info) { return std::string(to_string(info.param.group)); });

// ---- private keys -------------------------------------------------------------

TEST(KeyExchange, FromPrivateKeyMatchesGenerateWithSameBytes) {
  FixedRandom r(0x42);
  KeyShare gen = must_generate(NamedGroup::x25519, r);
  KeyShare imp = must_from_private(NamedGroup::x25519, Bytes(32, 0x42));
  EXPECT_EQ(hex(gen.public_key()), hex(imp.public_key()));

  FixedRandom r2(0x42);
  KeyShare gen_ec = must_generate(NamedGroup::secp256r1, r2);
  KeyShare imp_ec = must_from_private(NamedGroup::secp256r1, Bytes(32, 0x42));
  EXPECT_EQ(hex(gen_ec.public_key()), hex(imp_ec.public_key()));
}

TEST(KeyExchange, GenerateRejectsOutOfRangeScalars) {
  // 0xff..ff is above the P-256 order every time: the retry bound must end
  // the loop with an error instead of hanging or using an invalid scalar.
  FixedRandom r(0xff);
  auto k = KeyShare::generate(NamedGroup::secp256r1, r);
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.error().alert, Alert::internal_error);
  EXPECT_GT(r.drawn, 32u);
}

TEST(KeyExchange, FromPrivateKeyRejectsBadScalars) {
  EXPECT_FALSE(KeyShare::from_private_key(NamedGroup::secp256r1, Bytes(32, 0)).ok());
  EXPECT_FALSE(KeyShare::from_private_key(NamedGroup::secp256r1, Bytes(32, 0xff)).ok());
  EXPECT_FALSE(KeyShare::from_private_key(NamedGroup::secp256r1, Bytes(31, 0x42)).ok());
  EXPECT_FALSE(KeyShare::from_private_key(NamedGroup::x25519, Bytes(31, 0x42)).ok());
  EXPECT_FALSE(KeyShare::from_private_key(NamedGroup::x448, Bytes(32, 0x42)).ok());
  EXPECT_FALSE(KeyShare::from_private_key(NamedGroup::ffdhe2048, Bytes{1}).ok());
}

TEST(KeyExchange, UnknownGroupIsUnsupported) {
  const auto bogus = static_cast<NamedGroup>(0x1234);
  EXPECT_FALSE(key_exchange_supported(bogus));
  EXPECT_EQ(key_share_length(bogus), 0u);
  auto k = KeyShare::generate(bogus, system_random());
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.error().alert, Alert::internal_error);
}

// ---- invalid peer values ------------------------------------------------------

TEST(KeyExchange, NistRejectsNonUncompressedPoints) {
  for (NamedGroup g : {NamedGroup::secp256r1, NamedGroup::secp384r1, NamedGroup::secp521r1}) {
    KeyShare a = must_generate(g, system_random());
    KeyShare b = must_generate(g, system_random());
    const Bytes pub = to_vec(b.public_key());
    // X||Y without the 0x04 prefix.
    expect_illegal(a, Bytes(pub.begin() + 1, pub.end()), "missing 0x04 prefix");
    // Compressed form 0x02/0x03 || X (the length of a valid compressed point).
    Bytes compressed(pub.begin(), pub.begin() + 1 + (pub.size() - 1) / 2);
    compressed[0] = static_cast<std::uint8_t>(0x02 | (pub.back() & 1));
    expect_illegal(a, compressed, "compressed point");
    // Right length, wrong prefix: compressed and hybrid (0x06/0x07) markers.
    for (std::uint8_t prefix : {0x00, 0x02, 0x03, 0x05, 0x06, 0x07}) {
      Bytes p = pub;
      p[0] = prefix;
      expect_illegal(a, p, "prefix " + std::to_string(prefix));
    }
  }
}

TEST(KeyExchange, NistRejectsPointsOffTheCurve) {
  for (NamedGroup g : {NamedGroup::secp256r1, NamedGroup::secp384r1, NamedGroup::secp521r1}) {
    KeyShare a = must_generate(g, system_random());
    KeyShare b = must_generate(g, system_random());
    const Bytes pub = to_vec(b.public_key());
    Bytes bad_y = pub;
    bad_y.back() ^= 0x01;  // flip a bit of Y
    expect_illegal(a, bad_y, "Y flipped");
    Bytes bad_x = pub;
    bad_x[5] ^= 0x80;  // flip a bit of X
    expect_illegal(a, bad_x, "X flipped");
    // All-zero coordinates: (0, 0) is not on any of these curves, and is a
    // common stand-in for the point at infinity.
    Bytes zero(pub.size(), 0);
    zero[0] = 0x04;
    expect_illegal(a, zero, "(0,0)");
    // Coordinates of all ones exceed the field prime.
    Bytes ones(pub.size(), 0xff);
    ones[0] = 0x04;
    expect_illegal(a, ones, "coordinates >= p");
  }
}

TEST(KeyExchange, NistRejectsTheRfc8448PeerOnAnotherCurve) {
  KeyShare p384 = must_generate(NamedGroup::secp384r1, system_random());
  expect_illegal(p384, rfc8448_named("5", "server_p256_public_key"), "P-256 point on P-384");
}

TEST(KeyExchange, X25519RejectsSmallOrderPoints) {
  KeyShare a =
      must_from_private(NamedGroup::x25519, rfc8448_named("3", "client_x25519_private_key"));
  // u-coordinates of points of order 1, 2, 4 and 8 (and a non-canonical
  // encoding of 0): clamped scalars are multiples of 8, so each gives the
  // all-zero output that RFC 8446 §7.4.2 says to reject.
  expect_illegal(a, Bytes(32, 0), "u = 0");
  Bytes one(32, 0);
  one[0] = 1;
  expect_illegal(a, one, "u = 1");
  expect_illegal(a, hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
                 "order-8 point");
  expect_illegal(a, hex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
                 "order-8 point (second)");
  expect_illegal(a, hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
                 "u = p");
}

// RFC 7748 §6.1: Alice's and Bob's X25519 key pairs and their shared secret.
TEST(KeyExchange, Rfc7748Section6_1X25519) {
  KeyShare alice = must_from_private(
      NamedGroup::x25519, hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  KeyShare bob = must_from_private(
      NamedGroup::x25519, hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
  EXPECT_EQ(hex(alice.public_key()),
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  EXPECT_EQ(hex(bob.public_key()),
            "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  const std::string k = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
  EXPECT_EQ(hex(must_derive(alice, bob.public_key())), k);
  EXPECT_EQ(hex(must_derive(bob, alice.public_key())), k);
}

// Peer keys are imported into one per-thread object per group: derivations
// interleaved with different peers, and after a rejected peer, must each
// use their own peer. Checked for every group, on this thread and on
// several threads at once.
void interleaved_derivations(NamedGroup g) {
  KeyShare a = must_generate(g, system_random());
  KeyShare b = must_generate(g, system_random());
  KeyShare c = must_generate(g, system_random());
  const Bytes ab = must_derive(a, b.public_key());
  const Bytes ac = must_derive(a, c.public_key());
  EXPECT_NE(ab, ac);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(must_derive(b, a.public_key()), ab);
    EXPECT_EQ(must_derive(c, a.public_key()), ac);
    EXPECT_EQ(must_derive(a, b.public_key()), ab);
    // A peer value rejected after import (all-zero X25519/X448 output) or
    // before it must not stick either.
    EXPECT_FALSE(a.derive(Bytes(key_share_length(g), 0)).ok());
    EXPECT_EQ(must_derive(a, c.public_key()), ac);
  }
}

TEST(KeyExchange, InterleavedPeersOnOneThread) {
  for (const auto& c : kCases) {
    SCOPED_TRACE(std::string(to_string(c.group)));
    interleaved_derivations(c.group);
  }
}

TEST(KeyExchange, InterleavedPeersOnSeveralThreads) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([] {
      for (int round = 0; round < 5; ++round) {
        interleaved_derivations(NamedGroup::x25519);
        interleaved_derivations(NamedGroup::secp256r1);
      }
    });
  }
  for (auto& t : threads) t.join();
}

TEST(KeyExchange, X448RejectsZeroPoint) {
  KeyShare a = must_generate(NamedGroup::x448, system_random());
  expect_illegal(a, Bytes(56, 0), "u = 0");
}

TEST(KeyExchange, FfdheRejectsOutOfRangeValues) {
  for (NamedGroup g : {NamedGroup::ffdhe2048, NamedGroup::ffdhe3072}) {
    KeyShare a = must_generate(g, system_random());
    const std::size_t n = key_share_length(g);
    Bytes zero(n, 0);
    expect_illegal(a, zero, "Y = 0");
    Bytes one(n, 0);
    one.back() = 1;
    expect_illegal(a, one, "Y = 1");
    expect_illegal(a, Bytes(n, 0xff), "Y > p");
  }
}

TEST(KeyExchange, FfdheRejectsValuesOutsideTheSubgroup) {
  // 7 (resp. 5) is a quadratic non-residue modulo the ffdhe2048 (ffdhe3072)
  // safe prime, so it lies outside the prime-order subgroup that g = 2
  // generates; 4 = 2^2 lies inside. Both pass the 1 < Y < p-1 range check.
  struct Case {
    NamedGroup g;
    std::uint8_t non_residue;
  };
  for (Case c : {Case{NamedGroup::ffdhe2048, 7}, Case{NamedGroup::ffdhe3072, 5}}) {
    KeyShare a = must_generate(c.g, system_random());
    Bytes y(key_share_length(c.g), 0);
    y.back() = c.non_residue;
    expect_illegal(a, y, "non-residue");
    y.back() = 4;
    EXPECT_TRUE(a.derive(y).ok()) << to_string(c.g);
  }
}

}  // namespace
}  // namespace tls13::crypto
