#include "hs/certificate_check.h"

namespace tls13::hs {

Result<void> run_certificate_check(const CertificateCheckFn& check,
                                   std::span<const std::vector<std::uint8_t>> chain) {
  if (!check) return ok();
  auto r = check(chain);
  if (r) return ok();
  Error e = std::move(r).error();
  if (e.alert == Alert::close_notify || e.alert == Alert::user_canceled)
    e.alert = Alert::certificate_unknown;
  e.from_peer = false;
  return e;
}

Result<void> recheck_resumption(const ClientConfig& cfg, const ClientPsk& psk) {
  if (!cfg.recheck_on_resumption || psk.type != PskType::resumption) return ok();
  return run_certificate_check(cfg.certificate_check, psk.peer_chain);
}

Result<void> recheck_resumed(const ClientConfig& cfg, std::span<const ClientPsk> psks,
                             std::optional<std::uint16_t> selected, EarlyDataStatus early) {
  if (!selected || *selected >= psks.size() || early == EarlyDataStatus::accepted) return ok();
  return recheck_resumption(cfg, psks[*selected]);
}

}  // namespace tls13::hs
