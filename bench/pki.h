// The benchmark's certificates: a root CA and a leaf for "localhost" under
// it, both of the key type measured. Made once per key type at start-up.
#pragma once

#include <string>

#include "common.h"

namespace bench {

struct Pki {
  std::string ca_pem;    // the client's trust anchor
  std::string leaf_pem;  // the server's chain (the leaf alone)
  std::string key_pem;   // the leaf's private key (PKCS#8)
};

const Pki& pki(Key k);

}  // namespace bench
