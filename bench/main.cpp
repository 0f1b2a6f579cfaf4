// tls13-bench: tls13 and OpenSSL's libssl side by side, in one process and
// one run, by the method of ../shared/design/bench-method.md. One
// "name value unit" line per figure; lines starting with '#' are notes.
//
//   tls13-bench                   tls13.* lines only (the contract for scripts)
//   tls13-bench --with-openssl    + ossl.*, limit.*, crypto.* and the ratios
#include <openssl/crypto.h>
#include <openssl/opensslv.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "alloc_hook.h"
#include "impl.h"
#include "limit.h"

namespace bench {

void die(const std::string& what) {
  std::fprintf(stderr, "tls13-bench: %s\n", what.c_str());
  std::exit(2);
}

const char* name_of(Key k) {
  switch (k) {
    case Key::ecdsa_p256:
      return "ecdsa_p256";
    case Key::rsa2048:
      return "rsa2048";
    case Key::ed25519:
      return "ed25519";
  }
  return "";
}
const char* name_of(Suite s) {
  switch (s) {
    case Suite::aes128gcm:
      return "aes128gcm";
    case Suite::aes256gcm:
      return "aes256gcm";
    case Suite::chacha20:
      return "chacha20";
  }
  return "";
}
const char* name_of(Group g) {
  return g == Group::x25519 ? "x25519" : "p256";
}

std::string Combo::tail() const {
  return std::string(name_of(key)) + "." + name_of(suite) + "." + name_of(group);
}

namespace {

struct Options {
  bool with_openssl = false;
  bool all = false;
  bool quick = false;
  bool progress = false;
  int rounds = 3;
  int profile = 0;
  std::string only;
  Budget budget;
};

void usage() {
  std::puts(
      "usage: tls13-bench [--with-openssl] [--rounds N] [--all] [--quick] [--only REGEX]\n"
      "                   [--progress] [--hs-seconds S] [--bulk-seconds S] [--mem-pairs N]\n"
      "  (no option)     tls13.* lines only: handshakes, resumption, bulk, allocations, memory\n"
      "  --with-openssl  also OpenSSL's libssl (ossl.*), the crypto limit (limit.*, crypto.*)\n"
      "                  and the ratios, all from the same run\n"
      "  --rounds N      rounds (default 3); figures are medians over the undisturbed rounds\n"
      "  --all           every key x suite x group (default: a representative set)\n"
      "  --quick         tiny budgets (smoke test; the figures mean nothing)\n"
      "  --only REGEX    only tests whose name matches, e.g. 'hs_full.ecdsa_p256|bulk'\n"
      "  --progress      a progress line on stderr\n"
      "  --profile N     only N tls13 handshakes / records of each selected test, no output\n"
      "                  (for perf or callgrind --toggle-collect='bench::profile_*')");
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--with-openssl") {
      o.with_openssl = true;
    } else if (a == "--all") {
      o.all = true;
    } else if (a == "--quick") {
      o.quick = true;
    } else if (a == "--progress") {
      o.progress = true;
    } else if (a == "--rounds") {
      o.rounds = std::max(1, std::atoi(value().c_str()));
    } else if (a == "--profile") {
      o.profile = std::max(1, std::atoi(value().c_str()));
    } else if (a == "--only") {
      o.only = value();
    } else if (a == "--hs-seconds") {
      o.budget.hs_seconds = std::atof(value().c_str());
    } else if (a == "--bulk-seconds") {
      o.budget.bulk_seconds = std::atof(value().c_str());
    } else if (a == "--mem-pairs") {
      o.budget.mem_pairs = std::max(1, std::atoi(value().c_str()));
    } else if (a == "--help" || a == "-h") {
      usage();
      std::exit(0);
    } else {
      usage();
      die("unknown option " + a);
    }
  }
  if (o.quick) {
    o.budget.hs_seconds = 0;
    o.budget.hs_min = 3;
    o.budget.bulk_seconds = 0;
    o.budget.bulk_max_bytes = 64 * 16384;
    o.budget.mem_pairs = 8;
    o.budget.alloc_runs = 2;
    o.rounds = std::min(o.rounds, 1);
  }
  return o;
}

enum class Kind { hs_full, hs_resume, bulk, mem };

struct Test {
  Kind kind;
  Combo combo;
  std::string name;  // "hs_full.ecdsa_p256.aes128gcm.x25519", "bulk.aes128gcm", ...
};

std::vector<Test> plan_tests(const Options& o) {
  std::vector<Combo> full;
  if (o.all) {
    for (Key k : {Key::ecdsa_p256, Key::rsa2048, Key::ed25519})
      for (Suite s : {Suite::aes128gcm, Suite::aes256gcm, Suite::chacha20})
        for (Group g : {Group::x25519, Group::p256}) full.push_back({k, s, g});
  } else {
    full = {{Key::ecdsa_p256, Suite::aes128gcm, Group::x25519},
            {Key::rsa2048, Suite::aes128gcm, Group::x25519},
            {Key::ed25519, Suite::aes128gcm, Group::x25519},
            {Key::ecdsa_p256, Suite::chacha20, Group::x25519},
            {Key::ecdsa_p256, Suite::aes128gcm, Group::p256}};
  }
  std::vector<Test> t;
  for (const Combo& c : full) t.push_back({Kind::hs_full, c, "hs_full." + c.tail()});
  const Combo main{};
  t.push_back({Kind::hs_resume, main, "hs_resume." + main.tail()});
  if (o.all) {
    for (Group g : {Group::x25519, Group::p256}) {
      const Combo c{Key::ecdsa_p256, Suite::chacha20, g};
      t.push_back({Kind::hs_resume, c, "hs_resume." + c.tail()});
    }
  }
  for (Suite s : {Suite::aes128gcm, Suite::aes256gcm, Suite::chacha20})
    t.push_back(
        {Kind::bulk, Combo{Key::ecdsa_p256, s, Group::x25519}, std::string("bulk.") + name_of(s)});
  t.push_back({Kind::mem, main, "mem." + main.tail()});
  if (o.all) {
    for (Key k : {Key::rsa2048, Key::ed25519}) {
      const Combo c{k, Suite::aes128gcm, Group::x25519};
      t.push_back({Kind::mem, c, "mem." + c.tail()});
    }
  }
  if (!o.only.empty()) {
    const std::regex re(o.only);
    std::erase_if(t, [&](const Test& x) { return !std::regex_search(x.name, re); });
  }
  return t;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Per round: name -> value; units by name.
struct Table {
  std::vector<std::map<std::string, double>> rounds;
  std::map<std::string, std::string> unit;
  std::vector<std::string> order;  // first-seen order, for printing
  void add(std::size_t round, const Sample& s) {
    if (rounds.size() <= round) rounds.resize(round + 1);
    if (!unit.count(s.name)) order.push_back(s.name);
    unit[s.name] = s.unit;
    rounds[round][s.name] = s.value;
  }
};

class Progress {
 public:
  Progress(bool on, int total) : on_(on), total_(total) {}
  void step(const std::string& what) {
    ++done_;
    if (on_) {
      std::fprintf(stderr, "\r[%3d/%3d] %-60.60s", done_, total_, what.c_str());
      std::fflush(stderr);
    }
  }
  void finish() {
    if (on_) std::fprintf(stderr, "\r%-75s\r", "");
  }

 private:
  bool on_;
  int total_;
  int done_ = 0;
};

}  // namespace

int run(int argc, char** argv) {
  const Options o = parse(argc, argv);
  const std::vector<Test> tests = plan_tests(o);
  if (tests.empty()) die("--only matches no test");
  std::vector<std::unique_ptr<Impl>> impls;
  impls.push_back(make_tls13());
  if (o.profile) {
    for (const Test& t : tests) {
      if (t.kind == Kind::bulk) profile_records(*impls[0], t.combo, o.profile);
      if (t.kind == Kind::hs_full || t.kind == Kind::hs_resume)
        profile_handshakes(*impls[0], t.combo, t.kind == Kind::hs_full ? Mode::full : Mode::resume,
                           o.profile);
    }
    return 0;
  }
  if (o.with_openssl) impls.push_back(make_ossl());

  // Notes go to stdout with --with-openssl (a full report), to stderr
  // otherwise so that stdout holds only tls13.* lines.
  FILE* notes = o.with_openssl ? stdout : stderr;
  std::fprintf(notes, "# tls13-bench: %s; one thread, in memory (bench-method.md)\n",
               OpenSSL_version(OPENSSL_VERSION));
  std::fprintf(notes, "# rounds %d%s%s\n", o.rounds, o.quick ? ", quick (figures meaningless)" : "",
               o.all ? ", all combinations" : "");

  LimitPlan lp;
  for (const Test& t : tests) {
    if (t.kind == Kind::hs_full) lp.hs_full.push_back(t.combo);
    if (t.kind == Kind::hs_resume) lp.hs_resume.push_back(t.combo);
    if (t.kind == Kind::bulk) lp.bulk.push_back(t.combo.suite);
  }

  int timed_tests = 0;
  for (const Test& t : tests)
    timed_tests += t.kind == Kind::hs_full || t.kind == Kind::hs_resume || t.kind == Kind::bulk;
  const int steps =
      o.rounds * (timed_tests * static_cast<int>(impls.size()) + (o.with_openssl ? 1 : 0)) +
      static_cast<int>(tests.size()) * static_cast<int>(impls.size());
  Progress progress(o.progress, steps);

  Table table;
  Samples once;  // counts and memory: deterministic, measured once
  std::vector<double> round_min_ratio(static_cast<std::size_t>(o.rounds), 1.0);
  std::vector<std::string> round_worst(static_cast<std::size_t>(o.rounds));
  for (int r = 0; r < o.rounds; ++r) {
    const auto ri = static_cast<std::size_t>(r);
    if (o.with_openssl) {
      progress.step("round " + std::to_string(r + 1) + ": crypto limit");
      for (const Sample& s : measure_limits(lp, o.quick)) table.add(ri, s);
    }
    for (const Test& t : tests) {
      if (t.kind == Kind::mem) continue;
      for (auto& impl : impls) {
        progress.step("round " + std::to_string(r + 1) + ": " + impl->prefix() + "." + t.name);
        Measured m =
            t.kind == Kind::bulk
                ? measure_bulk(*impl, t.combo, o.budget)
                : measure_handshakes(*impl, t.combo,
                                     t.kind == Kind::hs_full ? Mode::full : Mode::resume, o.budget);
        for (const Sample& s : m.samples) table.add(ri, s);
        std::fprintf(notes, "# round %d %s.%s cpu/wall %.3f\n", r + 1, impl->prefix(),
                     t.name.c_str(), m.cpu_wall);
        if (m.cpu_wall < round_min_ratio[ri]) {
          round_min_ratio[ri] = m.cpu_wall;
          round_worst[ri] = std::string(impl->prefix()) + "." + t.name;
        }
      }
    }
  }
  for (const Test& t : tests) {
    for (auto& impl : impls) {
      progress.step(std::string("counts: ") + impl->prefix() + "." + t.name);
      Samples s;
      if (t.kind == Kind::hs_full || t.kind == Kind::hs_resume)
        s = count_handshake_allocs(*impl, t.combo,
                                   t.kind == Kind::hs_full ? Mode::full : Mode::resume, o.budget);
      else if (t.kind == Kind::bulk)
        s = count_record_allocs(*impl, t.combo);
      else {
        s = measure_memory(*impl, t.combo, false, o.budget);
        if (impl->has_relbuf()) {
          Samples rb = measure_memory(*impl, t.combo, true, o.budget);
          s.insert(s.end(), rb.begin(), rb.end());
        }
      }
      once.insert(once.end(), s.begin(), s.end());
    }
  }
  progress.finish();

  // Rounds whose worst loop ran below 0.9 cpu/wall were disturbed (the
  // machine is shared); medians use the others when most rounds are clean.
  std::vector<std::size_t> used;
  for (std::size_t r = 0; r < round_min_ratio.size(); ++r) {
    const bool disturbed = round_min_ratio[r] < 0.9;
    std::fprintf(notes, "# round %zu: min cpu/wall %.3f (%s)%s\n", r + 1, round_min_ratio[r],
                 round_worst[r].c_str(), disturbed ? " DISTURBED" : "");
    if (!disturbed) used.push_back(r);
  }
  if (used.size() * 2 < round_min_ratio.size()) {
    used.clear();
    for (std::size_t r = 0; r < round_min_ratio.size(); ++r) used.push_back(r);
  }
  std::string used_s;
  for (std::size_t r : used) used_s += (used_s.empty() ? "" : ",") + std::to_string(r + 1);
  std::fprintf(notes, "# medians over rounds %s\n", used_s.c_str());

  auto med = [&](const std::string& name, std::optional<std::string> over = {}) -> double {
    std::vector<double> v;
    for (std::size_t r : used) {
      const auto& m = table.rounds[r];
      auto a = m.find(name);
      if (a == m.end()) continue;
      if (!over) {
        v.push_back(a->second);
      } else if (auto b = m.find(*over); b != m.end() && b->second > 0) {
        v.push_back(a->second / b->second);  // ratio within the round
      }
    }
    return v.empty() ? NAN : median(v);
  };
  auto print = [](const std::string& name, double v, const std::string& unit) {
    std::printf("%s %.3f %s\n", name.c_str(), v, unit.c_str());
  };
  const std::set<std::string> prefixes = {"tls13.", "ossl.", "limit.", "crypto."};
  for (const char* p : {"tls13.", "ossl.", "limit.", "crypto."}) {
    for (const std::string& n : table.order)
      if (n.rfind(p, 0) == 0) print(n, med(n), table.unit[n]);
    for (const Sample& s : once)
      if (s.name.rfind(p, 0) == 0) print(s.name, s.value, s.unit);
  }
  if (!o.with_openssl) return 0;

  // Ratios, each taken within a round, then the median.
  for (const std::string& n : table.order) {
    if (n.rfind("tls13.", 0) != 0) continue;
    const std::string tail = n.substr(6);
    // send_inplace / recv_inplace (tls13's copy-free calls) are set against
    // the same peers as send / recv: OpenSSL's SSL_write / SSL_read and the
    // AEAD bound.
    std::string peer_tail = tail;
    for (const char* io : {".send", ".recv"}) {
      const std::string suffix = std::string(io) + "_inplace";
      if (const auto at = peer_tail.rfind(suffix); at != std::string::npos)
        peer_tail.replace(at, std::string::npos, io);
    }
    print("ratio.tls13_vs_ossl." + tail, med(n, "ossl." + peer_tail), "x");
    if (table.unit.count("limit." + peer_tail)) {
      print("ratio.tls13_vs_limit." + tail, med(n, "limit." + peer_tail), "x");
      if (peer_tail == tail)
        print("ratio.ossl_vs_limit." + tail, med("ossl." + tail, "limit." + tail), "x");
    }
  }
  std::map<std::string, double> counts;
  for (const Sample& s : once) counts[s.name] = s.value;
  for (const Sample& s : once) {
    if (s.name.rfind("tls13.", 0) != 0) continue;
    auto it = counts.find("ossl." + s.name.substr(6));
    if (it != counts.end() && s.value > 0)
      print("ratio.ossl_over_tls13." + s.name.substr(6), it->second / s.value, "x");
  }
  return 0;
}

}  // namespace bench

int main(int argc, char** argv) {
  bench::install_openssl_hooks();  // before libcrypto allocates anything
  return bench::run(argc, argv);
}
