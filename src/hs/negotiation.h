// Pure negotiation rules shared by client and server: suite, group, ALPN and
// signature scheme selection (RFC 8446 §4.1.1, §4.2.7-4.2.8, RFC 7301 §3.2).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"
#include "tls13/config.h"
#include "tls13/types.h"

namespace tls13::hs {

// The server's most preferred suite that the client offers.
std::optional<CipherSuite> select_cipher_suite(std::span<const CipherSuite> server_prefs,
                                               std::span<const CipherSuite> client_offer);

struct GroupChoice {
  NamedGroup group;
  bool need_hello_retry;  // the client sent no key share for `group`
};

// The server's most preferred group among the client's supported_groups. If
// the client sent no share for it, a HelloRetryRequest asks for one
// (RFC 8446 §4.1.4). nullopt: no common group (handshake_failure).
std::optional<GroupChoice> select_group(std::span<const NamedGroup> server_prefs,
                                        std::span<const NamedGroup> client_supported,
                                        std::span<const NamedGroup> client_shares);

// ALPN (RFC 7301 §3.2): the server's most preferred protocol the client
// offers. Empty result: no ALPN in the ServerHello (the client offered none,
// or we have none configured). no_application_protocol when both sides use
// ALPN but share nothing and `required`.
Result<std::string> select_alpn(std::span<const std::string> server_prefs,
                                std::span<const std::string> client_offer, bool required);

// The first of our schemes (preference order) that the peer offered and
// that `usable` allows.
template <class Pred>
std::optional<SignatureScheme> select_scheme(std::span<const SignatureScheme> ours,
                                             std::span<const SignatureScheme> peer_offer,
                                             Pred usable) {
  for (SignatureScheme s : ours)
    for (SignatureScheme p : peer_offer)
      if (s == p && usable(s)) return s;
  return std::nullopt;
}

// The schemes we sign with, in preference order (CommonConfig).
inline const std::vector<SignatureScheme>& signing_preferences(const CommonConfig& c) {
  return c.signing_schemes.empty() ? c.signature_schemes : c.signing_schemes;
}

template <class T>
bool contains(std::span<const T> list, const T& v) {
  for (const auto& x : list)
    if (x == v) return true;
  return false;
}

}  // namespace tls13::hs
