#include "msg/encrypted_extensions.h"

#include "msg/codec_util.h"

namespace tls13::msg {

Result<EncryptedExtensions> EncryptedExtensions::decode(wire::Bytes body,
                                                        const DecodeLimits& limits) {
  wire::Reader r(body);
  EncryptedExtensions ee;
  TLS13_ASSIGN_OR_RETURN(ee.extensions, decode_extensions(r, MessageContext::encrypted_extensions,
                                                          limits.max_extensions));
  if (!r.empty()) return detail::decode_error("EncryptedExtensions: trailing data");
  return ee;
}

}  // namespace tls13::msg
