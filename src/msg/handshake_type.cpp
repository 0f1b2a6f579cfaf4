#include "msg/handshake_type.h"

namespace tls13::msg {

std::string_view to_string(HandshakeType t) noexcept {
  switch (t) {
    case HandshakeType::client_hello:
      return "client_hello";
    case HandshakeType::server_hello:
      return "server_hello";
    case HandshakeType::new_session_ticket:
      return "new_session_ticket";
    case HandshakeType::end_of_early_data:
      return "end_of_early_data";
    case HandshakeType::encrypted_extensions:
      return "encrypted_extensions";
    case HandshakeType::certificate:
      return "certificate";
    case HandshakeType::certificate_request:
      return "certificate_request";
    case HandshakeType::certificate_verify:
      return "certificate_verify";
    case HandshakeType::finished:
      return "finished";
    case HandshakeType::key_update:
      return "key_update";
    case HandshakeType::message_hash:
      return "message_hash";
  }
  return "unknown";
}

std::string_view message_name(HandshakeType t) noexcept {
  switch (t) {
    case HandshakeType::client_hello:
      return "ClientHello";
    case HandshakeType::server_hello:
      return "ServerHello";
    case HandshakeType::new_session_ticket:
      return "NewSessionTicket";
    case HandshakeType::end_of_early_data:
      return "EndOfEarlyData";
    case HandshakeType::encrypted_extensions:
      return "EncryptedExtensions";
    case HandshakeType::certificate:
      return "Certificate";
    case HandshakeType::certificate_request:
      return "CertificateRequest";
    case HandshakeType::certificate_verify:
      return "CertificateVerify";
    case HandshakeType::finished:
      return "Finished";
    case HandshakeType::key_update:
      return "KeyUpdate";
    case HandshakeType::message_hash:
      return "message_hash";
  }
  return "unknown";
}

}  // namespace tls13::msg
