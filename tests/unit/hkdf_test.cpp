// Hash, HMAC and HKDF against published known answers: RFC 5869 Appendix A
// (parsed from ../shared/spec/rfc5869.txt), RFC 4231 (HMAC-SHA-2) and
// FIPS 180-2 ("abc").
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/hash.h"
#include "crypto/hmac.h"
#include "support/test_support.h"

namespace tls13::crypto {
namespace {

using test::bytes;
using test::hex;
using Bytes = std::vector<std::uint8_t>;

constexpr HashId kAllHashes[] = {HashId::sha256, HashId::sha384, HashId::sha512};

// ---- RFC 5869 Appendix A, read from the RFC text ---------------------------------

struct HkdfCase {
  std::string hash;
  Bytes ikm, salt, info, prk, okm;
  std::size_t length = 0;
};

// The text after "<name> = " up to the end of its line.
std::string value_after(const std::string& body, const std::string& name) {
  const std::size_t at = body.find("   " + name + " = ");
  if (at == std::string::npos) throw std::runtime_error("RFC 5869: no " + name);
  const std::size_t from = body.find('=', at) + 2;
  return body.substr(from, body.find('\n', from) - from);
}

// A byte field: "0x0b0b...\n          0b0b (22 octets)", possibly spanning
// lines, or "(0 octets)". The stated octet count is checked.
Bytes octets_after(const std::string& body, const std::string& name) {
  const std::size_t at = body.find("   " + name + " = ");
  if (at == std::string::npos) throw std::runtime_error("RFC 5869: no " + name);
  const std::size_t from = body.find('=', at) + 1;
  const std::size_t open = body.find('(', from);
  const std::size_t close = body.find(" octets)", open);
  if (open == std::string::npos || close == std::string::npos)
    throw std::runtime_error("RFC 5869: unterminated " + name);
  std::string digits = body.substr(from, open - from);
  if (const std::size_t x = digits.find("0x"); x != std::string::npos) digits.erase(x, 2);
  Bytes value = hex(digits);
  if (value.size() != std::stoul(body.substr(open + 1, close - open - 1)))
    throw std::runtime_error("RFC 5869: octet count of " + name);
  return value;
}

HkdfCase rfc5869_case(int number) {
  std::ifstream in(test::shared_dir() / "spec" / "rfc5869.txt");
  if (!in) throw std::runtime_error("cannot open rfc5869.txt");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const std::string header =
      "A." + std::to_string(number) + ".  Test Case " + std::to_string(number);
  const std::size_t begin = text.find(header);
  if (begin == std::string::npos) throw std::runtime_error("no " + header);
  std::size_t end = text.find("\nA." + std::to_string(number + 1) + ".", begin);
  if (end == std::string::npos) end = text.size();
  const std::string body = text.substr(begin, end - begin);

  HkdfCase c;
  c.hash = value_after(body, "Hash");
  c.length = std::stoul(value_after(body, "L   "));
  c.ikm = octets_after(body, "IKM ");
  c.salt = octets_after(body, "salt");
  c.info = octets_after(body, "info");
  c.prk = octets_after(body, "PRK ");
  c.okm = octets_after(body, "OKM ");
  return c;
}

class Rfc5869 : public ::testing::TestWithParam<int> {};

TEST_P(Rfc5869, ExtractThenExpand) {
  const HkdfCase c = rfc5869_case(GetParam());
  ASSERT_EQ(c.hash, "SHA-256");
  ASSERT_EQ(c.okm.size(), c.length);
  const PrkSecret prk = hkdf_extract(HashId::sha256, c.salt, c.ikm);
  EXPECT_EQ(hex(prk.span()), hex(c.prk));
  Bytes okm(c.length);
  ASSERT_TRUE(hkdf_expand(HashId::sha256, c.prk, c.info, okm));
  EXPECT_EQ(hex(okm), hex(c.okm));
  // HKDF-Expand output is a prefix of any longer output (T(1) | T(2) ...).
  Bytes shorter(10);
  ASSERT_TRUE(hkdf_expand(HashId::sha256, c.prk, c.info, shorter));
  EXPECT_EQ(hex(shorter), hex(Bytes(c.okm.begin(), c.okm.begin() + 10)));
}

INSTANTIATE_TEST_SUITE_P(AppendixA, Rfc5869, ::testing::Values(1, 2, 3),
                         [](const auto& info) { return "TestCase" + std::to_string(info.param); });

TEST(Hkdf, EmptySaltIsHashLenZeros) {
  // RFC 5869 §2.2: "if not provided, [salt] is set to a string of HashLen zeros".
  const Bytes ikm = bytes("input keying material");
  for (HashId h : kAllHashes) {
    const PrkSecret implicit = hkdf_extract(h, {}, ikm);
    const PrkSecret explicit_zeros = hkdf_extract(h, Bytes(hash_length(h), 0), ikm);
    EXPECT_EQ(implicit.size(), hash_length(h));
    EXPECT_EQ(hex(implicit.span()), hex(explicit_zeros.span()));
  }
}

TEST(Hkdf, Rfc8448EarlySecret) {
  // RFC 8446 §7.1: with no PSK, Early Secret = HKDF-Extract(0, 32 zero bytes).
  const PrkSecret early = hkdf_extract(HashId::sha256, {}, Bytes(32, 0));
  EXPECT_EQ(hex(early.span()), hex(test::rfc8448_named("3", "early_secret")));
}

TEST(Hkdf, ExpandRejectsMoreThan255Blocks) {
  const Bytes prk(32, 0x0b);
  for (HashId h : kAllHashes) {
    const std::size_t max = 255 * hash_length(h);
    Bytes out(max + 1);
    EXPECT_FALSE(hkdf_expand(h, prk, {}, out)) << "L = 255*HashLen + 1";
    out.resize(max);
    EXPECT_TRUE(hkdf_expand(h, prk, {}, out)) << "L = 255*HashLen";
  }
}

// ---- HMAC: RFC 4231 ---------------------------------------------------------------

struct HmacCase {
  const char* name;
  Bytes key;
  Bytes data;
  const char* sha256;
  const char* sha384;
  const char* sha512;
};

std::vector<HmacCase> rfc4231_cases() {
  return {
      {"TestCase1", Bytes(20, 0x0b), bytes("Hi There"),
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
       "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
       "faea9ea9076ede7f4af152e8b2fa9cb6",
       "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
       "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
      {"TestCase2Jefe", bytes("Jefe"), bytes("what do ya want for nothing?"),
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
       "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
       "8e2240ca5e69e2c78b3239ecfab21649",
       "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
       "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
      // A key longer than the block size is hashed first.
      {"TestCase6LongKey", Bytes(131, 0xaa),
       bytes("Test Using Larger Than Block-Size Key - Hash Key First"),
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
       "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
       "0c2ef6ab4030fe8296248df163f44952",
       "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
       "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
  };
}

TEST(Hmac, Rfc4231) {
  for (const HmacCase& c : rfc4231_cases()) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(hex(hmac(HashId::sha256, c.key, c.data).span()), c.sha256);
    EXPECT_EQ(hex(hmac(HashId::sha384, c.key, c.data).span()), c.sha384);
    EXPECT_EQ(hex(hmac(HashId::sha512, c.key, c.data).span()), c.sha512);
  }
}

TEST(Hmac, EmptyKeyAndData) {
  // Same as an all-zero key of any length up to the block size (RFC 2104 §2).
  const Digest empty = hmac(HashId::sha256, {}, {});
  EXPECT_EQ(empty.size(), 32u);
  EXPECT_EQ(empty, hmac(HashId::sha256, Bytes(32, 0), {}));
  EXPECT_FALSE(empty == hmac(HashId::sha256, Bytes(1, 1), {}));
}

// One HmacKey serves many messages: each MAC equals a freshly keyed one
// (RFC 4231 vectors), and HKDF-Expand on it equals the RFC 5869 answers.
TEST(HmacKey, ReusedKeyGivesTheKnownAnswersEveryTime) {
  for (HashId h : kAllHashes) {
    for (const HmacCase& c : rfc4231_cases()) {
      SCOPED_TRACE(c.name);
      const HmacKey key(h, c.key);
      const std::string want = h == HashId::sha256   ? c.sha256
                               : h == HashId::sha384 ? c.sha384
                                                     : c.sha512;
      for (int round = 0; round < 3; ++round) {
        Digest d;
        key.mac({c.data}, d.resize_for_write(hash_length(h)));
        EXPECT_EQ(hex(d.span()), want);
      }
      // Parts are concatenated.
      Digest split;
      const std::span<const std::uint8_t> data(c.data);
      key.mac({data.first(data.size() / 2), data.subspan(data.size() / 2)},
              split.resize_for_write(hash_length(h)));
      EXPECT_EQ(hex(split.span()), want);
    }
  }
  for (int n : {1, 2, 3}) {
    const HkdfCase c = rfc5869_case(n);
    const HmacKey prk(HashId::sha256, c.prk);
    Bytes a(c.length), b(c.length);
    ASSERT_TRUE(hkdf_expand(prk, c.info, a));
    ASSERT_TRUE(hkdf_expand(prk, c.info, b));
    EXPECT_EQ(hex(a), hex(c.okm));
    EXPECT_EQ(hex(b), hex(c.okm));
  }
}

TEST(HmacKey, WipedKeyNoLongerGivesTheMac) {
  const Bytes key(32, 0x0b), data = bytes("Hi There");
  HmacKey k(HashId::sha256, key);
  Digest before, after;
  k.mac({data}, before.resize_for_write(32));
  k.wipe();
  k.mac({data}, after.resize_for_write(32));
  EXPECT_EQ(before, hmac(HashId::sha256, key, data));
  EXPECT_FALSE(after == before);
}

TEST(Hash, EmptyIsTheHashOfNothing) {
  EXPECT_EQ(hex(Hash::empty(HashId::sha256).span()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  for (HashId h : kAllHashes) EXPECT_EQ(Hash::empty(h), Hash::oneshot(h, {}));
}

// ---- Hash -----------------------------------------------------------------------

TEST(Hash, Fips180Abc) {
  EXPECT_EQ(hex(Hash::oneshot(HashId::sha256, bytes("abc")).span()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(Hash::oneshot(HashId::sha384, bytes("abc")).span()),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
            "8086072ba1e7cc2358baeca134c825a7");
  EXPECT_EQ(hex(Hash::oneshot(HashId::sha512, bytes("abc")).span()),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

TEST(Hash, LengthsAndEmpty) {
  for (HashId h : kAllHashes) {
    Hash running(h);
    EXPECT_EQ(running.id(), h);
    EXPECT_EQ(running.length(), hash_length(h));
    EXPECT_EQ(Hash::empty(h).size(), hash_length(h));
    EXPECT_EQ(running.snapshot(), Hash::empty(h));
  }
  EXPECT_EQ(hash_length(HashId::sha256), 32u);
  EXPECT_EQ(hash_length(HashId::sha384), 48u);
  EXPECT_EQ(hash_length(HashId::sha512), 64u);
  EXPECT_EQ(hex(Hash::empty(HashId::sha256).span()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

Bytes message(std::size_t n) {
  Bytes m(n);
  for (std::size_t i = 0; i < n; ++i) m[i] = static_cast<std::uint8_t>(i * 31 + 7);
  return m;
}

TEST(Hash, IncrementalEqualsOneshotAtEverySplit) {
  const Bytes m = message(300);  // crosses SHA-256 (64) and SHA-512 (128) blocks
  const std::span<const std::uint8_t> all(m);
  for (HashId h : kAllHashes) {
    const Digest expected = Hash::oneshot(h, m);
    for (std::size_t split = 0; split <= m.size(); ++split) {
      Hash running(h);
      running.update(all.first(split));
      running.update({});  // empty updates are no-ops
      running.update(all.subspan(split));
      ASSERT_EQ(running.snapshot(), expected) << "split at " << split;
    }
  }
}

TEST(Hash, SnapshotDoesNotDisturbRunningHash) {
  const Bytes a = message(100), b = bytes("and then some more");
  Bytes ab = a;
  ab.insert(ab.end(), b.begin(), b.end());
  for (HashId h : kAllHashes) {
    Hash running(h);
    running.update(a);
    const Digest s1 = running.snapshot();
    EXPECT_EQ(running.snapshot(), s1);  // repeatable
    EXPECT_EQ(s1, Hash::oneshot(h, a));
    running.update(b);
    EXPECT_EQ(running.snapshot(), Hash::oneshot(h, ab));
  }
}

TEST(Hash, CloneIsIndependent) {
  const Bytes a = bytes("common prefix"), b = bytes("branch one"), c = bytes("branch two");
  for (HashId h : kAllHashes) {
    Hash original(h);
    original.update(a);
    Hash copy = original.clone();
    copy.update(b);
    original.update(c);
    Bytes ab = a, ac = a;
    ab.insert(ab.end(), b.begin(), b.end());
    ac.insert(ac.end(), c.begin(), c.end());
    EXPECT_EQ(copy.snapshot(), Hash::oneshot(h, ab));
    EXPECT_EQ(original.snapshot(), Hash::oneshot(h, ac));
    EXPECT_EQ(copy.id(), h);

    Hash moved(std::move(copy));  // a moved hash keeps its state
    EXPECT_EQ(moved.snapshot(), Hash::oneshot(h, ab));
  }
}

TEST(Hash, DigestEqualityComparesLengthAndBytes) {
  const Digest x(bytes("abcd"));
  EXPECT_EQ(x, Digest(bytes("abcd")));
  EXPECT_FALSE(x == Digest(bytes("abce")));
  EXPECT_FALSE(x == Digest(bytes("abc")));
  EXPECT_EQ(x.size(), 4u);
}

}  // namespace
}  // namespace tls13::crypto
