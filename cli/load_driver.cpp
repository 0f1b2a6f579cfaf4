// A load-generator thread: per connection a non-blocking connect, the
// handshake, an optional echo of --bytes, and close_notify both ways.
#include "cli/load_driver.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace tls13::cli {

namespace {

using Clock = std::chrono::steady_clock;

// --bytes goes out as 1 KiB lines ("xxx...x\n") so that line-based echo
// servers (openssl s_server -rev) answer with as many bytes.
constexpr std::size_t kLine = 1024;
constexpr std::size_t kChunk = 16 * 1024;

const std::array<std::uint8_t, kChunk + kLine>& lines() {
  static const auto buf = [] {
    std::array<std::uint8_t, kChunk + kLine> b{};
    for (std::size_t i = 0; i < b.size(); ++i) b[i] = (i % kLine == kLine - 1) ? '\n' : 'x';
    return b;
  }();
  return buf;
}

std::string describe_end(Stream& s, CloseReason why) {
  if (why == CloseReason::tls_error && s.connection().error()) {
    const Error& e = *s.connection().error();
    return std::string("alert ") + std::string(to_string(e.alert)) +
           (e.from_peer ? " (received)" : " (sent)");
  }
  std::string r(to_string(why));
  if (why == CloseReason::io_error) r += std::string(" ") + std::strerror(s.io_errno());
  return r;
}

class LoadConnection final : public StreamHandler {
 public:
  explicit LoadConnection(LoadDriver& d) : d_(d), t0_(Clock::now()) {}

  void on_handshake(Stream& s) override {
    hs_ = true;
    d_.on_handshake(t0_, s.connection().info().resumed);
    if (d_.options().idle) return;  // held open
    if (d_.bytes_per_connection() == 0) return s.close();
    send(s);
  }

  void on_writable(Stream& s) override { send(s); }

  void on_data(Stream& s) override {
    std::uint8_t buf[16384];
    std::uint64_t got = 0;
    while (s.readable() > 0) got += s.read(buf);
    received_ += got;
    d_.count_bytes(0, got);
    if (received_ >= d_.bytes_per_connection() && sent_ >= d_.bytes_per_connection()) s.close();
  }

  void on_closed(Stream& s, CloseReason why) override {
    const bool echoed = received_ >= d_.bytes_per_connection();
    const bool ok = why == CloseReason::closed && hs_ && echoed;
    std::string err;
    if (!ok) err = why == CloseReason::closed ? std::string("short echo") : describe_end(s, why);
    d_.on_end(hs_, ok, err);
  }

 private:
  void send(Stream& s) {
    const std::uint64_t total = d_.bytes_per_connection();
    while (sent_ < total && s.write_room() > 0) {
      const std::size_t off = static_cast<std::size_t>(sent_ % kLine);
      const std::size_t n = static_cast<std::size_t>(
          std::min<std::uint64_t>({total - sent_, kChunk, s.write_room()}));
      auto w = s.write(std::span(lines().data() + off, n));
      if (!w || *w == 0) return;
      sent_ += *w;
      d_.count_bytes(*w, 0);
    }
  }

  LoadDriver& d_;
  Clock::time_point t0_;
  bool hs_ = false;
  std::uint64_t sent_ = 0, received_ = 0;
};

}  // namespace

void LoadTally::merge(const LoadTally& o) {
  started += o.started;
  handshakes += o.handshakes;
  resumed += o.resumed;
  completed += o.completed;
  bytes_sent += o.bytes_sent;
  bytes_received += o.bytes_received;
  established += o.established;
  latency_us.insert(latency_us.end(), o.latency_us.begin(), o.latency_us.end());
  for (const auto& [k, v] : o.errors) errors[k] += v;
}

LoadDriver::LoadDriver(EventLoop loop, const LoadOptions& o,
                       std::shared_ptr<const ClientConfig> cfg, const Target& target,
                       unsigned connections)
    : o_(o),
      cfg_(std::move(cfg)),
      target_(target),
      connections_(connections),
      bytes_((o.bytes + kLine - 1) / kLine * kLine),
      loop_(std::move(loop)) {}

void LoadDriver::start_one() {
  const int fd = ::socket(target_.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    ++tally_.errors[std::string("socket: ") + std::strerror(errno)];
    starting_ = false;  // out of descriptors: keep what we have
    return;
  }
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&target_.addr), target_.len) != 0 &&
      errno != EINPROGRESS) {
    ++tally_.errors[std::string("connect: ") + std::strerror(errno)];
    ::close(fd);
    return;
  }
  auto s = loop_.connect(fd, Connection::client(cfg_, target_.sni),
                         std::make_unique<LoadConnection>(*this));
  if (!s) {
    ++tally_.errors[s.error().message];
    return;
  }
  ++tally_.started;
  ++active_;
  ++handshaking_;
}

void LoadDriver::fill() {
  if (o_.idle) {
    while (starting_ && tally_.started < connections_ && handshaking_ < o_.max_pending) start_one();
    return;
  }
  while (starting_ && active_ < connections_ && handshaking_ < o_.max_pending) start_one();
}

bool LoadDriver::ramp_done() const noexcept {
  return handshaking_ == 0 && (tally_.started >= connections_ || !starting_);
}

void LoadDriver::on_handshake(Clock::time_point t0, bool resumed) {
  --handshaking_;
  if (!counting_) return;
  ++tally_.handshakes;
  if (resumed) ++tally_.resumed;
  if (o_.idle) ++tally_.established;
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
  tally_.latency_us.push_back(static_cast<std::uint32_t>(std::min<long long>(us, UINT32_MAX)));
}

void LoadDriver::on_end(bool handshake_done, bool ok, const std::string& error) {
  --active_;
  if (!handshake_done) --handshaking_;
  if (!counting_) return;
  if (o_.idle && handshake_done) --tally_.established;
  if (ok)
    ++tally_.completed;
  else
    ++tally_.errors[error];
  fill();
}

void LoadDriver::count_bytes(std::uint64_t sent, std::uint64_t received) {
  if (!counting_) return;
  tally_.bytes_sent += sent;
  tally_.bytes_received += received;
}

Result<void> LoadDriver::run(Clock::time_point end) {
  fill();
  while (Clock::now() < end) {
    if (o_.idle && ramp_done()) break;
    TLS13_TRY(loop_.run_once(std::chrono::milliseconds(5)));
    fill();
  }
  // Connections still under way at the end are not counted either way.
  if (!o_.idle) end_run();
  return ok();
}

}  // namespace tls13::cli
