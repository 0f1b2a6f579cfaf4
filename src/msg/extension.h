// Extensions (RFC 8446 §4.2): the type registry, the §4.2 table of which
// message may carry which extension, and ExtensionList — an ordered list of
// (type, body) that is either decoded (bodies are views into the caller's
// message buffer) or built for sending (bodies owned by the list).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "base/small_vector.h"
#include "wire/reader.h"
#include "wire/scratch_buffer.h"
#include "wire/writer.h"

namespace tls13::msg {

// Holds any 16-bit value; unlisted (and GREASE) types round-trip.
enum class ExtensionType : std::uint16_t {
  server_name = 0,                              // RFC 6066
  max_fragment_length = 1,                      // RFC 6066
  status_request = 5,                           // RFC 6066
  supported_groups = 10,                        // RFC 8422, 7919
  signature_algorithms = 13,                    // RFC 8446
  use_srtp = 14,                                // RFC 5764
  heartbeat = 15,                               // RFC 6520
  application_layer_protocol_negotiation = 16,  // RFC 7301
  signed_certificate_timestamp = 18,            // RFC 6962
  client_certificate_type = 19,                 // RFC 7250
  server_certificate_type = 20,                 // RFC 7250
  padding = 21,                                 // RFC 7685
  compress_certificate = 27,                    // RFC 8879
  record_size_limit = 28,                       // RFC 8449
  session_ticket = 35,                          // RFC 5077 (TLS 1.2 only)
  pre_shared_key = 41,
  early_data = 42,
  supported_versions = 43,
  cookie = 44,
  psk_key_exchange_modes = 45,
  certificate_authorities = 47,
  oid_filters = 48,
  post_handshake_auth = 49,
  signature_algorithms_cert = 50,
  key_share = 51,
  quic_transport_parameters = 57,   // RFC 9001
  ech_outer_extensions = 0xfd00,    // draft-ietf-tls-esni
  encrypted_client_hello = 0xfe0d,  // draft-ietf-tls-esni
  renegotiation_info = 0xff01,      // RFC 5746 (TLS 1.2 only)
};

// IANA name ("key_share"); "unknown" for unlisted values.
std::string_view to_string(ExtensionType t) noexcept;

// The messages that carry extension blocks (columns of the §4.2 table);
// `certificate` is the per-CertificateEntry block.
enum class MessageContext {
  client_hello,
  server_hello,
  hello_retry_request,
  encrypted_extensions,
  certificate_request,
  certificate,
  new_session_ticket,
};

std::string_view to_string(MessageContext c) noexcept;

// True if this implementation knows the extension's TLS 1.3 placement: a row
// of the RFC 8446 §4.2 table or of the IANA registry's "TLS 1.3" column
// (record_size_limit, compress_certificate, quic_transport_parameters, ECH).
// TLS 1.2-only types (renegotiation_info, session_ticket) and GREASE are not.
bool is_recognized(std::uint16_t type) noexcept;

// True if `type` is recognized and the table lists it for `ctx`. A recognized
// extension outside its messages is illegal_parameter (§4.2); unrecognized
// ones are not judged here (ignored in ClientHello, CertificateRequest and
// NewSessionTicket; unsolicited elsewhere, which the state machine detects).
bool allowed_in(std::uint16_t type, MessageContext ctx) noexcept;
inline bool allowed_in(ExtensionType type, MessageContext ctx) noexcept {
  return allowed_in(static_cast<std::uint16_t>(type), ctx);
}

// One extension. `body` is a view: into the decoded message, or into the
// ExtensionList that owns it (then valid until the list is changed or
// destroyed).
struct Extension {
  std::uint16_t type = 0;
  wire::Bytes body;

  ExtensionType kind() const noexcept { return static_cast<ExtensionType>(type); }
};

// Enough for ClientHellos with GREASE and padding (browsers send ~20);
// bounds the work of the duplicate check.
inline constexpr std::size_t kDefaultMaxExtensions = 64;

class ExtensionList;

// Reads `Extension extensions<min..max>` with the bounds of the block in `ctx`
// (CH <8..2^16-1>, SH/HRR <6..2^16-1>, CR <2..2^16-1>, NST <0..2^16-2>, others
// <0..2^16-1>). decode_error for malformed input or more than
// `max_extensions` entries; illegal_parameter for a repeated type or a
// recognized type not allowed in `ctx`.
Result<ExtensionList> decode_extensions(wire::Reader& r, MessageContext ctx,
                                        std::size_t max_extensions = kDefaultMaxExtensions);

// Either decoded (by decode_extensions; bodies are views into the message
// buffer, which must outlive the list) or built with add()/set() (bodies are
// owned and copied along with the list), or a mix. Wire order is kept and
// encode() writes entries exactly in list order, which byte-exact replays and
// "pre_shared_key last" need.
class ExtensionList {
 public:
  class Iterator {
   public:
    using value_type = Extension;
    using difference_type = std::ptrdiff_t;
    Iterator() = default;
    Extension operator*() const { return (*list_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator t = *this;
      ++i_;
      return t;
    }
    bool operator==(const Iterator& o) const = default;

   private:
    friend class ExtensionList;
    Iterator(const ExtensionList* l, std::size_t i) : list_(l), i_(i) {}
    const ExtensionList* list_ = nullptr;
    std::size_t i_ = 0;
  };

  ExtensionList() = default;

  std::size_t size() const noexcept { return slots_.size(); }
  bool empty() const noexcept { return slots_.empty(); }
  Extension operator[](std::size_t i) const noexcept;
  Iterator begin() const noexcept { return Iterator(this, 0); }
  Iterator end() const noexcept { return Iterator(this, slots_.size()); }

  std::optional<std::size_t> index_of(std::uint16_t type) const noexcept;
  std::optional<Extension> find(std::uint16_t type) const noexcept;
  std::optional<Extension> find(ExtensionType type) const noexcept {
    return find(static_cast<std::uint16_t>(type));
  }
  bool contains(std::uint16_t type) const noexcept { return index_of(type).has_value(); }
  bool contains(ExtensionType type) const noexcept {
    return contains(static_cast<std::uint16_t>(type));
  }

  // Decodes the extension of type T::kType with T::decode; nullopt if absent.
  // The result's views point where the body does (see Extension).
  template <class T>
  Result<std::optional<T>> get() const {
    auto e = find(T::kType);
    if (!e) return std::optional<T>();
    auto v = T::decode(e->body);
    if (!v) return std::move(v).error();
    return std::optional<T>(std::move(v).value());
  }

  // Building. Bodies are copied (or encoded) into storage owned by the list;
  // entries are encoded in the order added.
  void add(std::uint16_t type, wire::Bytes body);
  void add(ExtensionType type, wire::Bytes body) { add(static_cast<std::uint16_t>(type), body); }
  template <class T>
  void add(const T& typed) {
    // Encoded apart first: `typed` may hold views into storage_.
    wire::ScratchBuffer tmp;
    wire::Writer w(tmp.bytes());
    typed.encode(w);
    add(static_cast<std::uint16_t>(T::kType), tmp.bytes());
  }
  // Replaces the body of an existing entry in place (keeping its position),
  // or appends.
  void set(std::uint16_t type, wire::Bytes body);
  template <class T>
  void set(const T& typed) {
    wire::ScratchBuffer tmp;
    wire::Writer w(tmp.bytes());
    typed.encode(w);
    set(static_cast<std::uint16_t>(T::kType), tmp.bytes());
  }
  // Removes the entry of `type`; false if absent.
  bool remove(std::uint16_t type);
  bool remove(ExtensionType type) { return remove(static_cast<std::uint16_t>(type)); }
  // Copies every body into owned storage, so the list no longer refers to the
  // buffer it was decoded from.
  void own();

  // Writes `Extension extensions<..>` (u16 length, then each entry in order).
  // A body above 2^16-1 bytes or a block above 2^16-1 sets the writer's
  // overflow flag.
  void encode(wire::Writer& w) const;

  friend bool operator==(const ExtensionList& a, const ExtensionList& b) noexcept;

 private:
  friend Result<ExtensionList> decode_extensions(wire::Reader&, MessageContext, std::size_t);

  // Compact (24 bytes): a body is at most 2^16-1 bytes.
  struct Slot {
    std::uint16_t type = 0;
    bool owned = false;
    std::uint32_t length = 0;
    const std::uint8_t* view = nullptr;  // the body when !owned
    std::uint32_t offset = 0;            // into storage_ when owned
  };
  // Room for a usual ClientHello's extensions without an allocation; more
  // (up to the caller's max_extensions) move to the heap.
  static constexpr std::size_t kInlineSlots = 16;

  std::uint32_t store(wire::Bytes body);

  SmallVector<Slot, kInlineSlots> slots_;
  std::vector<std::uint8_t> storage_;
};

// An extension whose body is empty in the given message (post_handshake_auth,
// early_data in ClientHello/EncryptedExtensions, server_name in
// EncryptedExtensions, ...). A non-empty body is decode_error.
template <ExtensionType E>
struct EmptyExtension {
  static constexpr ExtensionType kType = E;

  static Result<EmptyExtension> decode(wire::Bytes body) {
    if (!body.empty()) {
      return Error(Alert::decode_error, std::string(to_string(E)) + ": body must be empty");
    }
    return EmptyExtension{};
  }
  void encode(wire::Writer&) const {}
};

}  // namespace tls13::msg
