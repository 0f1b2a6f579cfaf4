// The crypto limit (bench-method.md): the raw primitives a handshake and a
// record need, timed on fully cached libcrypto contexts with thread CPU
// time (median of batches), and the rates they would allow.
#pragma once

#include <vector>

#include "common.h"

namespace bench {

struct LimitPlan {
  std::vector<Combo> hs_full, hs_resume;
  std::vector<Suite> bulk;
};

// crypto.* lines (us/op) and limit.* lines for what `plan` measures.
Samples measure_limits(const LimitPlan& plan, bool quick);

}  // namespace bench
