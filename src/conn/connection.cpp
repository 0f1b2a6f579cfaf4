// The record layer around the handshake (RFC 8446 §5, §6): framing, record
// protection, content-type dispatch, alerts and closure.
#include <algorithm>
#include <chrono>
#include <string>

#include "conn/connection_impl.h"
#include "record/record_header.h"

namespace tls13 {

using record::ContentType;

namespace {
constexpr std::size_t kHeader = record::kRecordHeaderLength;
constexpr std::uint8_t kKeyUpdateType = 24;  // RFC 8446 §4
constexpr std::size_t kMaxFragment = record::kMaxPlaintextLength;
}  // namespace

Connection::Impl::Impl(Side s, const CommonConfig& cfg, std::shared_ptr<const void> keep_alive,
                       std::unique_ptr<hs::Handshake> m)
    : side(s),
      config(cfg),
      config_owner(std::move(keep_alive)),
      machine(std::move(m)),
      reassembler(std::max(cfg.limits.max_handshake_message, cfg.limits.max_certificate_message)) {}

Result<void> Connection::Impl::ensure_started() {
  if (error) return *error;
  if (started) return ok();
  started = true;
  if (auto r = machine->start(*this); !r) return fail(std::move(r).error());
  flush_handshake();
  return ok();
}

// ---------------------------------------------------------------- input --

// Whole records are processed where they lie in `data`; only a partial
// record at its end is copied, into `in`, to be completed by the next call.
Result<void> Connection::Impl::feed(std::span<const std::uint8_t> data) {
  if (error) return *error;
  if (got_close) return ok();  // §6.1: data after close_notify is ignored
  const bool buffered = !in.empty();
  if (buffered) in.append(data);
  const std::span<const std::uint8_t> src = buffered ? in.span() : data;
  std::size_t pos = 0;
  Result<void> result;
  while (src.size() - pos >= kHeader) {
    auto header = record::parse_header(src.subspan(pos));
    if (!header) {
      result = fail(std::move(header).error());
      break;
    }
    const std::size_t total = kHeader + header->length;
    if (src.size() - pos < total) break;
    auto rec = src.subspan(pos, total);
    pos += total;
    if (auto r = process_record(rec); !r) {
      result = fail(std::move(r).error());
      break;
    }
    if (got_close) break;  // §6.1: data after close_notify is ignored
  }
  if (error || got_close) {
    in.clear();
  } else if (buffered) {
    in.consume(pos);
  } else {
    in.append(data.subspan(pos));
  }
  flush_handshake();
  return result;
}

Result<void> Connection::Impl::process_record(std::span<const std::uint8_t> rec) {
  const auto type = static_cast<ContentType>(rec[0]);
  const auto fragment = rec.subspan(kHeader);

  if (type == ContentType::change_cipher_spec) {
    // Appendix D.4: a single-byte 0x01 CCS is dropped while the handshake
    // runs; anything else is unexpected_message. §5.1: like any other
    // record, it may not split a fragmented handshake message.
    if (fragment.size() != 1 || fragment[0] != 0x01 || !machine->change_cipher_spec_allowed())
      return Error(Alert::unexpected_message, "unexpected change_cipher_spec record");
    if (!reassembler.at_record_boundary())
      return Error(Alert::unexpected_message,
                   "change_cipher_spec interleaved with a fragmented handshake message");
    if (++warning_records > config.limits.max_warning_alerts)
      return Error(Alert::unexpected_message, "too many change_cipher_spec records");
    return ok();
  }

  if (!opener || (type == ContentType::alert && !done)) {
    // 0-RTT records after a HelloRetryRequest, before the second ClientHello
    // (§4.2.10).
    if (early_in_mode == EarlyIn::skip && type == ContentType::application_data)
      return skip_early_record(fragment.size());
    // A peer that fails before it has our keys sends its alert in the clear;
    // accept that during the handshake, never afterwards.
    auto plain = record::parse_plaintext(rec);
    if (!plain) return std::move(plain).error();
    return dispatch(plain->type, plain->fragment);
  }

  // RFC 8449 §4: the inner plaintext (content, type, padding) is within
  // the limit we announced.
  if (fragment.size() > max_receive_fragment + 1 + opener->traffic_key().tag_length())
    return Error(Alert::record_overflow, "record exceeds our record_size_limit");
  // Decrypted straight behind the unread application data: application
  // data stays there for read(), anything else is handled and dropped.
  const std::size_t mark = app_in.size();
  auto opened = opener->open_to(rec, app_in.extend(opener->inner_length(rec.size())));
  if (!opened) {
    app_in.truncate(mark);
    // §4.2.10: rejected 0-RTT records do not decrypt; drop them.
    if (early_in_mode == EarlyIn::skip && type == ContentType::application_data &&
        opened.error().alert == Alert::bad_record_mac)
      return skip_early_record(fragment.size());
    return std::move(opened).error();
  }
  // The first record that decrypts ends the skipping.
  if (early_in_mode == EarlyIn::skip) early_in_mode = EarlyIn::none;
  const bool keep = opened->type == ContentType::application_data &&
                    read_epoch == hs::Epoch::application && reassembler.at_record_boundary();
  if (keep && !opened->content.empty()) {
    key_updates_received = 0;
    empty_records = 0;
    warning_records = 0;
    app_in.truncate(mark + opened->content.size());
    return ok();
  }
  auto r = dispatch(opened->type, opened->content);
  app_in.truncate(mark);
  return r;
}

// What a record's content means, once it is known (§5: handshake, alert or
// application data).
Result<void> Connection::Impl::dispatch(ContentType inner, std::span<const std::uint8_t> content) {
  // §5.1: a handshake message split over records admits no other record
  // type in between.
  if (inner != ContentType::handshake && !reassembler.at_record_boundary())
    return Error(Alert::unexpected_message,
                 "record interleaved with a fragmented handshake message");

  if (content.empty() && inner == ContentType::application_data) {
    if (++empty_records > config.limits.max_empty_records)
      return Error(Alert::unexpected_message, "too many empty records");
  } else {
    empty_records = 0;
  }
  if (inner != ContentType::alert) warning_records = 0;

  switch (inner) {
    case ContentType::handshake:
      return on_handshake_data(content);
    case ContentType::alert:
      return on_alert(content);
    case ContentType::application_data:
      return on_application_data(content);
    default:
      return Error(Alert::unexpected_message, "unexpected record content type");
  }
}

Result<void> Connection::Impl::on_handshake_data(std::span<const std::uint8_t> content) {
  TLS13_TRY(reassembler.add(content));
  for (;;) {
    reassembler.set_max_message(machine->max_message_size());
    auto next = reassembler.next();
    if (!next) return std::move(next).error();
    if (!next->has_value()) {
      reassembler.trim();  // nothing partial left: give its memory back
      return ok();
    }
    // A peer could keep us re-keying forever; application data resets this.
    if (done && (*next)->type == kKeyUpdateType &&
        ++key_updates_received > config.limits.max_key_updates)
      return Error(Alert::unexpected_message, "too many KeyUpdate messages");
    TLS13_TRY(machine->on_message(*this, **next));
    if (done && !machine_compacted) {
      // Idle connections keep only what post-handshake messages need.
      if (auto smaller = machine->connected_state()) machine = std::move(smaller);
      machine_compacted = true;
    }
  }
}

Result<void> Connection::Impl::on_alert(std::span<const std::uint8_t> content) {
  if (content.size() != 2) return Error(Alert::decode_error, "alert record is not two bytes");
  const auto desc = static_cast<Alert>(content[1]);
  if (desc == Alert::close_notify) {
    got_close = true;
    events.push_back({EventKind::peer_closed, desc});
    return ok();
  }
  if (desc == Alert::user_canceled) {
    if (++warning_records > config.limits.max_warning_alerts)
      return Error(Alert::unexpected_message, "too many warning alerts");
    events.push_back({EventKind::alert_received, desc});
    return ok();
  }
  // §6: every other alert is fatal whatever its level; never answer it.
  Error e(desc, "the peer aborted the connection", true);
  return e;
}

Result<void> Connection::Impl::on_application_data(std::span<const std::uint8_t> content) {
  if (read_epoch == hs::Epoch::early && early_in_mode == EarlyIn::accept)
    return on_early_data(content);
  if (read_epoch != hs::Epoch::application)
    return Error(Alert::unexpected_message, "application data before the handshake completed");
  key_updates_received = 0;
  app_in.append(content);
  return ok();
}

// --------------------------------------------------------------- output --

Result<void> Connection::Impl::write_record(ContentType type,
                                            std::span<const std::uint8_t> content) {
  const std::size_t start = out.size();
  if (!sealer) {
    auto buf = out.extend(kHeader + content.size());
    std::copy(content.begin(), content.end(), buf.begin() + static_cast<std::ptrdiff_t>(kHeader));
    // The first ClientHello goes out with record version 0x0301; a second
    // one, after HelloRetryRequest, with 0x0303 (§5.1).
    const std::uint16_t version = (side == Side::client && write_epoch == hs::Epoch::initial &&
                                   type == ContentType::handshake && negotiated.version == 0 &&
                                   !negotiated.hello_retry_request)
                                      ? 0x0301
                                      : record::kLegacyRecordVersion;
    auto r = record::frame_plaintext(buf, content.size(), type, version);
    if (!r) {
      out.truncate(start);
      return std::move(r).error();
    }
    return ok();
  }
  // Sealed from where the content lies: no copy into `out` first.
  const std::size_t tail = sealer->tail_room(type, content.size());
  auto n = sealer->seal_from(content, out.extend(kHeader + content.size() + tail), type);
  if (!n) {
    out.truncate(start);
    return std::move(n).error();
  }
  out.truncate(start + *n);
  return ok();
}

void Connection::Impl::flush_handshake() {
  std::span<const std::uint8_t> rest(hs_out.span());
  const std::size_t max = sealer ? max_send_fragment : kMaxFragment;
  while (!rest.empty()) {
    const std::size_t n = std::min(rest.size(), max);
    if (auto r = write_record(ContentType::handshake, rest.first(n)); !r) {
      hs_out.clear();
      fail(std::move(r).error());
      return;
    }
    rest = rest.subspan(n);
  }
  hs_out.clear();
}

void Connection::Impl::send_handshake(std::span<const std::uint8_t> message) {
  if (outgoing_handshake_filter) {
    std::vector<std::uint8_t> m(message.begin(), message.end());
    outgoing_handshake_filter(m);
    hs_out.append(m);
    return;
  }
  hs_out.append(message);
}

void Connection::Impl::send_change_cipher_spec() {
  flush_handshake();
  auto buf = out.extend(kHeader + 1);
  record::write_header({ContentType::change_cipher_spec, record::kLegacyRecordVersion, 1}, buf);
  buf[kHeader] = 0x01;
}

namespace {
// The next key of the same AEAD re-keys the existing context (no
// allocation); another AEAD, or none yet, gets a new one. A failed re-key
// leaves no usable protection either way.
template <class Protection>
Result<void> set_traffic_key(std::optional<Protection>& p, crypto::AeadId aead,
                             const ks::TrafficKeys& keys) {
  if (p && p->traffic_key().aead() == aead) return p->rekey(keys.key.span(), keys.iv.span());
  auto made = Protection::create(aead, keys.key.span(), keys.iv.span());
  if (!made) return std::move(made).error();
  p.emplace(std::move(made).value());
  return ok();
}
}  // namespace

Result<void> Connection::Impl::install_read_secret(const crypto::SuiteInfo& suite,
                                                   const ks::TrafficSecret& secret,
                                                   hs::Epoch epoch) {
  TLS13_TRY(reassembler.check_key_change());
  TLS13_TRY(set_traffic_key(opener, suite.aead, ks::traffic_keys(secret, suite.aead)));
  read_epoch = epoch;
  early_in_mode = EarlyIn::none;  // the machine sets it again if early data follows
  return ok();
}

Result<void> Connection::Impl::install_write_secret(const crypto::SuiteInfo& suite,
                                                    const ks::TrafficSecret& secret,
                                                    hs::Epoch epoch) {
  flush_handshake();  // what was queued goes out under the old keys
  TLS13_TRY(set_traffic_key(sealer, suite.aead, ks::traffic_keys(secret, suite.aead)));
  write_epoch = epoch;
  return ok();
}

void Connection::Impl::handshake_complete() {
  done = true;
  events.push_back({EventKind::handshake_complete, std::nullopt});
}

void Connection::Impl::set_record_size_limits(std::size_t own_limit, std::size_t peer_limit) {
  // A limit counts the inner content type byte (RFC 8449 §4); 2^14 content
  // bytes stay the ceiling whatever the peer allows.
  max_receive_fragment = std::min(std::max<std::size_t>(own_limit, 64) - 1, kMaxFragment);
  max_send_fragment = std::min(std::max<std::size_t>(peer_limit, 64) - 1, kMaxFragment);
}

void Connection::Impl::send_alert(Alert a) {
  const bool warning = a == Alert::close_notify || a == Alert::user_canceled;
  const std::uint8_t body[2] = {static_cast<std::uint8_t>(warning ? 1 : 2),
                                static_cast<std::uint8_t>(a)};
  (void)write_record(ContentType::alert, body);
}

Error Connection::Impl::fail(Error e) {
  if (error) return *error;
  error = e;
  if (!e.from_peer) {
    hs_out.clear();  // a half-built flight is never sent
    send_alert(e.alert);
  } else {
    // The peer aborted: nothing more goes out, not even what the same read
    // queued before its alert (e.g. our change_cipher_spec after ServerHello).
    hs_out.clear();
    out.clear();
    out_pos = 0;
  }
  events.push_back({EventKind::failed, e.alert});
  return e;
}

// What write() and write_into() need before sealing application data.
Result<void> Connection::Impl::check_writable() const {
  if (error) return *error;
  if (sent_close) return Error(Alert::internal_error, "write after close");
  // A server may send 0.5-RTT data once its Finished is out (RFC 8446
  // §4.4.4, §2.3): its application write key is then in place.
  if ((!done && side != Side::server) || write_epoch != hs::Epoch::application)
    return Error(Alert::internal_error, "write before the handshake completed");
  return ok();
}

// §5.5: re-key before the AEAD's safe record count runs out; the KeyUpdate
// record lands in `out`.
Result<void> Connection::Impl::key_update_if_due() {
  if (!sealer->needs_key_update()) return ok();
  if (auto r = machine->update_keys(*this, false); !r) return fail(std::move(r).error());
  flush_handshake();
  if (error) return *error;
  return ok();
}

Result<std::size_t> Connection::Impl::write(std::span<const std::uint8_t> data) {
  TLS13_TRY(check_writable());
  std::size_t written = 0;
  while (written < data.size()) {
    const std::size_t n = std::min(data.size() - written, max_send_fragment);
    TLS13_TRY(key_update_if_due());
    if (auto r = write_record(ContentType::application_data, data.subspan(written, n)); !r)
      return fail(std::move(r).error());
    ++app_records_sent;
    written += n;
  }
  return written;
}

// Records for `plaintext` bytes, plus room for one KeyUpdate record that
// may have to go first (§5.5). A padding policy may fill any record up to
// the plaintext limit.
std::size_t Connection::Impl::sealed_size(std::size_t plaintext) const noexcept {
  if (!sealer) return 0;
  const std::size_t frag = std::max<std::size_t>(1, max_send_fragment);
  const std::size_t records = (plaintext + frag - 1) / frag + 1;  // + the KeyUpdate
  const std::size_t overhead = kHeader + 1 + sealer->traffic_key().tag_length();
  if (sealer->padding().pads()) return records * (overhead + kMaxFragment);
  return records * overhead + plaintext + 5;  // 5: the KeyUpdate message
}

// write() with the records sealed straight into the caller's memory: the
// content is read where it lies and the ciphertext lands in `dest`, with
// nothing staged in `out`.
Result<std::size_t> Connection::Impl::write_into(std::span<const std::uint8_t> data,
                                                 std::span<std::uint8_t> dest) {
  TLS13_TRY(check_writable());
  if (out_pos < out.size())
    return Error(Alert::internal_error, "write_into: send pending_output() first");
  if (dest.size() < sealed_size(data.size()))
    return Error(Alert::internal_error, "write_into: buffer smaller than sealed_size()");
  std::size_t used = 0, written = 0;
  while (written < data.size()) {
    const std::size_t n = std::min(data.size() - written, max_send_fragment);
    TLS13_TRY(key_update_if_due());
    if (out_pos < out.size()) {  // a KeyUpdate went first; rare, its small record is copied
      const auto pending = out.span().subspan(out_pos);
      if (pending.size() > dest.size() - used)  // sealed_size() leaves room for it
        return fail(Error(Alert::internal_error, "write_into: no room for the KeyUpdate"));
      std::copy(pending.begin(), pending.end(), dest.begin() + static_cast<std::ptrdiff_t>(used));
      used += pending.size();
      out.clear();
      out_pos = 0;
    }
    const auto content = data.subspan(written, n);
    const std::size_t room = kHeader + n + sealer->tail_room(ContentType::application_data, n);
    if (room > dest.size() - used)  // a padding policy beyond sealed_size()'s bound
      return fail(Error(Alert::internal_error, "write_into: buffer smaller than the records"));
    auto sealed =
        sealer->seal_from(content, dest.subspan(used, room), ContentType::application_data);
    if (!sealed) return fail(std::move(sealed).error());
    used += *sealed;
    ++app_records_sent;
    written += n;
  }
  return used;
}

Result<void> Connection::Impl::update_keys(bool request_peer_update) {
  if (error) return *error;
  if (sent_close) return Error(Alert::internal_error, "KeyUpdate after close");
  if (auto r = machine->update_keys(*this, request_peer_update); !r) return r;
  flush_handshake();
  return ok();
}

void Connection::Impl::close() {
  if (sent_close || error) return;
  flush_handshake();
  send_alert(Alert::close_notify);
  sent_close = true;
}

// ------------------------------------------------------- observers, misc --

void Connection::Impl::log_secret(std::string_view label,
                                  std::span<const std::uint8_t> client_random,
                                  std::span<const std::uint8_t> secret) {
  if (config.key_log) config.key_log(label, client_random, secret);
}

void Connection::Impl::trace_message(bool sent, std::string_view name, std::string_view summary) {
  if (trace) trace->message(sent, name, summary);
}

void Connection::Impl::trace_secret(std::string_view name) {
  if (trace) trace->secret(name);
}

RandomSource& Connection::Impl::random() {
  return config.random ? *config.random : system_random();
}

std::int64_t Connection::Impl::now() {
  if (config.clock) return config.clock();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// An injected clock counts seconds: tests stay deterministic.
std::int64_t Connection::Impl::now_ms() {
  if (config.clock) return config.clock() * 1000;
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace tls13
