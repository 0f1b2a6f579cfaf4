// Record header and unprotected records (RFC 8446 §5.1).
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "record/record_header.h"

namespace tls13::record {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(RecordHeader, WriteAndParse) {
  Bytes b(5);
  write_header({ContentType::handshake, 0x0301, 0x1234}, b);
  EXPECT_EQ(b, (Bytes{22, 3, 1, 0x12, 0x34}));
  auto h = parse_header(b);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->type, ContentType::handshake);
  EXPECT_EQ(h->legacy_version, 0x0301);
  EXPECT_EQ(h->length, 0x1234);
}

TEST(RecordHeader, ParseErrors) {
  auto short_hdr = parse_header(Bytes{22, 3, 3, 0});
  ASSERT_FALSE(short_hdr.ok());
  EXPECT_EQ(short_hdr.error().alert, Alert::decode_error);

  for (std::uint8_t t : {0, 19, 24, 255}) {
    auto r = parse_header(Bytes{t, 3, 3, 0, 1});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().alert, Alert::unexpected_message);
  }
  // 2^14 + 256 is the largest length of any record; one more overflows.
  EXPECT_TRUE(parse_header(Bytes{23, 3, 3, 0x41, 0x00}).ok());
  auto big = parse_header(Bytes{23, 3, 3, 0x41, 0x01});
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().alert, Alert::record_overflow);
  // legacy_record_version is ignored.
  EXPECT_TRUE(parse_header(Bytes{22, 0x7f, 0x12, 0, 1}).ok());
}

TEST(RecordHeader, PlaintextRecord) {
  Bytes rec = {22, 3, 1, 0, 3, 0xaa, 0xbb, 0xcc};
  auto r = parse_plaintext(rec);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->type, ContentType::handshake);
  EXPECT_EQ(Bytes(r->fragment.begin(), r->fragment.end()), (Bytes{0xaa, 0xbb, 0xcc}));
  EXPECT_EQ(r->fragment.data(), rec.data() + 5);

  auto ccs = parse_plaintext(Bytes{20, 3, 3, 0, 1, 1});
  ASSERT_TRUE(ccs.ok());
  EXPECT_EQ(ccs->type, ContentType::change_cipher_spec);
}

TEST(RecordHeader, PlaintextRecordErrors) {
  auto alert_of = [](const Bytes& b) { return parse_plaintext(b).error().alert; };
  EXPECT_EQ(alert_of({22, 3, 3, 0, 3, 1, 2}), Alert::decode_error);     // truncated
  EXPECT_EQ(alert_of({22, 3, 3, 0, 1, 1, 2}), Alert::decode_error);     // trailing byte
  EXPECT_EQ(alert_of({23, 3, 3, 0, 1, 1}), Alert::unexpected_message);  // app data
  EXPECT_EQ(alert_of({22, 3, 3, 0, 0}), Alert::unexpected_message);     // empty handshake
  EXPECT_EQ(alert_of({21, 3, 3, 0, 0}), Alert::unexpected_message);     // empty alert
  Bytes big(5 + kMaxPlaintextLength + 1, 0);
  big[0] = 22, big[1] = 3, big[2] = 3, big[3] = 0x40, big[4] = 0x01;
  EXPECT_EQ(alert_of(big), Alert::record_overflow);
  big.pop_back();
  big[4] = 0x00;
  EXPECT_TRUE(parse_plaintext(big).ok());  // exactly 2^14
}

TEST(RecordHeader, FramePlaintext) {
  Bytes buf = {0, 0, 0, 0, 0, 1, 2, 3, 9, 9};
  auto n = frame_plaintext(buf, 3, ContentType::handshake);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 8u);
  EXPECT_EQ(Bytes(buf.begin(), buf.begin() + 8), (Bytes{22, 3, 3, 0, 3, 1, 2, 3}));

  auto legacy = frame_plaintext(buf, 3, ContentType::handshake, 0x0301);
  ASSERT_TRUE(legacy.ok());
  EXPECT_EQ(buf[2], 1);

  auto alert_of = [&](std::size_t len, ContentType t) {
    return frame_plaintext(buf, len, t).error().alert;
  };
  EXPECT_EQ(alert_of(3, ContentType::application_data), Alert::internal_error);
  EXPECT_EQ(alert_of(0, ContentType::handshake), Alert::internal_error);
  EXPECT_EQ(alert_of(6, ContentType::handshake), Alert::internal_error);  // buffer too small
  Bytes big(5 + kMaxPlaintextLength + 1);
  EXPECT_EQ(frame_plaintext(big, kMaxPlaintextLength + 1, ContentType::handshake).error().alert,
            Alert::internal_error);
  EXPECT_TRUE(frame_plaintext(big, kMaxPlaintextLength, ContentType::handshake).ok());
}

TEST(RecordHeader, ContentTypeNames) {
  EXPECT_EQ(to_string(ContentType::application_data), "application_data");
  EXPECT_EQ(to_string(ContentType::change_cipher_spec), "change_cipher_spec");
  EXPECT_EQ(to_string(static_cast<ContentType>(99)), "unknown");
}

}  // namespace
}  // namespace tls13::record
