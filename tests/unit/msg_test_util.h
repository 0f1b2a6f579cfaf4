// Helpers for the tests of src/msg.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/result.h"
#include "msg/certificate.h"
#include "msg/certificate_request.h"
#include "msg/certificate_verify.h"
#include "msg/client_hello.h"
#include "msg/encrypted_extensions.h"
#include "msg/end_of_early_data.h"
#include "msg/finished.h"
#include "msg/handshake.h"
#include "msg/key_update.h"
#include "msg/new_session_ticket.h"
#include "msg/server_hello.h"
#include "wire/writer.h"

namespace tls13::msg::test {

// Asserts that `r` failed with `alert`; prints the message otherwise.
template <class R>
::testing::AssertionResult fails_with(const R& r, Alert alert) {
  if (r.ok()) return ::testing::AssertionFailure() << "succeeded, expected " << to_string(alert);
  if (r.error().alert != alert) {
    return ::testing::AssertionFailure()
           << "failed with " << r.error().describe() << ", expected " << to_string(alert);
  }
  return ::testing::AssertionSuccess();
}

// Body encoding of a message or extension value.
template <class T>
std::vector<std::uint8_t> encode_body(const T& v) {
  std::vector<std::uint8_t> out;
  wire::Writer w(out);
  v.encode(w);
  EXPECT_TRUE(w.ok());
  return out;
}

// Full message (header + body); fails the test on overflow.
template <class M>
std::vector<std::uint8_t> encode_full(const M& m) {
  auto r = encode_message(m);
  EXPECT_TRUE(r.ok()) << r.error().describe();
  return r.ok() ? *r : std::vector<std::uint8_t>{};
}

// Decodes a complete message (with header) by its type and encodes it again;
// Finished bodies must be `hash_length` bytes.
inline Result<std::vector<std::uint8_t>> reencode(wire::Bytes message, std::size_t hash_length) {
  TLS13_ASSIGN_OR_RETURN(HandshakeView v, parse_handshake(message));
  switch (v.type) {
    case HandshakeType::client_hello: {
      TLS13_ASSIGN_OR_RETURN(auto m, ClientHello::decode(v.body));
      return encode_message(m);
    }
    case HandshakeType::server_hello: {
      TLS13_ASSIGN_OR_RETURN(auto m, ServerHello::decode(v.body));
      return encode_message(m);
    }
    case HandshakeType::encrypted_extensions: {
      TLS13_ASSIGN_OR_RETURN(auto m, EncryptedExtensions::decode(v.body));
      return encode_message(m);
    }
    case HandshakeType::certificate_request: {
      TLS13_ASSIGN_OR_RETURN(auto m, CertificateRequest::decode(v.body));
      return encode_message(m);
    }
    case HandshakeType::certificate: {
      TLS13_ASSIGN_OR_RETURN(auto m, Certificate::decode(v.body));
      return encode_message(m);
    }
    case HandshakeType::certificate_verify: {
      TLS13_ASSIGN_OR_RETURN(auto m, CertificateVerify::decode(v.body));
      return encode_message(m);
    }
    case HandshakeType::finished: {
      TLS13_ASSIGN_OR_RETURN(auto m, Finished::decode(v.body, hash_length));
      return encode_message(m);
    }
    case HandshakeType::new_session_ticket: {
      TLS13_ASSIGN_OR_RETURN(auto m, NewSessionTicket::decode(v.body));
      return encode_message(m);
    }
    case HandshakeType::end_of_early_data: {
      TLS13_ASSIGN_OR_RETURN(auto m, EndOfEarlyData::decode(v.body));
      return encode_message(m);
    }
    case HandshakeType::key_update: {
      TLS13_ASSIGN_OR_RETURN(auto m, KeyUpdate::decode(v.body));
      return encode_message(m);
    }
    default:
      break;
  }
  return Error(Alert::unexpected_message, "no codec for this type");
}

}  // namespace tls13::msg::test
