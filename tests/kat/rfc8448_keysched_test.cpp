// RFC 8448 key schedule known answers, sections 3–7: every secret, key, IV,
// transcript hash, Finished and binder is recomputed by the library from the
// handshake messages and the (EC)DHE shared secret (and in §4 the PSK of §3)
// and compared byte for byte; then every HKDF step printed in the trace is
// replayed from its own inputs. Nothing is skipped quietly: a named value that
// is neither checked nor a known non-key-schedule value fails the test.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <iostream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/hmac.h"
#include "keysched/hkdf_label.h"
#include "keysched/key_schedule.h"
#include "keysched/transcript.h"
#include "support/test_support.h"

namespace tls13::ks {
namespace {

using json = nlohmann::json;
using Bytes = std::vector<std::uint8_t>;
using test::hex;

Bytes to_bytes(std::span<const std::uint8_t> s) {
  return Bytes(s.begin(), s.end());
}

// Counts every comparison; each one is an EXPECT, so any differing byte fails.
class Tally {
 public:
  explicit Tally(std::string section) : section_(std::move(section)) {}

  void check(const std::string& what, std::span<const std::uint8_t> expected,
             std::span<const std::uint8_t> actual) {
    ++checked_;
    const bool same = std::equal(expected.begin(), expected.end(), actual.begin(), actual.end());
    if (same) ++matched_;
    EXPECT_EQ(hex(actual), hex(expected)) << "RFC 8448 §" << section_ << ": " << what;
  }
  void check_ok(const std::string& what, const Result<void>& r) {
    ++checked_;
    if (r.ok()) ++matched_;
    EXPECT_TRUE(r.ok()) << "RFC 8448 §" << section_ << ": " << what << ": "
                        << (r.ok() ? "" : r.error().message);
  }
  void report() const {
    std::cout << "RFC 8448 §" << section_ << " key schedule: " << checked_ << " values checked, "
              << matched_ << " matched\n";
    EXPECT_EQ(checked_, matched_);
    EXPECT_GT(checked_, 100) << "suspiciously few checks";
  }

 private:
  std::string section_;
  int checked_ = 0;
  int matched_ = 0;
};

struct Message {
  std::string party;
  std::string type;
  Bytes bytes;
};

// HelloRetryRequest's ServerHello.random (RFC 8446 §4.1.3).
const Bytes kHrrRandom =
    test::hex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

// ServerHello: type(1) length(3) legacy_version(2) random(32)
// legacy_session_id_echo<0..32> cipher_suite(2) ...
std::span<const std::uint8_t> server_hello_random(const Bytes& sh) {
  return std::span(sh).subspan(6, 32);
}
CipherSuite server_hello_suite(const Bytes& sh) {
  const std::size_t at = 38 + 1 + sh.at(38);
  return static_cast<CipherSuite>((sh.at(at) << 8) | sh.at(at + 1));
}
// NewSessionTicket: type(1) length(3) lifetime(4) age_add(4) ticket_nonce<0..255>.
Bytes ticket_nonce_of(const Bytes& nst) {
  const std::size_t len = nst.at(12);
  return Bytes(nst.begin() + 13, nst.begin() + 13 + static_cast<std::ptrdiff_t>(len));
}
Bytes finished_message(const Digest& verify_data) {
  Bytes m = {20, 0, 0, static_cast<std::uint8_t>(verify_data.size())};
  m.insert(m.end(), verify_data.span().begin(), verify_data.span().end());
  return m;
}

// Key-schedule values this test must find in the section's `named` index.
std::vector<std::string> required_named(const std::string& section) {
  std::vector<std::string> r = {"early_secret",
                                "early_secret_ikm",
                                "ecdhe_shared_secret",
                                "derived_secret_for_handshake",
                                "derived_secret_for_handshake_2",
                                "handshake_secret",
                                "client_handshake_traffic_secret",
                                "server_handshake_traffic_secret",
                                "transcript_hash_for_client_handshake_traffic_secret",
                                "transcript_hash_for_server_handshake_traffic_secret",
                                "derived_secret_for_master",
                                "master_secret",
                                "client_application_traffic_secret_0",
                                "server_application_traffic_secret_0",
                                "transcript_hash_for_client_application_traffic_secret_0",
                                "transcript_hash_for_server_application_traffic_secret_0",
                                "exporter_master_secret",
                                "transcript_hash_for_exporter_master_secret",
                                "resumption_master_secret",
                                "transcript_hash_for_resumption_master_secret",
                                "server_handshake_write_key",
                                "server_handshake_write_iv",
                                "client_handshake_write_key",
                                "client_handshake_write_iv",
                                "server_application_write_key",
                                "server_application_write_iv",
                                "client_application_write_key",
                                "client_application_write_iv",
                                "server_finished_key",
                                "server_finished_verify_data",
                                "server_Finished",
                                "client_finished_key",
                                "client_finished_verify_data",
                                "client_Finished"};
  if (section == "3") {
    r.insert(r.end(), {"resumption_psk", "ticket_nonce"});
  }
  if (section == "4") {
    r.insert(r.end(),
             {"psk_binder_truncated_client_hello", "psk_binder_transcript_hash", "psk_binder_key",
              "psk_binder_finished_key", "psk_binder", "client_early_traffic_secret",
              "transcript_hash_for_client_early_traffic_secret", "early_exporter_master_secret",
              "transcript_hash_for_early_exporter_master_secret", "client_early_write_key",
              "client_early_write_iv", "client_ClientHello"});
  }
  return r;
}

// Named values that are not key-schedule outputs: key-exchange keys and
// handshake messages other than Finished (inputs to the transcript).
bool is_non_keysched_value(const std::string& name) {
  auto ends_with = [&](std::string_view s) {
    return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  if (ends_with("_private_key") || ends_with("_public_key")) return true;
  if (name == "new_session_ticket_fields") return true;
  for (std::string_view p : {"client_", "server_"}) {
    if (name.rfind(p, 0) == 0 && name.size() > p.size() &&
        std::isupper(static_cast<unsigned char>(name[p.size()])) &&
        name.find("Finished") == std::string::npos)
      return true;
  }
  return false;
}

// One section: all values the library computes, keyed like the JSON's
// `named` index, plus the transcript hashes in front of each Finished.
struct Computed {
  std::map<std::string, Bytes> v;
  HashId hash = HashId::sha256;
  crypto::AeadId aead = crypto::AeadId::aes_128_gcm;
  Digest before_server_finished;
  Digest before_client_finished;

  const Bytes& at(const std::string& name) const {
    auto it = v.find(name);
    if (it == v.end()) throw std::runtime_error("test computed no value " + name);
    return it->second;
  }
};

void compute_section(const std::string& sec, Tally& t, Computed& c) {
  const json& s = test::rfc8448_section(sec);
  const bool psk = sec == "4";

  std::vector<Message> msgs;
  for (const auto& m : s.at("handshake_messages"))
    msgs.push_back({m.at("party"), m.at("type"), test::hex(m.at("hex").get<std::string>())});
  ASSERT_GE(msgs.size(), 6u);

  // The suite comes from the (last) ServerHello; the hash from the suite.
  const Message* sh = nullptr;
  for (const auto& m : msgs)
    if (m.type == "ServerHello") sh = &m;
  ASSERT_NE(sh, nullptr);
  const auto suite = crypto::suite_info(server_hello_suite(sh->bytes));
  ASSERT_TRUE(suite.has_value());
  c.hash = suite->hash;
  c.aead = suite->aead;
  const std::size_t hl = crypto::hash_length(c.hash);

  // §4: the printed ClientHello is Truncate(ClientHello); the full one is the
  // first record. Truncate removes the binders list: one binder of
  // Hash.length octets, so 2 + 1 + Hash.length octets.
  Bytes truncated_ch;
  Bytes psk_bytes;
  if (psk) {
    const json& rec = s.at("records").at(0);
    ASSERT_EQ(rec.at("party"), "client");
    ASSERT_EQ(rec.at("content_type"), "handshake");
    const Bytes full = test::hex(rec.at("payload").get<std::string>());
    ASSERT_GT(full.size(), 3 + hl);
    truncated_ch.assign(full.begin(), full.end() - static_cast<std::ptrdiff_t>(3 + hl));
    c.v["psk_binder_truncated_client_hello"] = truncated_ch;
    c.v["client_ClientHello"] = truncated_ch;
    t.check("printed ClientHello is Truncate(full ClientHello)", msgs[0].bytes, truncated_ch);
    msgs[0].bytes = full;

    // The PSK is resumption_psk of §3 (its resumption master secret and the
    // nonce of its NewSessionTicket).
    const ResumptionMasterSecret rms(c.hash, test::rfc8448_named("3", "resumption_master_secret"));
    auto p = resumption_psk(rms, test::rfc8448_named("3", "ticket_nonce"));
    ASSERT_TRUE(p.ok());
    psk_bytes = to_bytes(p->span());
  }

  // Transcript: buffered until the ServerHello names the hash, like a client.
  Transcript tr;
  Digest binder_hash;
  Digest ch_hash;
  bool after_client_finished = false;
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    const Message& m = msgs[i];
    if (after_client_finished) {
      // Post-handshake messages are outside the transcript.
      EXPECT_EQ(m.type, "NewSessionTicket");
      c.v["ticket_nonce"] = ticket_nonce_of(m.bytes);
      continue;
    }
    if (i == 0 && psk) {
      EXPECT_FALSE(tr.has_hash());
      binder_hash = tr.hash_with(c.hash, truncated_ch);
      c.v["psk_binder_transcript_hash"] = to_bytes(binder_hash.span());
    }
    if (m.type == "ServerHello") {
      ASSERT_TRUE(tr.set_hash(c.hash).ok());
      const auto random = server_hello_random(m.bytes);
      if (std::equal(random.begin(), random.end(), kHrrRandom.begin(), kHrrRandom.end())) {
        ASSERT_EQ(i, 1u) << "HelloRetryRequest must follow ClientHello1";
        ASSERT_TRUE(tr.replace_with_message_hash().ok());
        c.v["server_HelloRetryRequest"] = m.bytes;  // identified by its random
      }
    }
    if (m.type == "Finished") {
      (m.party == "server" ? c.before_server_finished : c.before_client_finished) =
          tr.current_hash();
    }
    tr.add(m.bytes);
    if (i == 0) ch_hash = tr.hash_with(c.hash, {});  // still unhashed: hash of the buffer
    const Digest now = tr.current_hash();
    if (m.type == "ServerHello" && &m == sh) {
      c.v["transcript_hash_for_client_handshake_traffic_secret"] = to_bytes(now.span());
      c.v["transcript_hash_for_server_handshake_traffic_secret"] = to_bytes(now.span());
    } else if (m.type == "Finished" && m.party == "server") {
      for (const char* n : {"transcript_hash_for_client_application_traffic_secret_0",
                            "transcript_hash_for_server_application_traffic_secret_0",
                            "transcript_hash_for_exporter_master_secret"})
        c.v[n] = to_bytes(now.span());
    } else if (m.type == "Finished" && m.party == "client") {
      c.v["transcript_hash_for_resumption_master_secret"] = to_bytes(now.span());
      after_client_finished = true;
    }
  }
  ASSERT_TRUE(after_client_finished);
  ASSERT_EQ(c.before_server_finished.size(), hl);
  ASSERT_EQ(c.before_client_finished.size(), hl);

  // Early Secret.
  const Bytes zeros(hl, 0);
  EarlySecret es = psk ? EarlySecret::from_psk(c.hash, psk_bytes) : EarlySecret::no_psk(c.hash);
  EXPECT_EQ(es.hash(), c.hash);
  c.v["early_secret"] = to_bytes(es.span());
  c.v["early_secret_ikm"] = psk ? psk_bytes : zeros;
  if (psk) {
    c.v["transcript_hash_for_client_early_traffic_secret"] = to_bytes(ch_hash.span());
    c.v["transcript_hash_for_early_exporter_master_secret"] = to_bytes(ch_hash.span());
    const BinderKey bk = es.binder_key(PskKind::resumption);
    c.v["psk_binder_key"] = to_bytes(bk.span());
    c.v["psk_binder_finished_key"] = to_bytes(finished_key(bk).span());
    const Digest binder = psk_binder(bk, binder_hash);
    c.v["psk_binder"] = to_bytes(binder.span());
    // The binders list at the end of the full ClientHello carries it.
    Bytes list = {0, static_cast<std::uint8_t>(1 + hl), static_cast<std::uint8_t>(hl)};
    list.insert(list.end(), binder.span().begin(), binder.span().end());
    const Bytes& full = msgs[0].bytes;
    t.check("binders list of the full ClientHello",
            std::span(full).subspan(full.size() - list.size()), list);
    t.check_ok("verify_psk_binder on the sent binder",
               verify_psk_binder(bk, binder_hash, std::span(full).last(hl)));
    const TrafficSecret cets = es.client_early_traffic_secret(ch_hash);
    c.v["client_early_traffic_secret"] = to_bytes(cets.span());
    c.v["early_exporter_master_secret"] = to_bytes(es.early_exporter_master_secret(ch_hash).span());
    const TrafficKeys k = traffic_keys(cets, c.aead);
    c.v["client_early_write_key"] = to_bytes(k.key.span());
    c.v["client_early_write_iv"] = to_bytes(k.iv.span());
  }
  const Bytes derived_hs =
      to_bytes(derive_secret(c.hash, es.span(), "derived", crypto::Hash::empty(c.hash)).span());
  c.v["derived_secret_for_handshake"] = derived_hs;
  c.v["derived_secret_for_handshake_2"] = derived_hs;  // the client's repeat of the step

  // Handshake Secret.
  const Bytes ecdhe = test::rfc8448_named(sec, "ecdhe_shared_secret");
  c.v["ecdhe_shared_secret"] = ecdhe;  // an input, recorded for the steps
  HandshakeSecret hs = std::move(es).handshake(ecdhe);
  EXPECT_EQ(hs.hash(), c.hash);
  c.v["handshake_secret"] = to_bytes(hs.span());
  const Digest th_sh(c.at("transcript_hash_for_server_handshake_traffic_secret"));
  const TrafficSecret chts = hs.client_handshake_traffic_secret(th_sh);
  const TrafficSecret shts = hs.server_handshake_traffic_secret(th_sh);
  c.v["client_handshake_traffic_secret"] = to_bytes(chts.span());
  c.v["server_handshake_traffic_secret"] = to_bytes(shts.span());
  c.v["derived_secret_for_master"] =
      to_bytes(derive_secret(c.hash, hs.span(), "derived", crypto::Hash::empty(c.hash)).span());

  // Master Secret.
  MasterSecret ms = std::move(hs).master();
  EXPECT_EQ(ms.hash(), c.hash);
  c.v["master_secret"] = to_bytes(ms.span());
  const Digest th_sf(c.at("transcript_hash_for_exporter_master_secret"));
  const Digest th_cf(c.at("transcript_hash_for_resumption_master_secret"));
  const TrafficSecret cats = ms.client_application_traffic_secret_0(th_sf);
  const TrafficSecret sats = ms.server_application_traffic_secret_0(th_sf);
  c.v["client_application_traffic_secret_0"] = to_bytes(cats.span());
  c.v["server_application_traffic_secret_0"] = to_bytes(sats.span());
  c.v["exporter_master_secret"] = to_bytes(ms.exporter_master_secret(th_sf).span());
  const ResumptionMasterSecret rms = ms.resumption_master_secret(th_cf);
  c.v["resumption_master_secret"] = to_bytes(rms.span());
  if (c.v.count("ticket_nonce")) {
    auto p = resumption_psk(rms, c.at("ticket_nonce"));
    ASSERT_TRUE(p.ok());
    c.v["resumption_psk"] = to_bytes(p->span());
  }

  // Traffic keys and IVs.
  auto keys = [&](const char* prefix, const TrafficSecret& secret) {
    const TrafficKeys k = traffic_keys(secret, c.aead);
    c.v[std::string(prefix) + "_write_key"] = to_bytes(k.key.span());
    c.v[std::string(prefix) + "_write_iv"] = to_bytes(k.iv.span());
  };
  keys("client_handshake", chts);
  keys("server_handshake", shts);
  keys("client_application", cats);
  keys("server_application", sats);

  // Finished (base key: the sender's handshake traffic secret).
  auto finished = [&](const std::string& side, const TrafficSecret& base, const Digest& th) {
    c.v[side + "_finished_key"] = to_bytes(finished_key(base).span());
    const Digest vd = finished_verify_data(base, th);
    c.v[side + "_finished_verify_data"] = to_bytes(vd.span());
    c.v[side + "_Finished"] = finished_message(vd);
    const Bytes sent = test::rfc8448_named(sec, side + "_Finished");
    t.check_ok("verify_finished on the " + side + " Finished",
               verify_finished(base, th, std::span(sent).subspan(4)));
  };
  finished("server", shts, c.before_server_finished);
  finished("client", chts, c.before_client_finished);
}

// The named index against the library's values.
void check_named(const std::string& sec, const Computed& c, Tally& t) {
  const json& named = test::rfc8448_section(sec).at("named");
  for (const auto& name : required_named(sec)) {
    EXPECT_TRUE(named.contains(name)) << "RFC 8448 §" << sec << ": vectors lack " << name;
    EXPECT_TRUE(c.v.count(name)) << "RFC 8448 §" << sec << ": test computed no " << name;
  }
  for (const auto& [name, value] : named.items()) {
    if (name == "ecdhe_shared_secret") continue;  // an input (key exchange is tested elsewhere)
    if (auto it = c.v.find(name); it != c.v.end()) {
      t.check(name, test::hex(value.get<std::string>()), it->second);
    } else if (!is_non_keysched_value(name)) {
      ADD_FAILURE() << "RFC 8448 §" << sec << ": named value " << name << " is not checked";
    }
  }
}

// Accessor over one step's values that notices labels nobody looked at.
class StepValues {
 public:
  StepValues(const std::string& sec, const json& step) : sec_(sec), step_(step) {}
  ~StepValues() {
    for (const auto& v : step_.at("values")) {
      const std::string label = v.at("label");
      EXPECT_TRUE(used_.count(label)) << "RFC 8448 §" << sec_ << " step " << step_.at("index")
                                      << ": value '" << label << "' not checked";
    }
  }
  const json& raw(const std::string& label) {
    used_.insert(label);
    for (const auto& v : step_.at("values"))
      if (v.at("label") == label) return v;
    throw std::runtime_error("RFC 8448 §" + sec_ + " step " + step_.at("index").dump() +
                             ": no value '" + label + "'");
  }
  Bytes get(const std::string& label) {
    const json& v = raw(label);
    if (v.at("hex").is_null()) throw std::runtime_error("value '" + label + "' has no hex");
    return test::hex(v.at("hex").get<std::string>());
  }
  std::string where() const {
    return "step " + step_.at("index").dump() + " (" + step_.at("action").get<std::string>() + ")";
  }

 private:
  std::string sec_;
  const json& step_;
  std::set<std::string> used_;
};

// The quoted part of an action: derive secret "tls13 c hs traffic".
std::string quoted(const std::string& action) {
  const auto a = action.find('"');
  const auto b = action.rfind('"');
  if (a == std::string::npos || b <= a) return {};
  return action.substr(a + 1, b - a - 1);
}

Bytes expand_label(HashId h, std::span<const std::uint8_t> secret, const std::string& label,
                   std::span<const std::uint8_t> context, std::size_t len) {
  Bytes out(len);
  EXPECT_TRUE(hkdf_expand_label(h, secret, label, context, out)) << label;
  return out;
}

Bytes label_info(std::size_t len, const std::string& label, std::span<const std::uint8_t> ctx) {
  std::array<std::uint8_t, kMaxHkdfLabelSize> buf{};
  const std::size_t n = encode_hkdf_label(static_cast<std::uint16_t>(len), label, ctx, buf);
  EXPECT_NE(n, 0u) << label;
  return Bytes(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
}

// PRK/hash/info/expanded of one HKDF-Expand-Label step, from the step's own
// inputs, and against the secret the library derived for the same purpose.
void check_expand_step(StepValues& sv, const Computed& c, Tally& t, const std::string& label,
                       const std::string& parent, const Bytes& context, const std::string& result) {
  const std::string w = sv.where();
  const Bytes prk = sv.get("PRK");
  const Bytes ctx = sv.get("hash");
  const Bytes expanded = sv.get("expanded");
  t.check(w + " PRK", prk, c.at(parent));
  t.check(w + " hash", ctx, context);
  t.check(w + " info", sv.get("info"), label_info(expanded.size(), label, ctx));
  t.check(w + " expanded", expanded, expand_label(c.hash, prk, label, ctx, expanded.size()));
  t.check(w + " expanded vs library", expanded, c.at(result));
}

void check_steps(const std::string& sec, const Computed& c, Tally& t) {
  const std::size_t hl = crypto::hash_length(c.hash);
  const Bytes zeros(hl, 0);
  const Digest empty_hash = crypto::Hash::empty(c.hash);
  const Bytes empty = to_bytes(empty_hash.span());
  int replayed = 0;

  // derive secret "tls13 <label>": parent secret, context, library result.
  const std::map<std::string, std::array<std::string, 3>> derive_table = {
      {"c e traffic",
       {"early_secret", "transcript_hash_for_client_early_traffic_secret",
        "client_early_traffic_secret"}},
      {"e exp master",
       {"early_secret", "transcript_hash_for_early_exporter_master_secret",
        "early_exporter_master_secret"}},
      {"c hs traffic",
       {"handshake_secret", "transcript_hash_for_client_handshake_traffic_secret",
        "client_handshake_traffic_secret"}},
      {"s hs traffic",
       {"handshake_secret", "transcript_hash_for_server_handshake_traffic_secret",
        "server_handshake_traffic_secret"}},
      {"c ap traffic",
       {"master_secret", "transcript_hash_for_client_application_traffic_secret_0",
        "client_application_traffic_secret_0"}},
      {"s ap traffic",
       {"master_secret", "transcript_hash_for_server_application_traffic_secret_0",
        "server_application_traffic_secret_0"}},
      {"exp master",
       {"master_secret", "transcript_hash_for_exporter_master_secret", "exporter_master_secret"}},
      {"res master",
       {"master_secret", "transcript_hash_for_resumption_master_secret",
        "resumption_master_secret"}},
  };

  for (const auto& step : test::rfc8448_section(sec).at("steps")) {
    const std::string action = step.at("action");
    const std::string party = step.at("party");
    const std::string peer = party == "client" ? "server" : "client";
    if (step.contains("same_as")) {
      // The RFC prints nothing for these ("same as server ...").
      EXPECT_TRUE(!step.contains("values") || step.at("values").empty()) << action;
      continue;
    }
    if (action.rfind("construct ", 0) == 0 || action.rfind("send ", 0) == 0 ||
        action.rfind("create ", 0) == 0)
      continue;  // messages, records, key pairs: not the key schedule
    StepValues sv(sec, step);
    const std::string w = sv.where();
    ++replayed;

    if (action.rfind("extract secret ", 0) == 0) {
      const std::string stage = quoted(action);
      const Bytes ikm = sv.get("IKM");
      const json& salt_v = sv.raw("salt");
      Bytes salt;
      if (salt_v.at("hex").is_null()) {
        // "0 (all zero octets)": HKDF's empty salt, Hash.length zeros.
        EXPECT_EQ(salt_v.value("text", ""), "0 (all zero octets)") << w;
        salt = zeros;
      } else {
        salt = test::hex(salt_v.at("hex").get<std::string>());
      }
      const Bytes secret = sv.get("secret");
      t.check(w + " secret", secret, crypto::hkdf_extract(c.hash, salt, ikm).span());
      if (stage == "early") {
        t.check(w + " salt", salt, zeros);
        t.check(w + " IKM", ikm, c.at("early_secret_ikm"));
        t.check(w + " vs library", secret, c.at("early_secret"));
      } else if (stage == "handshake") {
        t.check(w + " salt", salt, c.at("derived_secret_for_handshake"));
        t.check(w + " IKM", ikm, c.at("ecdhe_shared_secret"));
        t.check(w + " vs library", secret, c.at("handshake_secret"));
      } else if (stage == "master") {
        t.check(w + " salt", salt, c.at("derived_secret_for_master"));
        t.check(w + " IKM", ikm, zeros);
        t.check(w + " vs library", secret, c.at("master_secret"));
      } else {
        ADD_FAILURE() << "RFC 8448 §" << sec << ": unknown extract step " << w;
      }
    } else if (action.rfind("derive secret for handshake ", 0) == 0) {
      EXPECT_EQ(quoted(action), "tls13 derived");
      check_expand_step(sv, c, t, "derived", "early_secret", empty, "derived_secret_for_handshake");
    } else if (action.rfind("derive secret for master ", 0) == 0) {
      EXPECT_EQ(quoted(action), "tls13 derived");
      check_expand_step(sv, c, t, "derived", "handshake_secret", empty,
                        "derived_secret_for_master");
    } else if (action.rfind("derive secret ", 0) == 0) {
      const std::string full = quoted(action);
      ASSERT_EQ(full.rfind("tls13 ", 0), 0u) << w;
      const std::string label = full.substr(6);
      auto it = derive_table.find(label);
      if (it == derive_table.end()) {
        ADD_FAILURE() << "RFC 8448 §" << sec << ": unknown derive step " << w;
        continue;
      }
      const auto& [parent, context, result] = it->second;
      check_expand_step(sv, c, t, label, parent, c.at(context), result);
    } else if (action.rfind("generate resumption secret ", 0) == 0) {
      EXPECT_EQ(quoted(action), "tls13 resumption");
      check_expand_step(sv, c, t, "resumption", "resumption_master_secret", c.at("ticket_nonce"),
                        "resumption_psk");
    } else if (action.rfind("calculate finished ", 0) == 0) {
      EXPECT_EQ(quoted(action), "tls13 finished");
      // Which Finished: the base key is one side's handshake traffic secret.
      const Bytes prk = sv.get("PRK");
      std::string side;
      for (const char* s : {"client", "server"})
        if (prk == c.at(std::string(s) + "_handshake_traffic_secret")) side = s;
      ASSERT_FALSE(side.empty()) << w << ": PRK is no handshake traffic secret";
      check_expand_step(sv, c, t, "finished", side + "_handshake_traffic_secret", {},
                        side + "_finished_key");
      const Digest& th = side == "server" ? c.before_server_finished : c.before_client_finished;
      const TrafficSecret base(c.hash, prk);
      t.check(w + " finished", sv.get("finished"), finished_verify_data(base, th).span());
      t.check(w + " finished = HMAC(expanded, hash)", sv.get("finished"),
              crypto::hmac(c.hash, sv.get("expanded"), th.span()).span());
    } else if (action == "calculate PSK binder") {
      t.check(w + " ClientHello prefix", sv.get("ClientHello prefix"),
              c.at("psk_binder_truncated_client_hello"));
      const Bytes bh = sv.get("binder hash");
      t.check(w + " binder hash", bh, c.at("psk_binder_transcript_hash"));
      check_expand_step(sv, c, t, "finished", "psk_binder_key", {}, "psk_binder_finished_key");
      const BinderKey bk(c.hash, sv.get("PRK"));
      t.check(w + " finished key", sv.get("expanded"), finished_key(bk).span());
      t.check(w + " binder", sv.get("finished"), psk_binder(bk, Digest(bh)).span());
      t.check(w + " binder vs library", sv.get("finished"), c.at("psk_binder"));
    } else if (action.rfind("derive ", 0) == 0 &&
               action.find(" traffic keys for ") != std::string::npos) {
      // derive {read|write} traffic keys for {early application|handshake|application} data
      const bool write = action.rfind("derive write ", 0) == 0;
      EXPECT_TRUE(write || action.rfind("derive read ", 0) == 0) << w;
      const std::string sender = write ? party : peer;
      std::string secret_name, keys_prefix;
      if (action.find("for early application data") != std::string::npos) {
        EXPECT_EQ(sender, "client") << w;
        secret_name = "client_early_traffic_secret";
        keys_prefix = "client_early";
      } else if (action.find("for handshake data") != std::string::npos) {
        secret_name = sender + "_handshake_traffic_secret";
        keys_prefix = sender + "_handshake";
      } else if (action.find("for application data") != std::string::npos) {
        secret_name = sender + "_application_traffic_secret_0";
        keys_prefix = sender + "_application";
      } else {
        ADD_FAILURE() << "RFC 8448 §" << sec << ": unknown traffic key step " << w;
        continue;
      }
      const Bytes prk = sv.get("PRK");
      t.check(w + " PRK", prk, c.at(secret_name));
      const TrafficKeys k = traffic_keys(TrafficSecret(c.hash, prk), c.aead);
      for (const auto& [what, lib] :
           {std::pair<std::string, std::span<const std::uint8_t>>{"key", k.key.span()},
            {"iv", k.iv.span()}}) {
        const Bytes expanded = sv.get(what + " expanded");
        t.check(w + " " + what + " info", sv.get(what + " info"),
                label_info(expanded.size(), what, {}));
        t.check(w + " " + what + " expanded", expanded,
                expand_label(c.hash, prk, what, {}, expanded.size()));
        t.check(w + " " + what + " traffic_keys()", expanded, lib);
        t.check(w + " " + what + " vs library", expanded, c.at(keys_prefix + "_write_" + what));
      }
    } else {
      ADD_FAILURE() << "RFC 8448 §" << sec << ": unhandled step " << w;
    }
  }
  EXPECT_GT(replayed, 10) << "RFC 8448 §" << sec << ": too few key schedule steps";
}

void run_section(const std::string& sec) {
  Tally t(sec);
  Computed c;
  compute_section(sec, t, c);
  if (::testing::Test::HasFatalFailure()) return;
  check_named(sec, c, t);
  check_steps(sec, c, t);
  t.report();
}

// Runs under rfc8448_common: the vectors hold every section tested above.
TEST(Rfc8448KeySchedule, VectorsCoverSections3To7) {
  for (const char* sec : {"3", "4", "5", "6", "7"}) {
    const json& s = test::rfc8448_section(sec);
    EXPECT_FALSE(s.at("steps").empty()) << sec;
    EXPECT_FALSE(s.at("handshake_messages").empty()) << sec;
  }
}

TEST(Rfc8448KeySchedule, Section3_OneRtt) {
  run_section("3");
}
TEST(Rfc8448KeySchedule, Section4_ResumedZeroRtt) {
  run_section("4");
}
TEST(Rfc8448KeySchedule, Section5_HelloRetryRequest) {
  run_section("5");
}
TEST(Rfc8448KeySchedule, Section6_ClientAuthentication) {
  run_section("6");
}
TEST(Rfc8448KeySchedule, Section7_CompatibilityMode) {
  run_section("7");
}

}  // namespace
}  // namespace tls13::ks
