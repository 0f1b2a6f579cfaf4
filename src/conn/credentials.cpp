#include <fstream>
#include <sstream>

#include "base/hex.h"
#include "conn/credentials_impl.h"

namespace tls13 {

namespace {

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(Alert::internal_error, "cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto l = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
    if (l(a[i]) != l(b[i])) return false;
  }
  return true;
}

}  // namespace

CertifiedKey::CertifiedKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CertifiedKey::~CertifiedKey() = default;

Result<std::shared_ptr<const CertifiedKey>> CertifiedKey::from_pem(std::string_view chain_pem,
                                                                   std::string_view key_pem) {
  auto chain = crypto::load_pem_chain(chain_pem);
  if (!chain) return std::move(chain).error();
  if (chain->empty()) return Error(Alert::internal_error, "no certificate in the PEM input");
  auto key = crypto::PrivateKey::from_pem(key_pem);
  if (!key) return std::move(key).error();
  auto pub = chain->front().public_key();
  if (!pub) return std::move(pub).error();
  if (pub->spki_der() != key->public_spki_der())
    return Error(Alert::internal_error, "the private key does not match the certificate");
  auto impl =
      std::make_unique<Impl>(Impl{std::move(chain).value(), {}, std::move(key).value(), {}, {}});
  for (const auto& c : impl->chain) impl->der.emplace_back(c.der().begin(), c.der().end());
  impl->schemes = impl->key.schemes();
  impl->names = impl->chain.front().subject_alt_names();
  return std::shared_ptr<const CertifiedKey>(new CertifiedKey(std::move(impl)));
}

Result<std::shared_ptr<const CertifiedKey>> CertifiedKey::from_files(const std::string& chain_file,
                                                                     const std::string& key_file) {
  auto c = read_file(chain_file);
  if (!c) return std::move(c).error();
  auto k = read_file(key_file);
  if (!k) return std::move(k).error();
  return from_pem(*c, *k);
}

Result<std::shared_ptr<const CertifiedKey>> CertifiedKey::self_signed(
    const std::vector<std::string>& names) {
  auto key = crypto::PrivateKey::generate(crypto::KeyType::ec_p256);
  if (!key) return std::move(key).error();
  auto cert = crypto::make_self_signed(*key, names);
  if (!cert) return std::move(cert).error();
  return from_pem(cert->to_pem(), key->to_pem());
}

const std::vector<std::vector<std::uint8_t>>& CertifiedKey::chain_der() const noexcept {
  return impl_->der;
}
const std::vector<SignatureScheme>& CertifiedKey::schemes() const noexcept {
  return impl_->schemes;
}

bool CertifiedKey::matches_name(std::string_view host) const {
  for (const auto& n : impl_->names) {
    if (iequal(n, host)) return true;
    // "*.example.com" covers exactly one more label.
    if (n.size() > 2 && n[0] == '*' && n[1] == '.') {
      const auto dot = host.find('.');
      if (dot != std::string_view::npos && dot > 0 &&
          iequal(host.substr(dot), std::string_view(n).substr(1)))
        return true;
    }
  }
  return false;
}

std::string CertifiedKey::fingerprint_sha256() const {
  return to_hex(impl_->chain.front().fingerprint_sha256());
}

std::string CertifiedKey::leaf_pem() const {
  return impl_->chain.front().to_pem();
}

TrustAnchors::TrustAnchors(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TrustAnchors::~TrustAnchors() = default;

// Store is always crypto::TrustStore; a template keeps that type out of the
// public header.
template <class Store>
Result<std::shared_ptr<const TrustAnchors>> TrustAnchors::wrap(Result<Store> store) {
  if (!store) return std::move(store).error();
  auto subjects = store->subject_names();
  return std::shared_ptr<const TrustAnchors>(new TrustAnchors(
      std::make_unique<Impl>(Impl{std::move(store).value(), std::move(subjects)})));
}

Result<std::shared_ptr<const TrustAnchors>> TrustAnchors::system() {
  return wrap(crypto::TrustStore::system_default());
}

Result<std::shared_ptr<const TrustAnchors>> TrustAnchors::from_file(const std::string& pem_file) {
  return wrap(crypto::TrustStore::from_file(pem_file));
}

Result<std::shared_ptr<const TrustAnchors>> TrustAnchors::from_dir(const std::string& dir) {
  return wrap(crypto::TrustStore::from_dir(dir));
}

Result<std::shared_ptr<const TrustAnchors>> TrustAnchors::from_pem(std::string_view pem) {
  auto certs = crypto::load_pem_chain(pem);
  if (!certs) return std::move(certs).error();
  crypto::TrustStore store;
  for (const auto& c : *certs) TLS13_TRY(store.add(c));
  return wrap(Result<crypto::TrustStore>(std::move(store)));
}

const crypto::TrustStore& trust_store(const ClientConfig& cfg) {
  if (cfg.trust) return cfg.trust->impl().store;
  // The system store is read once and never modified afterwards.
  static const crypto::TrustStore system = [] {
    auto s = crypto::TrustStore::system_default();
    return s ? std::move(s).value() : crypto::TrustStore();
  }();
  return system;
}

}  // namespace tls13
