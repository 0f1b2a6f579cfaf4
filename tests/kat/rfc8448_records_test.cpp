// Record protection against every record of the RFC 8448 traces (§3-§7),
// byte for byte, in both directions: open(complete record) gives the payload
// and its inner content type, and seal(payload) with the same key and
// sequence number gives the complete record. All traces use
// TLS_AES_128_GCM_SHA256 and no padding. Keys and IVs come from
// ../shared/spec/rfc8448-vectors.json.
#include <cstdint>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/algorithms.h"
#include "record/protection.h"
#include "record/record_header.h"
#include "support/test_support.h"

namespace tls13::record {
namespace {

using test::hex;
using Bytes = std::vector<std::uint8_t>;

// Which traffic key protects each protected record, in trace order, and the
// sequence number it must have. Read off the RFC 8448 text: a key's first
// record uses 0 (RFC 8446 §5.3) and each later record under it one more.
struct Step {
  const char* party;  // who sends it
  const char* key;    // prefix of the named <key>_write_key / <key>_write_iv
  std::uint64_t seq;
};

const std::map<std::string, std::vector<Step>>& schedules() {
  static const std::map<std::string, std::vector<Step>> s = {
      // §3 1-RTT: EE..Finished; client Finished; NewSessionTicket; data both
      // ways; close_notify alerts.
      {"3",
       {{"server", "server_handshake", 0},
        {"client", "client_handshake", 0},
        {"server", "server_application", 0},
        {"client", "client_application", 0},
        {"server", "server_application", 1},
        {"client", "client_application", 1},
        {"server", "server_application", 2}}},
      // §4 0-RTT: early data, then EndOfEarlyData still under the early key.
      {"4",
       {{"client", "client_early", 0},
        {"server", "server_handshake", 0},
        {"client", "client_early", 1},
        {"client", "client_handshake", 0},
        {"client", "client_application", 0},
        {"server", "server_application", 0},
        {"client", "client_application", 1},
        {"server", "server_application", 1}}},
      // §5 HelloRetryRequest, §6 client authentication, §7 compatibility
      // mode: one flight each way, then close_notify alerts.
      {"5",
       {{"server", "server_handshake", 0},
        {"client", "client_handshake", 0},
        {"client", "client_application", 0},
        {"server", "server_application", 0}}},
      {"6",
       {{"server", "server_handshake", 0},
        {"client", "client_handshake", 0},
        {"client", "client_application", 0},
        {"server", "server_application", 0}}},
      {"7",
       {{"server", "server_handshake", 0},
        {"client", "client_handshake", 0},
        {"client", "client_application", 0},
        {"server", "server_application", 0}}},
  };
  return s;
}

ContentType type_from_name(const std::string& n) {
  if (n == "handshake") return ContentType::handshake;
  if (n == "alert") return ContentType::alert;
  if (n == "application_data") return ContentType::application_data;
  if (n == "change_cipher_spec") return ContentType::change_cipher_spec;
  ADD_FAILURE() << "unknown content_type " << n;
  return ContentType::invalid;
}

void check_section(const std::string& section) {
  const auto& steps = schedules().at(section);
  const auto& records = test::rfc8448_section(section).at("records");
  const auto aead = crypto::suite_info(CipherSuite::aes_128_gcm_sha256)->aead;

  // Both ends of each traffic key, created on first use so that sequence
  // numbers start at 0 and advance only by processing the trace.
  std::map<std::string, RecordSealer> sealers;
  std::map<std::string, RecordOpener> openers;
  auto key_of = [&](const std::string& k) {
    return std::pair(test::rfc8448_named(section, k + "_write_key"),
                     test::rfc8448_named(section, k + "_write_iv"));
  };

  std::size_t next_step = 0, checked = 0, matched = 0, plaintext = 0;
  for (const auto& r : records) {
    const std::string party = r.at("party");
    const ContentType type = type_from_name(r.at("content_type"));
    const Bytes payload = hex(r.at("payload").get<std::string>());
    const Bytes complete = hex(r.at("complete_record").get<std::string>());
    ASSERT_GE(complete.size(), kRecordHeaderLength);
    SCOPED_TRACE("RFC 8448 §" + section + " " + party + " " + std::string(to_string(type)) +
                 " record at line " + std::to_string(r.at("line").get<int>()));

    if (complete[0] != static_cast<std::uint8_t>(ContentType::application_data) ||
        type == ContentType::change_cipher_spec) {
      // Unprotected: ClientHello, ServerHello, HRR, change_cipher_spec.
      auto parsed = parse_plaintext(complete);
      ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
      EXPECT_EQ(parsed->type, type);
      EXPECT_EQ(hex(parsed->fragment), hex(payload));
      Bytes framed(kRecordHeaderLength + payload.size());
      std::copy(payload.begin(), payload.end(), framed.begin() + kRecordHeaderLength);
      auto n = frame_plaintext(framed, payload.size(), type,
                               static_cast<std::uint16_t>(complete[1] << 8 | complete[2]));
      ASSERT_TRUE(n.ok()) << n.error().describe();
      EXPECT_EQ(hex(framed), hex(complete));
      if (type == ContentType::change_cipher_spec) {
        EXPECT_EQ(hex(complete), "140303000101");  // RFC 8446 §5, App. D.4
      }
      ++plaintext;
      continue;
    }

    ASSERT_LT(next_step, steps.size()) << "more protected records than the schedule lists";
    const Step& step = steps[next_step++];
    EXPECT_EQ(party, step.party);
    if (!sealers.contains(step.key)) {
      auto [key, iv] = key_of(step.key);
      auto s = RecordSealer::create(aead, key, iv);
      auto o = RecordOpener::create(aead, key, iv);
      ASSERT_TRUE(s.ok() && o.ok());
      sealers.emplace(step.key, std::move(s).value());
      openers.emplace(step.key, std::move(o).value());
    }
    RecordSealer& sealer = sealers.at(step.key);
    RecordOpener& opener = openers.at(step.key);
    EXPECT_EQ(sealer.sequence(), step.seq);
    EXPECT_EQ(opener.sequence(), step.seq);
    ++checked;

    // Receiver's side.
    Bytes in = complete;
    auto opened = opener.open(in);
    bool ok = opened.ok();
    EXPECT_TRUE(ok) << opened.error().describe();
    if (ok) {
      EXPECT_EQ(opened->type, type);
      EXPECT_EQ(hex(opened->content), hex(payload));
      ok = opened->type == type && hex(opened->content) == hex(payload);
    }

    // Sender's side.
    Bytes out(kRecordHeaderLength + payload.size() + sealer.tail_room(type, payload.size()));
    std::copy(payload.begin(), payload.end(), out.begin() + kRecordHeaderLength);
    auto n = sealer.seal(out, payload.size(), type);
    EXPECT_TRUE(n.ok()) << n.error().describe();
    if (n.ok()) {
      EXPECT_EQ(*n, complete.size());
      EXPECT_EQ(hex(out), hex(complete));
      ok = ok && *n == complete.size() && hex(out) == hex(complete);
    } else {
      ok = false;
    }
    if (ok) ++matched;
  }
  EXPECT_EQ(next_step, steps.size()) << "fewer protected records than the schedule lists";
  EXPECT_GT(checked, 0u);
  EXPECT_EQ(matched, checked);
  std::cout << "RFC 8448 §" << section << " records: " << checked << " protected records checked, "
            << matched << " matched; " << plaintext << " plaintext records checked\n";
}

TEST(Rfc8448Records, Section3_SimpleOneRtt) {
  check_section("3");
}
TEST(Rfc8448Records, Section4_ResumedZeroRtt) {
  check_section("4");
}
TEST(Rfc8448Records, Section5_HelloRetryRequest) {
  check_section("5");
}
TEST(Rfc8448Records, Section6_ClientAuthentication) {
  check_section("6");
}
TEST(Rfc8448Records, Section7_CompatibilityMode) {
  check_section("7");
}

}  // namespace
}  // namespace tls13::record
