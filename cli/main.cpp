// tls13 command-line tool.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <string>

#include "cli/commands.h"
#include "cli/load.h"

int main(int argc, char** argv) {
  CLI::App app{"tls13: a TLS 1.3 client, server and demo"};
  app.require_subcommand(1);

  std::string shared = TLS13_SHARED_DIR;
  if (const char* env = std::getenv("TLS13_SHARED_DIR"); env && *env) shared = env;
  auto* demo = app.add_subcommand(
      "demo", "Run a tls13 server and client over loopback and narrate their handshake");
  bool rfc8448 = false;
  demo->add_flag("--rfc8448", rfc8448,
                 "Instead, walk the RFC 8448 §3 key schedule and check every secret");
  demo->add_option("--shared", shared, "Path of the shared/ folder with spec/rfc8448-vectors.json")
      ->capture_default_str();

  tls13::cli::ClientOptions c;
  auto* client = app.add_subcommand("client", "Connect to a TLS 1.3 server");
  client->add_option("target", c.target, "HOST:PORT")->required();
  client->add_option("--servername", c.servername, "Server name to send and verify (SNI)");
  auto* cafile =
      client->add_option("--cafile", c.cafile, "Trust anchors (PEM); default: system store");
  auto* capath = client
                     ->add_option("--capath", c.capath,
                                  "Trust anchors from a hashed directory (c_rehash layout)")
                     ->excludes(cafile);
  client->add_flag("--insecure", c.insecure, "Do not verify the server's certificate")
      ->excludes(cafile)
      ->excludes(capath);
  client->add_option("--alpn", c.alpn, "Comma-separated ALPN protocols, e.g. h2,http/1.1");
  client->add_option("--groups", c.groups, "Comma-separated groups, first gets a key share");
  client->add_option("--suites", c.suites, "Comma-separated cipher suites (IANA names)");
  client->add_option("--export", c.export_spec,
                     "LABEL:LENGTH: print TLS-Exporter keying material (no context), hex");
  client->add_flag("--json", c.json, "Print the negotiated parameters as one JSON line");
  client->add_flag("--trace", c.trace, "Print each handshake message on stderr");
  client->add_flag("--keyupdate", c.keyupdate,
                   "Send a KeyUpdate (requesting the server's) before the data");
  client->add_flag("--once", c.once, "Stop after the first response");
  client->add_option("--keylog", c.keylog,
                     "Append secrets in NSS key log format (also $SSLKEYLOGFILE)");
  client->add_option("--sess-in", c.sess_in, "Offer the session ticket in this file (resumption)");
  client->add_option("--sess-out", c.sess_out,
                     "Save a session ticket the server sends to this file (a secret)");
  client->add_option("--early-data", c.early_data,
                     "Send this file as 0-RTT early data when --sess-in allows it; if the server "
                     "does not accept it, it is sent again after the handshake");
  client->add_option("--psk-identity", c.psk.identity, "External PSK identity (with --psk)");
  client->add_option("--psk", c.psk.key_hex, "External PSK key, hex (a secret)");
  client->add_option("--psk-hash", c.psk.hash, "Hash of the external PSK: sha256 or sha384")
      ->capture_default_str();
  client->add_option(
      "--psk-modes", c.psk.modes,
      "PSK key exchange modes to offer, e.g. psk_dhe_ke,psk_ke (default psk_dhe_ke)");
  auto* send = client->add_option("--send", c.send, "Send this text instead of standard input");
  auto* ccert = client->add_option("--cert", c.cert,
                                   "Client certificate chain (PEM), sent when the server asks");
  client->add_option("--key", c.key, "Private key (PEM) for --cert")->needs(ccert);
  ccert->needs("--key");
  client->add_flag("--post-handshake-auth", c.post_handshake_auth,
                   "Offer post-handshake authentication (the server may ask for --cert later)");

  tls13::cli::ServerOptions s;
  auto* server = app.add_subcommand("server", "Serve TLS 1.3 connections (event loops)");
  server->add_option("--host", s.host, "Address to listen on")->capture_default_str();
  server->add_option("--port", s.port, "Port to listen on")->capture_default_str();
  server->add_option("--cert", s.certs, "Certificate chain (PEM); repeat for several chains");
  server->add_option("--key", s.keys, "Private key (PEM) for the matching --cert");
  server->add_option("--alpn", s.alpn, "Comma-separated ALPN protocols in preference order");
  server->add_option("--groups", s.groups, "Comma-separated groups in preference order");
  server->add_option("--suites", s.suites, "Comma-separated cipher suites in preference order");
  auto* www = server->add_flag("--www", s.www, "Answer an HTTP GET with a page of the parameters");
  server->add_flag("--echo", s.echo, "Echo application data")->excludes(www);
  server->add_option("--export", s.export_spec,
                     "LABEL:LENGTH: log TLS-Exporter keying material (no context), hex");
  server->add_option("--keylog", s.keylog,
                     "Append secrets in NSS key log format (also $SSLKEYLOGFILE)");
  server
      ->add_option("--tickets", s.tickets,
                   "Session tickets to issue per connection (0: none, no resumption)")
      ->capture_default_str();
  server->add_option("--count", s.count, "Exit after N connections (0: never)");
  server->add_flag("--trace", s.trace,
                   "Print each handshake message (KeyUpdate too) and data size on stderr "
                   "(one connection at a time, as --blocking)");
  server->add_flag("--early-data", s.early_data,
                   "Accept 0-RTT early data on resumption (single-use tickets, freshness check); "
                   "early data is logged as possibly replayed, and echoed with --echo");
  server
      ->add_option("--max-early-data", s.max_early_data,
                   "max_early_data_size announced in tickets with --early-data")
      ->capture_default_str();
  server->add_option("--psk-identity", s.psk.identity, "External PSK identity (with --psk)");
  server->add_option("--psk", s.psk.key_hex, "External PSK key, hex (a secret)");
  server->add_option("--psk-hash", s.psk.hash, "Hash of the external PSK: sha256 or sha384")
      ->capture_default_str();
  server->add_option("--psk-modes", s.psk.modes,
                     "PSK key exchange modes accepted, preferred first (default psk_dhe_ke)");
  auto* scafile =
      server->add_option("--cafile", s.cafile, "Trust anchors (PEM) for client certificates");
  auto* verify = server
                     ->add_option("--verify-client", s.verify_client,
                                  "Ask for a client certificate: required (default) or optional")
                     ->expected(0, 1)
                     ->needs(scafile);
  server
      ->add_flag("--post-handshake-auth", s.post_handshake_auth,
                 "Ask for a client certificate after the handshake (clients offering it)")
      ->needs(scafile);

  server->add_flag("--blocking", s.blocking,
                   "Serve one connection at a time on blocking sockets (no event loop)");
  server->add_option("--threads", s.threads, "Event loops, one thread each")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  server->add_option("--max-connections", s.max_connections, "Connections open at once per loop")
      ->capture_default_str();
  server->add_option("--handshake-timeout", s.handshake_timeout, "Seconds to complete a handshake")
      ->capture_default_str();
  server
      ->add_option("--idle-timeout", s.idle_timeout,
                   "Close connections silent this many seconds (0: never)")
      ->capture_default_str();

  tls13::cli::LoadOptions lo;
  auto* load = tls13::cli::add_load_command(app, lo);

  CLI11_PARSE(app, argc, argv);
  if (*demo) return rfc8448 ? tls13::cli::run_rfc8448_demo(shared) : tls13::cli::run_live_demo();
  if (*client) {
    c.send_given = send->count() > 0;
    return tls13::cli::run_client(c);
  }
  if (*load) return tls13::cli::run_load(lo);
  if (*server) {
    s.verify_client_given = verify->count() > 0;
    return tls13::cli::run_server(s);
  }
  return 0;
}
