# Sourced first by the interop scripts (`. "$(dirname "$0")/netns.sh"`):
# re-runs the script in a private network namespace with only loopback up,
# when unshare is permitted, so that peer servers binding the wildcard
# address (gnutls-serv, selfserv, bssl-tool) and captures see only this
# test's traffic. Exports TLS13_PEERS_NETNS: "private", or why not.
if [ -z "${TLS13_PEERS_NETNS:-}" ]; then
  if command -v unshare >/dev/null && command -v ip >/dev/null &&
    unshare -n ip link set lo up 2>/dev/null; then
    export TLS13_PEERS_NETNS=private
    exec unshare -n bash -c 'ip link set lo up && exec bash "$0" "$@"' "$0" "$@"
  fi
  export TLS13_PEERS_NETNS="host (unshare -n not permitted: wildcard peer servers bind all interfaces)"
fi
