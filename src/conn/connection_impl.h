// Connection internals: the record layer around a handshake state machine.
// This is the one place where an Error becomes an alert on the wire and the
// connection dies (fail()).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "hs/handshake.h"
#include "hs/handshake_reassembler.h"
#include "record/content_type.h"
#include "record/protection.h"
#include "record/record_buffer.h"
#include "tls13/connection.h"

namespace tls13 {

struct Connection::Impl final : hs::Io {
  Impl(Side s, const CommonConfig& cfg, std::shared_ptr<const void> keep_alive,
       std::unique_ptr<hs::Handshake> machine);

  // --- driven by the public API ---
  Result<void> feed(std::span<const std::uint8_t> data);
  Result<std::size_t> write(std::span<const std::uint8_t> data);
  Result<std::size_t> write_into(std::span<const std::uint8_t> data, std::span<std::uint8_t> dest);
  Result<void> check_writable() const;
  Result<void> key_update_if_due();
  std::size_t sealed_size(std::size_t plaintext) const noexcept;
  void close();
  Result<void> update_keys(bool request_peer_update);
  // Server-only post-handshake messages (connection_api.cpp).
  Result<void> request_client_auth();
  Result<void> send_tickets(unsigned n);
  Result<void> ensure_started();
  Result<std::size_t> write_early_data(std::span<const std::uint8_t> data);

  // --- hs::Io ---
  void send_handshake(std::span<const std::uint8_t> message) override;
  void send_change_cipher_spec() override;
  Result<void> install_read_secret(const crypto::SuiteInfo& suite, const ks::TrafficSecret& secret,
                                   hs::Epoch epoch) override;
  Result<void> install_write_secret(const crypto::SuiteInfo& suite, const ks::TrafficSecret& secret,
                                    hs::Epoch epoch) override;
  void handshake_complete() override;
  void set_record_size_limits(std::size_t own_limit, std::size_t peer_limit) override;
  bool early_data_requested() const override { return !early_pending.empty(); }
  std::size_t handshake_bytes_buffered() const override { return reassembler.buffered(); }
  void open_early_data(std::uint32_t max) override { early_budget = max; }
  void expect_early_data(std::size_t limit, bool accepted) override;
  void reset_write_protection() override;
  void log_secret(std::string_view label, std::span<const std::uint8_t> client_random,
                  std::span<const std::uint8_t> secret) override;
  bool tracing() const override { return trace != nullptr; }
  void trace_message(bool sent, std::string_view name, std::string_view summary) override;
  void trace_secret(std::string_view name) override;
  void notify(EventKind kind) override { events.push_back({kind, std::nullopt}); }
  HandshakeInfo& info() override { return negotiated; }
  std::uint64_t application_records_sent() const override { return app_records_sent; }
  RandomSource& random() override;
  std::int64_t now() override;
  std::int64_t now_ms() override;

  // --- record layer ---
  Result<void> process_record(std::span<const std::uint8_t> record);
  Result<void> dispatch(record::ContentType inner, std::span<const std::uint8_t> content);
  Result<void> on_handshake_data(std::span<const std::uint8_t> content);
  Result<void> on_alert(std::span<const std::uint8_t> content);
  Result<void> on_application_data(std::span<const std::uint8_t> content);
  // 0-RTT (conn/early_data.cpp): seals early data while the early write key
  // is in place; counts a skipped record of `fragment_size` bytes; takes
  // accepted early data.
  std::size_t seal_early_data(std::span<const std::uint8_t> data);
  Result<void> skip_early_record(std::size_t fragment_size);
  Result<void> on_early_data(std::span<const std::uint8_t> content);
  void flush_handshake();
  // Appends one record of `type` holding `content` (<= 2^14) to `out`.
  Result<void> write_record(record::ContentType type, std::span<const std::uint8_t> content);
  void send_alert(Alert a);
  // The single place that turns an error into an alert and kills the
  // connection. Returns the error for convenient propagation.
  Error fail(Error e);

  Side side;
  const CommonConfig& config;
  std::shared_ptr<const void> config_owner;  // keeps `config` alive
  std::unique_ptr<hs::Handshake> machine;
  hs::HandshakeReassembler reassembler;

  std::optional<record::RecordOpener> opener;
  std::optional<record::RecordSealer> sealer;
  hs::Epoch read_epoch = hs::Epoch::initial;
  hs::Epoch write_epoch = hs::Epoch::initial;

  // Buffers hold memory only while they hold bytes (record/record_buffer.h):
  // an idle connection keeps none of them.
  record::RecordBuffer in;      // a partial record (whole ones are read from feed()'s input)
  record::RecordBuffer out;     // records to send
  std::size_t out_pos = 0;      // bytes of `out` already sent
  record::RecordBuffer hs_out;  // handshake messages awaiting a record
  record::RecordBuffer app_in;  // decrypted application data (decrypted straight into it)
  std::size_t app_pos = 0;
  // Content bytes per protected record, each way (RFC 8449 lowers them).
  std::size_t max_send_fragment = record::kMaxPlaintextLength;
  std::size_t max_receive_fragment = record::kMaxPlaintextLength;

  // 0-RTT (RFC 8446 §4.2.10). Client: data queued before the ClientHello,
  // and what the ticket's max_early_data_size still allows.
  std::vector<std::uint8_t> early_pending;
  std::size_t early_budget = 0;
  // Server: what happens to records before the client's second flight
  // (Io::expect_early_data), bytes of early data taken or skipped so far,
  // and accepted early data not yet read.
  enum class EarlyIn : std::uint8_t { none, accept, skip };
  EarlyIn early_in_mode = EarlyIn::none;
  std::size_t early_limit = 0;
  std::size_t early_seen = 0;
  std::vector<std::uint8_t> early_in;
  std::size_t early_pos = 0;

  std::vector<Event> events;  // next_event() takes events[events_head]
  std::size_t events_head = 0;
  std::optional<Error> error;
  HandshakeInfo negotiated;
  TraceSink* trace = nullptr;
  // Test seam (internal, never set by the public API): rewrites each
  // outgoing handshake message after our transcript has taken it, so tests
  // can hand the peer malformed or reordered messages. Empty result: drop.
  std::function<void(std::vector<std::uint8_t>& message)> outgoing_handshake_filter;
  bool started = false;
  bool done = false;               // handshake complete
  bool machine_compacted = false;  // connected_state() was asked
  bool got_close = false;          // close_notify received
  bool sent_close = false;         // close_notify sent
  std::uint64_t app_records_sent = 0;
  std::size_t empty_records = 0;
  std::size_t warning_records = 0;
  std::size_t key_updates_received =
      0;  // since the last application data  // consecutive CCS / non-fatal alerts
};

}  // namespace tls13
