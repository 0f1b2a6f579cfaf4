// tls13 command-line tool.
#include <CLI/CLI.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  CLI::App app{"tls13: a TLS 1.3 client, server and demo"};
  app.require_subcommand(1);
  auto* demo = app.add_subcommand("demo", "Walk the RFC 8448 key schedule and show each secret");
  (void)demo;
  CLI11_PARSE(app, argc, argv);
  return 0;
}
