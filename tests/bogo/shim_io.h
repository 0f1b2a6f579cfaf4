// The BoGo shim's transport: a TCP connection to the runner on loopback and a
// driver that moves bytes between it and a sans-I/O tls13::Connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tls13/connection.h"
#include "tls13/error.h"

namespace bogo {

class Transport {
 public:
  Transport() = default;
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;
  ~Transport();

  // Connects to 127.0.0.1 (or ::1) and sends the shim id, 8 bytes LE.
  bool connect(int port, bool ipv6, std::uint64_t shim_id);
  // Sends everything; false once the socket is broken.
  bool send_all(std::span<const std::uint8_t> data);
  // Receives up to out.size() bytes: >0 data, 0 end of stream, -1 error.
  long recv_some(std::span<std::uint8_t> out);
  // Half-closes, reads until the runner closes (bounded), closes. Closing
  // with unread input would reset the connection and could hide our alert.
  void drain_and_close();

 private:
  int fd_ = -1;
};

// Drives one Connection over a Transport. Every method returns false (or
// nullopt) on failure; report_failure() then prints why and returns 1.
class Driver {
 public:
  Driver(Transport& t, tls13::Connection& conn) : t_(t), conn_(conn) {}

  // Runs the handshake to its end; with `until_early_data` a server stops
  // once it has accepted 0-RTT and sent its flight (it may then read early
  // data and write half-RTT data).
  bool handshake(bool until_early_data = false);
  // Application data (accepted early data first): >0 bytes read, 0 at
  // close_notify or end of stream.
  std::optional<std::size_t> read(std::span<std::uint8_t> out);
  bool write(std::span<const std::uint8_t> data);
  // After our close_notify: waits for the runner's.
  bool wait_close_notify();
  void flush();
  int report_failure();

 private:
  bool pull();  // reads from the socket into the connection; false at EOF/error

  Transport& t_;
  tls13::Connection& conn_;
  bool broken_ = false;  // the socket failed; output is dropped
  std::string local_error_;
};

// Prints a library error as the runner will see it; returns 1.
int report(const tls13::Error& e);

std::string read_file(const std::string& path);
// DER of each CERTIFICATE block of a PEM text, in order.
std::vector<std::vector<std::uint8_t>> pem_certificates(const std::string& pem);

}  // namespace bogo
