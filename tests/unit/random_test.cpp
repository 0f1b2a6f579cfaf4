// system_random(): the per-thread pool of DRBG output hands out fresh bytes
// every time, to every thread, and never the parent's bytes to a forked
// child.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <thread>
#include <vector>

#include "tls13/random.h"

namespace tls13 {
namespace {

using Block = std::array<std::uint8_t, 32>;

Block draw() {
  Block b{};
  system_random().fill(b);
  return b;
}

TEST(SystemRandom, EveryDrawIsFresh) {
  std::vector<Block> seen;
  for (int i = 0; i < 300; ++i) {  // more than one page of the pool
    const Block b = draw();
    EXPECT_NE(b, Block{});
    for (const Block& s : seen) ASSERT_NE(b, s);
    seen.push_back(b);
  }
}

TEST(SystemRandom, AnySizeIsFilled) {
  for (std::size_t n : {0u, 1u, 33u, 1000u, 1025u, 5000u, 70000u}) {
    std::vector<std::uint8_t> a(n, 0), b(n, 0);
    system_random().fill(a);
    system_random().fill(b);
    if (n >= 16) {
      EXPECT_NE(a, b) << n;
      EXPECT_NE(a, std::vector<std::uint8_t>(n, 0)) << n;
    }
  }
}

TEST(SystemRandom, ThreadsDrawDifferentBytes) {
  Block here = draw(), there{};
  std::thread t([&] { there = draw(); });
  t.join();
  EXPECT_NE(here, there);
  EXPECT_NE(there, Block{});
}

// The parent's pool holds unused bytes when it forks. A child that took
// them would repeat what the parent draws next (the same key shares and
// randoms in two processes).
TEST(SystemRandom, ForkedChildNeverRepeatsTheParent) {
  (void)draw();  // the pool now holds unused bytes
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const Block b = draw();
    const bool ok = write(fds[1], b.data(), b.size()) == static_cast<ssize_t>(b.size());
    _exit(ok ? 0 : 1);
  }
  close(fds[1]);
  const Block parent = draw();
  Block child{};
  std::size_t got = 0;
  while (got < child.size()) {
    const ssize_t n = read(fds[0], child.data() + got, child.size() - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT_EQ(got, child.size());
  EXPECT_NE(child, parent);
  EXPECT_NE(child, Block{});
}

}  // namespace
}  // namespace tls13
