// The TLS 1.3 key schedule (RFC 8446 §7.1–7.5, §4.4.4, §4.2.11.2, §4.6.1) as
// a typestate: EarlySecret -> handshake() && -> HandshakeSecret -> master() &&
// -> MasterSecret. Each stage is move-only, wipes itself, carries its hash,
// and can derive only what §7.1 allows from it. Transcript hashes come in as
// crypto::Digest values taken from a Transcript.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "base/result.h"
#include "base/secret.h"
#include "crypto/algorithms.h"
#include "crypto/hash.h"
#include "crypto/hmac.h"

namespace tls13::ks {

using crypto::Digest;
using crypto::HashId;

// A secret produced by the key schedule, tagged by what it is for so that,
// e.g., a binder key cannot be used as a traffic secret. Move-only, wiped on
// destruction, no operator== (compare with ct_equal).
template <class Tag>
class TaggedSecret {
 public:
  // From raw bytes (a stored resumption PSK, a QUIC/KAT input); `bytes`
  // should be hash_length(hash) long.
  explicit TaggedSecret(HashId hash, std::span<const std::uint8_t> bytes)
      : hash_(hash), secret_(bytes) {}
  explicit TaggedSecret(HashId hash, Secret<crypto::kMaxHashLength>&& s) noexcept
      : hash_(hash), secret_(std::move(s)) {}
  TaggedSecret(TaggedSecret&&) noexcept = default;
  TaggedSecret& operator=(TaggedSecret&&) noexcept = default;
  TaggedSecret(const TaggedSecret&) = delete;
  TaggedSecret& operator=(const TaggedSecret&) = delete;
  bool operator==(const TaggedSecret&) const = delete;

  TaggedSecret clone() const { return TaggedSecret(hash_, secret_.span()); }
  HashId hash() const noexcept { return hash_; }
  std::size_t size() const noexcept { return secret_.size(); }
  // The raw secret: for the key log, tests and the demo. Deliberately named.
  std::span<const std::uint8_t> span() const noexcept { return secret_.span(); }

 private:
  HashId hash_;
  Secret<crypto::kMaxHashLength> secret_;
};

struct TrafficSecretTag;
struct BinderKeyTag;
struct FinishedKeyTag;
struct EarlyExporterTag;
struct ExporterTag;
struct ResumptionMasterTag;
struct ResumptionPskTag;

// client_early_traffic_secret, [sender]_handshake_traffic_secret,
// [sender]_application_traffic_secret_N.
using TrafficSecret = TaggedSecret<TrafficSecretTag>;
using BinderKey = TaggedSecret<BinderKeyTag>;
using FinishedKey = TaggedSecret<FinishedKeyTag>;
using EarlyExporterMasterSecret = TaggedSecret<EarlyExporterTag>;
using ExporterMasterSecret = TaggedSecret<ExporterTag>;
using ResumptionMasterSecret = TaggedSecret<ResumptionMasterTag>;
using ResumptionPsk = TaggedSecret<ResumptionPskTag>;

// "ext binder" / "res binder" / "imp binder" (RFC 9258 §5.2, imported PSKs).
enum class PskKind : std::uint8_t { external, resumption, imported };

class HandshakeSecret;
class MasterSecret;

// Early Secret = HKDF-Extract(0, PSK).
class EarlySecret {
 public:
  // With a PSK (external, or resumption_psk of an earlier connection).
  static EarlySecret from_psk(HashId hash, std::span<const std::uint8_t> psk);
  // No PSK: IKM is Hash.length zero octets.
  static EarlySecret no_psk(HashId hash);

  EarlySecret(EarlySecret&&) noexcept = default;
  EarlySecret& operator=(EarlySecret&&) noexcept = default;
  EarlySecret(const EarlySecret&) = delete;
  EarlySecret& operator=(const EarlySecret&) = delete;

  HashId hash() const noexcept { return hash_; }
  std::span<const std::uint8_t> span() const noexcept { return secret_.span(); }

  // Derive-Secret(., "ext binder" | "res binder" | "imp binder", "").
  BinderKey binder_key(PskKind kind) const;
  // Derive-Secret(., "c e traffic", ClientHello).
  TrafficSecret client_early_traffic_secret(const Digest& client_hello_hash) const;
  // Derive-Secret(., "e exp master", ClientHello).
  EarlyExporterMasterSecret early_exporter_master_secret(const Digest& client_hello_hash) const;

  // Handshake Secret = HKDF-Extract(Derive-Secret(., "derived", ""), (EC)DHE).
  // An empty `ecdhe_shared` (psk_ke) means Hash.length zero octets. Consumes
  // and wipes this stage.
  HandshakeSecret handshake(std::span<const std::uint8_t> ecdhe_shared) &&;

 private:
  EarlySecret(HashId h, Secret<crypto::kMaxHashLength>&& s)
      : hash_(h), secret_(std::move(s)), prk_(h, secret_.span()) {}
  HashId hash_;
  Secret<crypto::kMaxHashLength> secret_;
  crypto::HmacKey prk_;  // secret_ keyed once for all it derives
};

class HandshakeSecret {
 public:
  HandshakeSecret(HandshakeSecret&&) noexcept = default;
  HandshakeSecret& operator=(HandshakeSecret&&) noexcept = default;
  HandshakeSecret(const HandshakeSecret&) = delete;
  HandshakeSecret& operator=(const HandshakeSecret&) = delete;

  HashId hash() const noexcept { return hash_; }
  std::span<const std::uint8_t> span() const noexcept { return secret_.span(); }

  // Derive-Secret(., "c hs traffic" | "s hs traffic", ClientHello...ServerHello).
  TrafficSecret client_handshake_traffic_secret(const Digest& ch_to_sh_hash) const;
  TrafficSecret server_handshake_traffic_secret(const Digest& ch_to_sh_hash) const;

  // Master Secret = HKDF-Extract(Derive-Secret(., "derived", ""), 0).
  // Consumes and wipes this stage.
  MasterSecret master() &&;

 private:
  friend class EarlySecret;
  HandshakeSecret(HashId h, Secret<crypto::kMaxHashLength>&& s)
      : hash_(h), secret_(std::move(s)), prk_(h, secret_.span()) {}
  HashId hash_;
  Secret<crypto::kMaxHashLength> secret_;
  crypto::HmacKey prk_;  // secret_ keyed once for all it derives
};

class MasterSecret {
 public:
  MasterSecret(MasterSecret&&) noexcept = default;
  MasterSecret& operator=(MasterSecret&&) noexcept = default;
  MasterSecret(const MasterSecret&) = delete;
  MasterSecret& operator=(const MasterSecret&) = delete;

  HashId hash() const noexcept { return hash_; }
  std::span<const std::uint8_t> span() const noexcept { return secret_.span(); }

  // Derive-Secret(., "c ap traffic" | "s ap traffic" | "exp master",
  //               ClientHello...server Finished).
  TrafficSecret client_application_traffic_secret_0(const Digest& ch_to_server_fin_hash) const;
  TrafficSecret server_application_traffic_secret_0(const Digest& ch_to_server_fin_hash) const;
  ExporterMasterSecret exporter_master_secret(const Digest& ch_to_server_fin_hash) const;
  // Derive-Secret(., "res master", ClientHello...client Finished).
  ResumptionMasterSecret resumption_master_secret(const Digest& ch_to_client_fin_hash) const;

 private:
  friend class HandshakeSecret;
  MasterSecret(HashId h, Secret<crypto::kMaxHashLength>&& s)
      : hash_(h), secret_(std::move(s)), prk_(h, secret_.span()) {}
  HashId hash_;
  Secret<crypto::kMaxHashLength> secret_;
  crypto::HmacKey prk_;  // secret_ keyed once for all it derives
};

// --- Finished and binders (RFC 8446 §4.4.4, §4.2.11.2) ---

// finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length).
FinishedKey finished_key(const TrafficSecret& base_key);
FinishedKey finished_key(const BinderKey& binder_key);

// verify_data = HMAC(finished_key, transcript_hash).
Digest finished_verify_data(const TrafficSecret& base_key, const Digest& transcript_hash);
// Constant-time check of a received Finished.verify_data; decrypt_error on
// mismatch (RFC 8446 §4.4.4).
Result<void> verify_finished(const TrafficSecret& base_key, const Digest& transcript_hash,
                             std::span<const std::uint8_t> received);

// PskBinderEntry = HMAC(finished_key(binder_key), binder_hash), where
// binder_hash = Transcript::hash_with(Truncate(ClientHello)).
Digest psk_binder(const BinderKey& binder_key, const Digest& binder_hash);
// Constant-time check of a received binder; decrypt_error on mismatch.
Result<void> verify_psk_binder(const BinderKey& binder_key, const Digest& binder_hash,
                               std::span<const std::uint8_t> received);

// --- Traffic keys, updates, resumption, exporters ---

inline constexpr std::size_t kMaxTrafficKeyLength = 32;

// [sender]_write_key and [sender]_write_iv (RFC 8446 §7.3).
struct TrafficKeys {
  Secret<kMaxTrafficKeyLength> key;  // aead_key_length(aead) bytes
  Secret<crypto::kAeadNonceLength> iv;
};
TrafficKeys traffic_keys(const TrafficSecret& secret, crypto::AeadId aead);

// application_traffic_secret_N+1 = HKDF-Expand-Label(N, "traffic upd", "",
// Hash.length) (RFC 8446 §7.2).
TrafficSecret next_application_traffic_secret(const TrafficSecret& current);

// HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce,
// Hash.length) (RFC 8446 §4.6.1). internal_error if the nonce exceeds 255.
Result<ResumptionPsk> resumption_psk(const ResumptionMasterSecret& rms,
                                     std::span<const std::uint8_t> ticket_nonce);

// TLS-Exporter(label, context_value, out.size()) (RFC 8446 §7.5):
//   HKDF-Expand-Label(Derive-Secret(Secret, label, ""), "exporter",
//                     Hash(context_value), key_length)
// No context and an empty context are the same. internal_error when the
// label is empty or over 249 octets or out.size() is 0 or over
// 255 * Hash.length. The early variant is a separate overload on purpose.
Result<void> export_keying_material(const ExporterMasterSecret& secret, std::string_view label,
                                    std::span<const std::uint8_t> context,
                                    std::span<std::uint8_t> out);
Result<void> export_keying_material(const EarlyExporterMasterSecret& secret, std::string_view label,
                                    std::span<const std::uint8_t> context,
                                    std::span<std::uint8_t> out);

}  // namespace tls13::ks
