// Entry points of the tls13 tool's subcommands.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/psk_options.h"

namespace tls13::cli {

// Walks the RFC 8448 §3 key schedule; 0 when every value matches.
int run_rfc8448_demo(const std::string& shared_dir);
// A live handshake between a tls13 server and client over loopback,
// annotated step by step.
int run_live_demo();

struct ClientOptions {
  std::string target;  // HOST:PORT
  std::string export_spec, servername, cafile, capath, alpn, groups, suites, send, keylog;
  bool keyupdate = false;
  std::string sess_in, sess_out;  // a stored session ticket (StoredSession::serialize)
  std::string cert, key;          // client certificate chain and key (client authentication)
  bool post_handshake_auth = false;
  bool insecure = false, json = false, trace = false, send_given = false, once = false;
  std::string early_data;  // file sent as 0-RTT data (resent after the handshake if refused)
  PskOptions psk;
};
int run_client(const ClientOptions& o);

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8443;
  std::vector<std::string> certs, keys;
  std::string alpn, groups, suites, keylog, export_spec;
  bool www = false, echo = false;
  long count = 0;           // 0: forever
  unsigned tickets = 2;     // NewSessionTickets per connection; 0: no tickets, no resumption
  bool early_data = false;  // accept 0-RTT (with anti-replay)
  std::uint32_t max_early_data = 16384;  // max_early_data_size in tickets
  PskOptions psk;
  std::string cafile;         // anchors for client certificates
  std::string verify_client;  // "required" or "optional" (--verify-client given)
  bool verify_client_given = false;
  bool post_handshake_auth = false;  // request a client certificate after the handshake
  bool trace = false;                // handshake messages and data on stderr
  // Event loops (server_loop.cpp) unless --blocking.
  bool blocking = false;          // the one-connection-at-a-time server
  unsigned threads = 1;           // event loops, one thread each
  long max_connections = 100000;  // open at once per loop
  double handshake_timeout = 10;  // seconds
  double idle_timeout = 0;        // seconds without input; 0: none
};
int run_server(const ServerOptions& o);

}  // namespace tls13::cli
