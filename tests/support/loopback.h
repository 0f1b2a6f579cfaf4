// In-memory client <-> server plumbing for handshake tests, plus a test PKI
// wrapped in the public credential types.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "support/test_pki.h"
#include "tls13/config.h"
#include "tls13/connection.h"

namespace tls13::test {

// Moves bytes both ways until neither side has output left. Returns false
// if it did not settle (a bug).
inline bool pump(Connection& client, Connection& server, int max_rounds = 64) {
  for (int i = 0; i < max_rounds; ++i) {
    bool moved = false;
    auto c = client.pending_output();
    if (!c.empty()) {
      std::vector<std::uint8_t> buf(c.begin(), c.end());
      client.consume_output(buf.size());
      (void)server.feed(buf);
      moved = true;
    }
    auto s = server.pending_output();
    if (!s.empty()) {
      std::vector<std::uint8_t> buf(s.begin(), s.end());
      server.consume_output(buf.size());
      (void)client.feed(buf);
      moved = true;
    }
    if (!moved) return true;
  }
  return false;
}

struct Pki {
  TestCert ca;
  std::shared_ptr<const TrustAnchors> anchors;
};

inline Pki make_pki() {
  Pki p{make_ca(crypto::KeyType::ec_p256), nullptr};
  p.anchors = must(TrustAnchors::from_pem(p.ca.cert.to_pem()), "anchors");
  return p;
}

inline std::shared_ptr<const CertifiedKey> server_cert(const Pki& pki, crypto::KeyType t,
                                                       std::vector<std::string> names = {
                                                           "localhost", "127.0.0.1"}) {
  auto leaf = issue_leaf(pki.ca, t, names);
  return must(CertifiedKey::from_pem(leaf.cert.to_pem() + pki.ca.cert.to_pem(), leaf.key->to_pem()),
              "certified key");
}

}  // namespace tls13::test
