// Local limits applied while decoding messages. The RFC bounds are always
// enforced; these keep a conforming but hostile peer from making us do
// needless work.
#pragma once

#include <cstddef>

#include "msg/extension.h"

namespace tls13::msg {

struct DecodeLimits {
  // Entries per extension block (decode_error above it).
  std::size_t max_extensions = kDefaultMaxExtensions;
  // CertificateEntry count in a Certificate message (decode_error above it).
  // Real chains hold 2-5 certificates.
  std::size_t max_certificate_entries = 32;
};

}  // namespace tls13::msg
