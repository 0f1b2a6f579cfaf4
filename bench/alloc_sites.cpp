// Allocation sites for BENCH_ALLOC_SITES (diagnostics): the stack of each
// allocation is kept raw and charged, when printed, to the innermost tls13
// function on it.
#include <cxxabi.h>
#include <dlfcn.h>
#include <execinfo.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "alloc_hook.h"

namespace bench {

namespace {
struct Site {
  void* frames[24];
  int n;
};
std::vector<Site>* g_sites = nullptr;
}  // namespace

void prepare_sites() {
  if (g_sites) return;
  void* warm[4];
  backtrace(warm, 4);  // loads the unwinder before tracing starts
  g_sites = new std::vector<Site>();
  g_sites->reserve(1 << 16);
}

void note_site() noexcept {
  if (!g_sites || g_sites->size() == g_sites->capacity()) return;
  Site s;
  s.n = backtrace(s.frames, 24);
  g_sites->push_back(s);
}

void print_sites(double per) {
  if (!g_sites) return;
  // BENCH_ALLOC_SITES=2 also names the function the tls13 frame called
  // (e.g. the libcrypto entry point), to split a site by what it calls.
  const char* mode = std::getenv("BENCH_ALLOC_SITES");
  const bool callee = mode && std::string(mode) == "2";
  std::map<std::string, double> by;
  for (const Site& s : *g_sites) {
    std::string where = "?";
    std::string below;
    for (int i = 0; i < s.n; ++i) {
      Dl_info info{};
      if (!dladdr(s.frames[i], &info) || !info.dli_sname) continue;
      int st = 0;
      char* dm = abi::__cxa_demangle(info.dli_sname, nullptr, nullptr, &st);
      std::string name = st == 0 && dm ? dm : info.dli_sname;
      std::free(dm);
      if (name.rfind("tls13::", 0) == 0 || name.find(" tls13::") != std::string::npos) {
        where = name.substr(0, 100);
        if (callee && !below.empty()) where += " -> " + below.substr(0, 60);
        break;
      }
      below = name;
    }
    by[where] += 1;
  }
  std::vector<std::pair<double, std::string>> v;
  for (auto& [k, n] : by) v.push_back({n / per, k});
  std::sort(v.rbegin(), v.rend());
  for (auto& [n, k] : v) std::fprintf(stderr, "%8.1f %s\n", n, k.c_str());
  g_sites->clear();
}

}  // namespace bench
