// `tls13 demo --rfc8448`: walks the RFC 8448 §3 key schedule with our own
// code — X25519 from the trace's private keys, the transcript from its
// messages — and prints each secret with its RFC name and whether it matches
// the RFC's value.
#include <cstdio>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "base/hex.h"
#include "cli/commands.h"
#include "crypto/key_exchange.h"
#include "keysched/key_schedule.h"
#include "keysched/transcript.h"

namespace tls13::cli {

namespace {

struct Checker {
  const nlohmann::json& named;
  int checked = 0;
  int matched = 0;

  std::vector<std::uint8_t> value(const char* name) const {
    auto v = from_hex(named.at(name).get<std::string>());
    return v ? *v : std::vector<std::uint8_t>{};
  }
  void check(const char* rfc_name, std::span<const std::uint8_t> ours) {
    ++checked;
    const std::string want = named.at(rfc_name).get<std::string>();
    const std::string got = to_hex(ours);
    const bool ok = want == got;
    matched += ok;
    std::printf("  %-44s %s…  %s\n", rfc_name, got.substr(0, 16).c_str(),
                ok ? "matches RFC 8448" : "MISMATCH");
    if (!ok) std::printf("    expected %s\n", want.c_str());
  }
};

}  // namespace

int run_rfc8448_demo(const std::string& shared_dir) {
  const std::string path = shared_dir + "/spec/rfc8448-vectors.json";
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "tls13 demo: cannot open %s\n", path.c_str());
    return 1;
  }
  const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded()) {
    std::fprintf(stderr, "tls13 demo: %s is not valid JSON\n", path.c_str());
    return 1;
  }
  const nlohmann::json* sec = nullptr;
  for (const auto& s : doc.at("sections"))
    if (s.at("section") == "3") sec = &s;
  if (!sec) return 1;
  Checker c{sec->at("named")};
  const auto hash = crypto::HashId::sha256;  // TLS_AES_128_GCM_SHA256 throughout RFC 8448

  std::printf("RFC 8448 §3, simple 1-RTT handshake: TLS_AES_128_GCM_SHA256, x25519\n\n");
  std::printf("(EC)DHE — our X25519 over the trace's private keys:\n");
  auto client =
      crypto::KeyShare::from_private_key(NamedGroup::x25519, c.value("client_x25519_private_key"));
  auto server =
      crypto::KeyShare::from_private_key(NamedGroup::x25519, c.value("server_x25519_private_key"));
  if (!client || !server) return 1;
  c.check("client_x25519_public_key", client->public_key());
  c.check("server_x25519_public_key", server->public_key());
  auto shared = server->derive(client->public_key());
  if (!shared) return 1;
  c.check("ecdhe_shared_secret", shared->span());

  // Transcript points, from the trace's handshake messages.
  ks::Transcript t(hash);
  crypto::Digest after_sh, before_sfin, after_sfin, before_cfin, after_cfin;
  for (const auto& m : sec->at("handshake_messages")) {
    auto bytes = from_hex(m.at("hex").get<std::string>());
    if (!bytes) return 1;
    const std::string type = m.at("type"), party = m.at("party");
    // verify_data covers the transcript up to, not including, each Finished.
    if (type == "Finished" && party == "server") before_sfin = t.current_hash();
    if (type == "Finished" && party == "client") before_cfin = t.current_hash();
    t.add(*bytes);
    if (type == "ServerHello") after_sh = t.current_hash();
    if (type == "Finished" && party == "server") after_sfin = t.current_hash();
    if (type == "Finished" && party == "client") after_cfin = t.current_hash();
  }

  std::printf("\nEarly secret (no PSK):\n");
  auto early = ks::EarlySecret::no_psk(hash);
  c.check("early_secret", early.span());
  std::printf("\nHandshake secret = HKDF-Extract(Derive-Secret(early, \"derived\"), ECDHE):\n");
  auto hs = std::move(early).handshake(shared->span());
  c.check("handshake_secret", hs.span());
  c.check("transcript_hash_for_client_handshake_traffic_secret", after_sh.span());
  auto chts = hs.client_handshake_traffic_secret(after_sh);
  auto shts = hs.server_handshake_traffic_secret(after_sh);
  c.check("client_handshake_traffic_secret", chts.span());
  c.check("server_handshake_traffic_secret", shts.span());
  auto skeys = ks::traffic_keys(shts, crypto::AeadId::aes_128_gcm);
  auto ckeys = ks::traffic_keys(chts, crypto::AeadId::aes_128_gcm);
  c.check("server_handshake_write_key", skeys.key.span());
  c.check("server_handshake_write_iv", skeys.iv.span());
  c.check("client_handshake_write_key", ckeys.key.span());
  c.check("client_handshake_write_iv", ckeys.iv.span());
  c.check("server_finished_key", ks::finished_key(shts).span());
  c.check("client_finished_key", ks::finished_key(chts).span());

  std::printf("\nMaster secret and application traffic secrets:\n");
  auto master = std::move(hs).master();
  c.check("master_secret", master.span());
  c.check("transcript_hash_for_client_application_traffic_secret_0", after_sfin.span());
  auto cats = master.client_application_traffic_secret_0(after_sfin);
  auto sats = master.server_application_traffic_secret_0(after_sfin);
  c.check("client_application_traffic_secret_0", cats.span());
  c.check("server_application_traffic_secret_0", sats.span());
  c.check("exporter_master_secret", master.exporter_master_secret(after_sfin).span());
  auto sakeys = ks::traffic_keys(sats, crypto::AeadId::aes_128_gcm);
  auto cakeys = ks::traffic_keys(cats, crypto::AeadId::aes_128_gcm);
  c.check("server_application_write_key", sakeys.key.span());
  c.check("server_application_write_iv", sakeys.iv.span());
  c.check("client_application_write_key", cakeys.key.span());
  c.check("client_application_write_iv", cakeys.iv.span());

  std::printf("\nFinished (HMAC over the transcript with the finished keys):\n");
  c.check("server_finished_verify_data", ks::finished_verify_data(shts, before_sfin).span());
  c.check("client_finished_verify_data", ks::finished_verify_data(chts, before_cfin).span());

  std::printf("\nResumption:\n");
  c.check("transcript_hash_for_resumption_master_secret", after_cfin.span());
  auto rms = master.resumption_master_secret(after_cfin);
  c.check("resumption_master_secret", rms.span());
  auto psk = ks::resumption_psk(rms, c.value("ticket_nonce"));
  if (!psk) return 1;
  c.check("resumption_psk", psk->span());

  std::printf("\n%d of %d values match RFC 8448 §3.\n", c.matched, c.checked);
  return c.matched == c.checked ? 0 : 1;
}

}  // namespace tls13::cli
