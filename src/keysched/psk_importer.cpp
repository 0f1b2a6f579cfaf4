#include "keysched/psk_importer.h"

#include <cassert>

#include "crypto/hash.h"
#include "crypto/hmac.h"
#include "keysched/hkdf_label.h"
#include "wire/writer.h"

namespace tls13::ks {

Result<std::vector<std::uint8_t>> encode_imported_identity(
    std::span<const std::uint8_t> external_identity, std::span<const std::uint8_t> context,
    std::uint16_t target_protocol, std::uint16_t target_kdf) {
  if (external_identity.empty())
    return Error(Alert::internal_error, "PSK importer: the external identity is empty");
  std::vector<std::uint8_t> out;
  wire::Writer w(out);
  w.vector(2, external_identity);
  w.vector(2, context);
  w.u16(target_protocol);
  w.u16(target_kdf);
  // RFC 9258 §5.1: it becomes PskIdentity.identity<1..2^16-1>.
  if (!w.ok() || out.size() > 0xffff)
    return Error(Alert::internal_error, "PSK importer: ImportedIdentity exceeds 65535 bytes");
  return out;
}

SecretBytes derive_imported_psk(crypto::HashId epsk_hash, std::span<const std::uint8_t> epsk,
                                std::span<const std::uint8_t> imported_identity,
                                std::size_t out_length) {
  const auto epskx = crypto::hkdf_extract(epsk_hash, {}, epsk);
  const auto id_hash = crypto::Hash::oneshot(epsk_hash, imported_identity);
  SecretBytes ipskx(out_length);
  const bool ok = hkdf_expand_label(epsk_hash, epskx.span(), "derived psk", id_hash.span(),
                                    ipskx.mutable_span());
  assert(ok);  // fixed label, a digest as context, at most 48 bytes out
  (void)ok;
  return ipskx;
}

}  // namespace tls13::ks
