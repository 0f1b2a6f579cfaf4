// tls13 command-line tool.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <string>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"tls13: a TLS 1.3 client, server and demo"};
  app.require_subcommand(1);

  std::string shared = TLS13_SHARED_DIR;
  if (const char* env = std::getenv("TLS13_SHARED_DIR"); env && *env) shared = env;
  auto* demo = app.add_subcommand(
      "demo", "Walk the RFC 8448 §3 key schedule with tls13's code and check every secret");
  demo->add_option("--shared", shared, "Path of the shared/ folder with spec/rfc8448-vectors.json")
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  if (*demo) return tls13::cli::run_rfc8448_demo(shared);
  return 0;
}
