// The public Connection API over Connection::Impl.
#include <algorithm>
#include <cstring>

#include "conn/connection_impl.h"

namespace tls13 {

Connection::Connection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;
Connection::~Connection() = default;

Connection Connection::client(std::shared_ptr<const ClientConfig> config, std::string server_name) {
  const CommonConfig& common = *config;
  auto machine = hs::make_client_handshake(config, std::move(server_name));
  return Connection(std::make_unique<Impl>(Side::client, common, config, std::move(machine)));
}

Connection Connection::server(std::shared_ptr<const ServerConfig> config) {
  const CommonConfig& common = *config;
  auto machine = hs::make_server_handshake(config);
  return Connection(std::make_unique<Impl>(Side::server, common, config, std::move(machine)));
}

Result<void> Connection::feed(std::span<const std::uint8_t> data) {
  TLS13_TRY(impl_->ensure_started());
  return impl_->feed(data);
}

// The handshake starts lazily, so set_trace() can come first. A failure to
// start is kept in error() and reported by the next feed() or write().
std::span<const std::uint8_t> Connection::pending_output() const noexcept {
  (void)impl_->ensure_started();
  return std::span<const std::uint8_t>(impl_->out.span()).subspan(impl_->out_pos);
}

void Connection::consume_output(std::size_t n) noexcept {
  impl_->out_pos += std::min(n, impl_->out.size() - impl_->out_pos);
  if (impl_->out_pos == impl_->out.size()) {
    impl_->out.clear();  // its block goes back to the pool: no allocation per record
    impl_->out_pos = 0;
  }
}

Result<std::size_t> Connection::write(std::span<const std::uint8_t> data) {
  TLS13_TRY(impl_->ensure_started());
  return impl_->write(data);
}

Result<std::size_t> Connection::write_into(std::span<const std::uint8_t> data,
                                           std::span<std::uint8_t> out) {
  TLS13_TRY(impl_->ensure_started());
  return impl_->write_into(data, out);
}

std::size_t Connection::sealed_size(std::size_t plaintext) const noexcept {
  return impl_->sealed_size(plaintext);
}

std::size_t Connection::read(std::span<std::uint8_t> out) noexcept {
  const auto data = received();
  const std::size_t n = std::min(out.size(), data.size());
  if (n) std::memcpy(out.data(), data.data(), n);
  consume_received(n);
  return n;
}

std::span<const std::uint8_t> Connection::received() const noexcept {
  return impl_->app_in.span().subspan(impl_->app_pos);
}

void Connection::consume_received(std::size_t n) noexcept {
  impl_->app_pos += std::min(n, impl_->app_in.size() - impl_->app_pos);
  if (impl_->app_pos == impl_->app_in.size()) {
    impl_->app_in.clear();  // its block goes back to the pool
    impl_->app_pos = 0;
  }
}

std::size_t Connection::readable() const noexcept {
  return impl_->app_in.size() - impl_->app_pos;
}

Result<std::size_t> Connection::write_early_data(std::span<const std::uint8_t> data) {
  return impl_->write_early_data(data);
}

std::size_t Connection::read_early_data(std::span<std::uint8_t> out) noexcept {
  auto& in = impl_->early_in;
  const std::size_t n = std::min(out.size(), in.size() - impl_->early_pos);
  if (n) std::memcpy(out.data(), in.data() + impl_->early_pos, n);
  impl_->early_pos += n;
  if (impl_->early_pos == in.size()) {
    in.clear();
    impl_->early_pos = 0;
  }
  return n;
}

std::size_t Connection::early_data_readable() const noexcept {
  return impl_->early_in.size() - impl_->early_pos;
}

Result<void> Connection::export_early_keying_material(std::string_view label,
                                                      std::span<const std::uint8_t> context,
                                                      std::span<std::uint8_t> out) const {
  if (impl_->error) return *impl_->error;
  return impl_->machine->export_early_keying_material(label, context, out);
}

Result<void> Connection::export_keying_material(std::string_view label,
                                                std::span<const std::uint8_t> context,
                                                std::span<std::uint8_t> out) const {
  if (impl_->error) return *impl_->error;
  return impl_->machine->export_keying_material(label, context, out);
}

Result<void> Connection::update_keys(bool request_peer_update) {
  TLS13_TRY(impl_->ensure_started());
  return impl_->update_keys(request_peer_update);
}

// Misuse (a client, no handshake yet, no post_handshake_auth offered)
// is returned without killing the connection, as for update_keys().
Result<void> Connection::Impl::request_client_auth() {
  if (error) return *error;
  if (sent_close) return Error(Alert::internal_error, "CertificateRequest after close");
  TLS13_TRY(machine->request_client_auth(*this));
  flush_handshake();
  return ok();
}

Result<void> Connection::Impl::send_tickets(unsigned n) {
  if (error) return *error;
  if (sent_close) return Error(Alert::internal_error, "NewSessionTicket after close");
  TLS13_TRY(machine->issue_tickets(*this, n));
  flush_handshake();
  return ok();
}

Result<void> Connection::request_client_auth() {
  TLS13_TRY(impl_->ensure_started());
  return impl_->request_client_auth();
}

Result<void> Connection::send_tickets(unsigned n) {
  TLS13_TRY(impl_->ensure_started());
  return impl_->send_tickets(n);
}

void Connection::close() {
  impl_->close();
}

std::optional<Event> Connection::next_event() {
  auto& ev = impl_->events;
  if (impl_->events_head == ev.size()) return std::nullopt;
  const Event e = ev[impl_->events_head++];
  if (impl_->events_head == ev.size()) {
    ev.clear();
    impl_->events_head = 0;
  }
  return e;
}

Side Connection::side() const noexcept {
  return impl_->side;
}
bool Connection::handshake_complete() const noexcept {
  return impl_->done;
}
bool Connection::peer_closed() const noexcept {
  return impl_->got_close;
}
bool Connection::failed() const noexcept {
  return impl_->error.has_value();
}
const std::optional<Error>& Connection::error() const noexcept {
  return impl_->error;
}
const HandshakeInfo& Connection::info() const noexcept {
  return impl_->negotiated;
}
void Connection::set_trace(TraceSink* sink) noexcept {
  impl_->trace = sink;
}

}  // namespace tls13
