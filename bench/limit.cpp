#include "limit.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>

#include "pki.h"

namespace bench {

namespace {

bool g_quick = false;

void check(int ok, const char* what) {
  if (ok != 1) die(std::string("crypto limit: ") + what);
}

// Per-operation cost in microseconds: median of batches, thread CPU time.
double per_op_us(const std::function<void()>& op) {
  const int batches = g_quick ? 3 : 9;
  const double target = g_quick ? 0.001 : 0.005;  // seconds per batch
  op();
  int n = 1;
  for (double t0 = cpu_now(); cpu_now() - t0 < target / 4; ++n) op();  // calibrate
  const int batch = std::max(1, n * 4);
  std::vector<double> us;
  for (int b = 0; b < batches; ++b) {
    const double t0 = cpu_now();
    for (int i = 0; i < batch; ++i) op();
    us.push_back((cpu_now() - t0) * 1e6 / batch);
  }
  std::sort(us.begin(), us.end());
  return us[us.size() / 2];
}

struct PkeyCtx {
  EVP_PKEY_CTX* p = nullptr;
  ~PkeyCtx() { EVP_PKEY_CTX_free(p); }
};

EVP_PKEY* keygen(const char* group) {
  EVP_PKEY* k = std::string(group) == "X25519" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519")
                                               : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", group);
  if (!k) die("crypto limit: keygen");
  return k;
}

// ECDHE: key generation and the derivation core, on cached contexts.
std::pair<double, double> ecdhe(Group g) {
  const char* name = g == Group::x25519 ? "X25519" : "P-256";
  EVP_PKEY* peer = keygen(name);
  EVP_PKEY* ours = keygen(name);
  PkeyCtx gen;
  gen.p = EVP_PKEY_CTX_new_from_pkey(nullptr, ours, nullptr);  // parameters of the group
  check(EVP_PKEY_keygen_init(gen.p), "keygen init");
  const double kg = per_op_us([&] {
    EVP_PKEY* k = nullptr;
    check(EVP_PKEY_keygen(gen.p, &k), "keygen");
    EVP_PKEY_free(k);
  });
  PkeyCtx d;
  d.p = EVP_PKEY_CTX_new_from_pkey(nullptr, ours, nullptr);
  check(EVP_PKEY_derive_init(d.p), "derive init");
  check(EVP_PKEY_derive_set_peer_ex(d.p, peer, 0), "set peer");
  unsigned char secret[66];
  const double dv = per_op_us([&] {
    std::size_t n = sizeof secret;
    check(EVP_PKEY_derive(d.p, secret, &n), "derive");
  });
  EVP_PKEY_free(peer);
  EVP_PKEY_free(ours);
  return {kg, dv};
}

// CertificateVerify signing and verification of a 32-byte transcript hash's
// content on cached contexts (EdDSA signs the whole 130-byte content).
std::pair<double, double> signature(Key k) {
  const Pki& p = pki(k);
  BIO* bio = BIO_new_mem_buf(p.key_pem.data(), static_cast<int>(p.key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!key) die("crypto limit: key");
  unsigned char content[130];
  std::fill(std::begin(content), std::end(content), 0x20);
  unsigned char digest[32];
  unsigned int dl = 0;
  check(EVP_Digest(content, sizeof content, digest, &dl, EVP_sha256(), nullptr), "digest");
  unsigned char sig[512];
  std::size_t sl = sizeof sig;
  double sign_us = 0, verify_us = 0;
  if (k == Key::ed25519) {
    EVP_MD_CTX* tmpl = EVP_MD_CTX_new();
    check(EVP_DigestSignInit_ex(tmpl, nullptr, nullptr, nullptr, nullptr, key, nullptr), "init");
    EVP_MD_CTX* c = EVP_MD_CTX_new();
    sign_us = per_op_us([&] {
      check(EVP_MD_CTX_copy_ex(c, tmpl), "copy");
      sl = sizeof sig;
      check(EVP_DigestSign(c, sig, &sl, content, sizeof content), "sign");
    });
    EVP_MD_CTX* vt = EVP_MD_CTX_new();
    check(EVP_DigestVerifyInit_ex(vt, nullptr, nullptr, nullptr, nullptr, key, nullptr), "init");
    verify_us = per_op_us([&] {
      check(EVP_MD_CTX_copy_ex(c, vt), "copy");
      check(EVP_DigestVerify(c, sig, sl, content, sizeof content), "verify");
    });
    EVP_MD_CTX_free(tmpl);
    EVP_MD_CTX_free(vt);
    EVP_MD_CTX_free(c);
  } else {
    PkeyCtx s, v;
    s.p = EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr);
    v.p = EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr);
    check(EVP_PKEY_sign_init(s.p), "sign init");
    check(EVP_PKEY_verify_init(v.p), "verify init");
    for (EVP_PKEY_CTX* c : {s.p, v.p}) {
      check(EVP_PKEY_CTX_set_signature_md(c, EVP_sha256()), "md");
      if (k == Key::rsa2048) {
        check(EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PSS_PADDING), "pss");
        check(EVP_PKEY_CTX_set_rsa_pss_saltlen(c, 32), "salt");
      }
    }
    sign_us = per_op_us([&] {
      sl = sizeof sig;
      check(EVP_PKEY_sign(s.p, sig, &sl, digest, sizeof digest), "sign");
    });
    verify_us =
        per_op_us([&] { check(EVP_PKEY_verify(v.p, sig, sl, digest, sizeof digest), "verify"); });
  }
  EVP_PKEY_free(key);
  return {sign_us, verify_us};
}

// The key schedule of one side (bench-method.md): 3 HKDF-Extract, 18
// HKDF-Expand, 2 HMAC (each one HMAC on a cached, re-keyed context),
// transcript hashing with snapshots, and 2 small records.
double key_schedule(Suite s, std::map<std::string, double>& prim) {
  const bool sha384 = s == Suite::aes256gcm;
  const char* mdname = sha384 ? "SHA2-384" : "SHA2-256";
  const std::string h = sha384 ? "sha384" : "sha256";
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX* mc = EVP_MAC_CTX_new(mac);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(mdname), 0),
      OSSL_PARAM_construct_end()};
  check(EVP_MAC_CTX_set_params(mc, params), "hmac digest");
  unsigned char key[48] = {1}, data[80] = {2}, out[64];
  const double hmac = per_op_us([&] {
    std::size_t n = 0;
    check(EVP_MAC_init(mc, key, sha384 ? 48 : 32, nullptr), "hmac init");
    check(EVP_MAC_update(mc, data, sizeof data), "hmac update");
    check(EVP_MAC_final(mc, out, &n, sizeof out), "hmac final");
  });
  EVP_MAC_CTX_free(mc);
  EVP_MAC_free(mac);

  const EVP_MD* md = EVP_MD_fetch(nullptr, mdname, nullptr);
  EVP_MD_CTX* running = EVP_MD_CTX_new();
  EVP_MD_CTX* copy = EVP_MD_CTX_new();
  std::vector<unsigned char> transcript(1024, 0x16);
  const double hash1k = per_op_us([&] {
    check(EVP_DigestInit_ex2(running, md, nullptr), "hash init");
    check(EVP_DigestUpdate(running, transcript.data(), transcript.size()), "hash");
  });
  const double snapshot = per_op_us([&] {
    unsigned int n = 0;
    check(EVP_MD_CTX_copy_ex(copy, running), "hash copy");
    check(EVP_DigestFinal_ex(copy, out, &n), "hash final");
  });
  EVP_MD_CTX_free(running);
  EVP_MD_CTX_free(copy);
  EVP_MD_free(const_cast<EVP_MD*>(md));
  prim["crypto.hmac." + h] = hmac;
  prim["crypto." + h + ".1kib"] = hash1k;
  prim["crypto." + h + ".snapshot"] = snapshot;
  // Handshake messages are about 1.5 KiB; each side takes ~6 snapshots.
  const double hashing = 1.5 * hash1k + 6 * snapshot;
  const double small_record = prim["crypto.aead." + std::string(name_of(s)) + ".seal_64"];
  const double ks = (3 + 18 + 2) * hmac + hashing + 2 * small_record;
  prim["crypto.ks." + std::string(name_of(s))] = ks;
  return ks;
}

const EVP_CIPHER* cipher(Suite s) {
  switch (s) {
    case Suite::aes128gcm:
      return EVP_aes_128_gcm();
    case Suite::aes256gcm:
      return EVP_aes_256_gcm();
    case Suite::chacha20:
      return EVP_chacha20_poly1305();
  }
  return nullptr;
}

// Seal and open of one record of `len` bytes on keyed contexts: only the
// nonce is set per record, as a TLS stack does.
std::pair<double, double> aead(Suite s, std::size_t len) {
  const EVP_CIPHER* c = cipher(s);
  unsigned char key[32] = {7}, iv[12] = {9}, aad[5] = {23, 3, 3, 0, 0}, tag[16];
  std::vector<unsigned char> buf(len, 0x41);
  EVP_CIPHER_CTX* e = EVP_CIPHER_CTX_new();
  EVP_CIPHER_CTX* d = EVP_CIPHER_CTX_new();
  check(EVP_EncryptInit_ex2(e, c, key, iv, nullptr), "seal init");
  check(EVP_DecryptInit_ex2(d, c, key, iv, nullptr), "open init");
  auto seal = [&] {
    int n = 0;
    check(EVP_EncryptInit_ex2(e, nullptr, nullptr, iv, nullptr), "nonce");
    check(EVP_EncryptUpdate(e, nullptr, &n, aad, sizeof aad), "aad");
    check(EVP_EncryptUpdate(e, buf.data(), &n, buf.data(), static_cast<int>(buf.size())), "seal");
    check(EVP_EncryptFinal_ex(e, tag, &n), "final");
    check(EVP_CIPHER_CTX_ctrl(e, EVP_CTRL_AEAD_GET_TAG, 16, tag), "tag");
  };
  const double seal_us = per_op_us(seal);
  std::vector<unsigned char> plain(len, 0x41);
  buf = plain;
  seal();
  const std::vector<unsigned char> sealed = buf;
  const double open_us = per_op_us([&] {
    int n = 0;
    std::copy(sealed.begin(), sealed.end(), buf.begin());  // not charged below
    check(EVP_DecryptInit_ex2(d, nullptr, nullptr, iv, nullptr), "nonce");
    check(EVP_CIPHER_CTX_ctrl(d, EVP_CTRL_AEAD_SET_TAG, 16, tag), "tag");
    check(EVP_DecryptUpdate(d, nullptr, &n, aad, sizeof aad), "aad");
    check(EVP_DecryptUpdate(d, buf.data(), &n, buf.data(), static_cast<int>(buf.size())), "open");
    check(EVP_DecryptFinal_ex(d, tag, &n), "tag check");
  });
  // The copy that restores the ciphertext is part of the loop above; take
  // it out again.
  const double copy_us = per_op_us([&] { std::copy(sealed.begin(), sealed.end(), buf.begin()); });
  EVP_CIPHER_CTX_free(e);
  EVP_CIPHER_CTX_free(d);
  return {seal_us, std::max(0.0, open_us - copy_us)};
}

}  // namespace

Samples measure_limits(const LimitPlan& plan, bool quick) {
  g_quick = quick;
  std::map<std::string, double> prim;  // us/op
  std::map<Suite, double> ks;
  std::map<Group, std::pair<double, double>> kx;
  std::map<Key, std::pair<double, double>> sig;
  auto need_suite = [&](Suite s) {
    if (ks.count(s)) return;
    const auto small = aead(s, 64);
    prim["crypto.aead." + std::string(name_of(s)) + ".seal_64"] = small.first;
    ks[s] = key_schedule(s, prim);
  };
  auto need_group = [&](Group g) {
    if (kx.count(g)) return;
    kx[g] = ecdhe(g);
    prim["crypto." + std::string(name_of(g)) + ".keygen"] = kx[g].first;
    prim["crypto." + std::string(name_of(g)) + ".derive_core"] = kx[g].second;
  };
  auto need_key = [&](Key k) {
    if (sig.count(k)) return;
    sig[k] = signature(k);
    prim["crypto." + std::string(name_of(k)) + ".sign"] = sig[k].first;
    prim["crypto." + std::string(name_of(k)) + ".verify"] = sig[k].second;
  };

  Samples out;
  auto rates = [&](const std::string& name, double server_us, double client_us) {
    out.push_back({name + ".pair", 1e6 / (server_us + client_us), "hs/s"});
    out.push_back({name + ".server", 1e6 / server_us, "hs/s"});
    out.push_back({name + ".client", 1e6 / client_us, "hs/s"});
  };
  for (const Combo& c : plan.hs_full) {
    need_suite(c.suite);
    need_group(c.group);
    need_key(c.key);
    const double ecdhe_us = kx[c.group].first + kx[c.group].second;
    // Server signs; client verifies CertificateVerify and the leaf's
    // signature by the CA (same key type).
    rates("limit.hs_full." + c.tail(), ecdhe_us + sig[c.key].first + ks[c.suite],
          ecdhe_us + 2 * sig[c.key].second + ks[c.suite]);
  }
  for (const Combo& c : plan.hs_resume) {
    need_suite(c.suite);
    need_group(c.group);
    const double side = kx[c.group].first + kx[c.group].second + ks[c.suite];
    rates("limit.hs_resume." + c.tail(), side, side);
  }
  for (Suite s : plan.bulk) {
    const auto [seal_us, open_us] = aead(s, 16384);
    const std::string n = name_of(s);
    prim["crypto.aead." + n + ".seal_16k"] = seal_us;
    prim["crypto.aead." + n + ".open_16k"] = open_us;
    const double mib = 16384.0 / (1024 * 1024);
    out.push_back({"limit.bulk." + n + ".send", mib / (seal_us * 1e-6), "MiB/s"});
    out.push_back({"limit.bulk." + n + ".recv", mib / (open_us * 1e-6), "MiB/s"});
    out.push_back({"limit.bulk." + n + ".pair", mib / ((seal_us + open_us) * 1e-6), "MiB/s"});
  }
  for (const auto& [name, us] : prim) out.push_back({name, us, "us/op"});
  return out;
}

}  // namespace bench
