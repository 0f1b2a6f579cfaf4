#include "keysched/key_schedule.h"

#include <array>
#include <cassert>
#include <utility>

#include "base/ct.h"
#include "base/fuzzing_mode.h"
#include "crypto/hmac.h"
#include "keysched/hkdf_label.h"

namespace tls13::ks {

namespace {

using Raw = Secret<crypto::kMaxHashLength>;

// HKDF-Expand-Label with one of the RFC's fixed labels and a context that
// always fits; failure would be a programming error.
void expand_fixed(HashId hash, std::span<const std::uint8_t> secret, std::string_view label,
                  std::span<const std::uint8_t> context, std::span<std::uint8_t> out) {
  const bool ok = hkdf_expand_label(hash, secret, label, context, out);
  assert(ok);
  (void)ok;
}

Raw expand_hash_len(HashId hash, std::span<const std::uint8_t> secret, std::string_view label,
                    std::span<const std::uint8_t> context) {
  Raw out;
  expand_fixed(hash, secret, label, context, out.resize_for_write(crypto::hash_length(hash)));
  return out;
}

// Derive-Secret(secret, label, Messages) for one stage.
template <class Out>
Out derive(HashId hash, const crypto::HmacKey& secret, std::string_view label,
           const Digest& messages_hash) {
  return Out(hash, derive_secret(secret, label, messages_hash));
}

// HKDF-Extract(Derive-Secret(secret, "derived", ""), ikm), where an empty ikm
// stands for Hash.length zeros ("0" in the §7.1 diagram).
Raw next_stage(HashId hash, const crypto::HmacKey& secret, std::span<const std::uint8_t> ikm) {
  const Raw salt = derive_secret(secret, "derived", crypto::Hash::empty(hash));
  const std::array<std::uint8_t, crypto::kMaxHashLength> zeros{};
  if (ikm.empty()) ikm = std::span(zeros.data(), crypto::hash_length(hash));
  return crypto::hkdf_extract(hash, salt.span(), ikm);
}

// Taking the secret out of a stage wipes it (and its keyed form); the
// temporary dies here.
void consume(Raw& s, crypto::HmacKey& keyed) noexcept {
  Raw gone = std::move(s);
  keyed.wipe();
}

FinishedKey finished_key_from(HashId hash, std::span<const std::uint8_t> base_key) {
  return FinishedKey(hash, expand_hash_len(hash, base_key, "finished", {}));
}

Result<void> check_mac(const Digest& expected, std::span<const std::uint8_t> received,
                       const char* what) {
  // The fuzz build's deterministic mode accepts any value of the right
  // length (base/fuzzing_mode.h).
  if (kUnsafeFuzzingMode && expected.size() == received.size()) return ok();
  if (!ct_equal(expected.span(), received)) return make_error(Alert::decrypt_error, what);
  return ok();
}

template <class S>
Result<void> exporter(const S& secret, std::string_view label,
                      std::span<const std::uint8_t> context, std::span<std::uint8_t> out) {
  const HashId hash = secret.hash();
  if (label.size() > kMaxLabelLength)
    return make_error(Alert::internal_error, "exporter: label longer than 249 octets");
  if (out.empty() || out.size() > 255 * crypto::hash_length(hash))
    return make_error(Alert::internal_error, "exporter: bad output length");
  const Raw derived =
      derive_secret(hash, secret.span(), label, crypto::Hash::empty(hash), LabelRule::exporter);
  const Digest context_hash = crypto::Hash::oneshot(hash, context);
  expand_fixed(hash, derived.span(), "exporter", context_hash.span(), out);
  return ok();
}

}  // namespace

// --- EarlySecret ---

EarlySecret EarlySecret::from_psk(HashId hash, std::span<const std::uint8_t> psk) {
  return EarlySecret(hash, crypto::hkdf_extract(hash, {}, psk));
}

EarlySecret EarlySecret::no_psk(HashId hash) {
  const std::array<std::uint8_t, crypto::kMaxHashLength> zeros{};
  return from_psk(hash, std::span(zeros.data(), crypto::hash_length(hash)));
}

BinderKey EarlySecret::binder_key(PskKind kind) const {
  const std::string_view label = kind == PskKind::external     ? "ext binder"
                                 : kind == PskKind::resumption ? "res binder"
                                                               : "imp binder";
  return derive<BinderKey>(hash_, prk_, label, crypto::Hash::empty(hash_));
}

TrafficSecret EarlySecret::client_early_traffic_secret(const Digest& client_hello_hash) const {
  return derive<TrafficSecret>(hash_, prk_, "c e traffic", client_hello_hash);
}

EarlyExporterMasterSecret EarlySecret::early_exporter_master_secret(
    const Digest& client_hello_hash) const {
  return derive<EarlyExporterMasterSecret>(hash_, prk_, "e exp master", client_hello_hash);
}

HandshakeSecret EarlySecret::handshake(std::span<const std::uint8_t> ecdhe_shared) && {
  Raw next = next_stage(hash_, prk_, ecdhe_shared);
  consume(secret_, prk_);
  return HandshakeSecret(hash_, std::move(next));
}

// --- HandshakeSecret ---

TrafficSecret HandshakeSecret::client_handshake_traffic_secret(const Digest& ch_to_sh_hash) const {
  return derive<TrafficSecret>(hash_, prk_, "c hs traffic", ch_to_sh_hash);
}

TrafficSecret HandshakeSecret::server_handshake_traffic_secret(const Digest& ch_to_sh_hash) const {
  return derive<TrafficSecret>(hash_, prk_, "s hs traffic", ch_to_sh_hash);
}

MasterSecret HandshakeSecret::master() && {
  Raw next = next_stage(hash_, prk_, {});
  consume(secret_, prk_);
  return MasterSecret(hash_, std::move(next));
}

// --- MasterSecret ---

TrafficSecret MasterSecret::client_application_traffic_secret_0(
    const Digest& ch_to_server_fin_hash) const {
  return derive<TrafficSecret>(hash_, prk_, "c ap traffic", ch_to_server_fin_hash);
}

TrafficSecret MasterSecret::server_application_traffic_secret_0(
    const Digest& ch_to_server_fin_hash) const {
  return derive<TrafficSecret>(hash_, prk_, "s ap traffic", ch_to_server_fin_hash);
}

ExporterMasterSecret MasterSecret::exporter_master_secret(
    const Digest& ch_to_server_fin_hash) const {
  return derive<ExporterMasterSecret>(hash_, prk_, "exp master", ch_to_server_fin_hash);
}

ResumptionMasterSecret MasterSecret::resumption_master_secret(
    const Digest& ch_to_client_fin_hash) const {
  return derive<ResumptionMasterSecret>(hash_, prk_, "res master", ch_to_client_fin_hash);
}

// --- Finished and binders ---

FinishedKey finished_key(const TrafficSecret& base_key) {
  return finished_key_from(base_key.hash(), base_key.span());
}

FinishedKey finished_key(const BinderKey& binder_key) {
  return finished_key_from(binder_key.hash(), binder_key.span());
}

Digest finished_verify_data(const TrafficSecret& base_key, const Digest& transcript_hash) {
  const FinishedKey key = finished_key(base_key);
  return crypto::hmac(base_key.hash(), key.span(), transcript_hash.span());
}

Result<void> verify_finished(const TrafficSecret& base_key, const Digest& transcript_hash,
                             std::span<const std::uint8_t> received) {
  return check_mac(finished_verify_data(base_key, transcript_hash), received,
                   "Finished: verify_data does not match");
}

Digest psk_binder(const BinderKey& binder_key, const Digest& binder_hash) {
  const FinishedKey key = finished_key(binder_key);
  return crypto::hmac(binder_key.hash(), key.span(), binder_hash.span());
}

Result<void> verify_psk_binder(const BinderKey& binder_key, const Digest& binder_hash,
                               std::span<const std::uint8_t> received) {
  return check_mac(psk_binder(binder_key, binder_hash), received,
                   "pre_shared_key: binder does not match");
}

// --- Traffic keys, updates, resumption, exporters ---

TrafficKeys traffic_keys(const TrafficSecret& secret, crypto::AeadId aead) {
  TrafficKeys k;
  const crypto::HmacKey keyed(secret.hash(), secret.span());  // pads once for key and iv
  bool ok =
      hkdf_expand_label(keyed, "key", {}, k.key.resize_for_write(crypto::aead_key_length(aead)));
  ok = hkdf_expand_label(keyed, "iv", {}, k.iv.resize_for_write(crypto::kAeadNonceLength)) && ok;
  assert(ok);
  (void)ok;
  return k;
}

TrafficSecret next_application_traffic_secret(const TrafficSecret& current) {
  return TrafficSecret(current.hash(),
                       expand_hash_len(current.hash(), current.span(), "traffic upd", {}));
}

Result<ResumptionPsk> resumption_psk(const ResumptionMasterSecret& rms,
                                     std::span<const std::uint8_t> ticket_nonce) {
  if (ticket_nonce.size() > kMaxContextLength)
    return make_error(Alert::internal_error, "resumption: ticket_nonce longer than 255 octets");
  return ResumptionPsk(rms.hash(),
                       expand_hash_len(rms.hash(), rms.span(), "resumption", ticket_nonce));
}

Result<void> export_keying_material(const ExporterMasterSecret& secret, std::string_view label,
                                    std::span<const std::uint8_t> context,
                                    std::span<std::uint8_t> out) {
  return exporter(secret, label, context, out);
}

Result<void> export_keying_material(const EarlyExporterMasterSecret& secret, std::string_view label,
                                    std::span<const std::uint8_t> context,
                                    std::span<std::uint8_t> out) {
  return exporter(secret, label, context, out);
}

}  // namespace tls13::ks
