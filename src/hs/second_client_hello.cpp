#include "hs/second_client_hello.h"

#include <algorithm>
#include <string>

#include "msg/ext_psk.h"

namespace tls13::hs {

namespace {

using msg::ExtensionType;

Error inconsistent(const std::string& what) {
  return Error(Alert::illegal_parameter, "second ClientHello differs from the first: " + what);
}

bool same(wire::Bytes a, wire::Bytes b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

// Extensions §4.1.2 lets the second ClientHello change, add or drop.
bool may_change(std::uint16_t type) {
  switch (static_cast<ExtensionType>(type)) {
    case ExtensionType::key_share:
    case ExtensionType::early_data:
    case ExtensionType::cookie:
    case ExtensionType::pre_shared_key:
    case ExtensionType::padding:
      return true;
    default:
      return false;
  }
}

// pre_shared_key: the same identities in the same order, less some the
// chosen suite cannot use; never less the one the server chose.
Result<void> check_psks(const FirstClientHello& first, const msg::ClientHello& ch1,
                        const msg::ClientHello& ch2) {
  auto p1 = ch1.extensions.get<msg::OfferedPsks>();
  auto p2 = ch2.extensions.get<msg::OfferedPsks>();
  if (!p1) return std::move(p1).error();
  if (!p2) return std::move(p2).error();
  if (!p1->has_value()) {
    if (p2->has_value()) return inconsistent("it adds pre_shared_key");
    return ok();
  }
  std::size_t i = 0;
  bool kept_chosen = first.psk_identity.empty();
  if (p2->has_value()) {
    for (const auto& id : (*p2)->identities) {
      while (i < (*p1)->identities.size() && !same((*p1)->identities[i].identity, id.identity)) ++i;
      if (i == (*p1)->identities.size()) return inconsistent("a PSK identity it did not offer");
      ++i;
      kept_chosen = kept_chosen || same(id.identity, first.psk_identity);
    }
  }
  if (!kept_chosen) return inconsistent("it drops the PSK the server chose");
  return ok();
}

}  // namespace

Result<void> check_second_client_hello(const FirstClientHello& first,
                                       const msg::ClientHello& second,
                                       const msg::DecodeLimits& limits) {
  auto ch1 = msg::ClientHello::decode(first.body, limits);
  if (!ch1) return Error(Alert::internal_error, "first ClientHello no longer decodes");
  if (ch1->legacy_version != second.legacy_version) return inconsistent("legacy_version");
  if (ch1->random != second.random) return inconsistent("random");
  if (!same(ch1->legacy_session_id, second.legacy_session_id))
    return inconsistent("legacy_session_id");
  if (ch1->cipher_suites != second.cipher_suites) return inconsistent("cipher_suites");
  if (!same(ch1->legacy_compression_methods, second.legacy_compression_methods))
    return inconsistent("legacy_compression_methods");
  // Every other extension stays, with the same contents; none is added.
  for (const auto& e : ch1->extensions) {
    if (may_change(e.type)) continue;
    auto e2 = second.extensions.find(e.type);
    if (!e2) return inconsistent("extension " + std::to_string(e.type) + " is gone");
    if (!same(e.body, e2->body)) return inconsistent("extension " + std::to_string(e.type));
  }
  for (const auto& e : second.extensions)
    if (!may_change(e.type) && !ch1->extensions.contains(e.type))
      return inconsistent("extension " + std::to_string(e.type) + " is new");
  return check_psks(first, *ch1, second);
}

}  // namespace tls13::hs
