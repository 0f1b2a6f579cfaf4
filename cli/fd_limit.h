// Many connections need many descriptors: the event-loop server and the
// load generator raise their soft RLIMIT_NOFILE to the hard limit.
#pragma once

namespace tls13::cli {

// Raises the soft descriptor limit to the hard one; returns the new soft
// limit.
long raise_fd_limit();

}  // namespace tls13::cli
