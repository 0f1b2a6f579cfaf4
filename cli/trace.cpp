#include "cli/trace.h"

#include <cstdio>

namespace tls13::cli {

void StderrTrace::message(bool sent, std::string_view name, std::string_view summary) {
  std::fprintf(stderr, "%s %-20.*s %.*s\n", sent ? ">>" : "<<", static_cast<int>(name.size()),
               name.data(), static_cast<int>(summary.size()), summary.data());
}

void StderrTrace::secret(std::string_view name) {
  std::fprintf(stderr, "   derived %.*s\n", static_cast<int>(name.size()), name.data());
}

void StderrTrace::application_data(bool sent, std::size_t n) {
  std::fprintf(stderr, "%s %-20s %zu bytes\n", sent ? ">>" : "<<", "application data", n);
}

}  // namespace tls13::cli
