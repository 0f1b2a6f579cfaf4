// supported_groups (RFC 8446 §4.2.7), signature_algorithms and
// signature_algorithms_cert (§4.2.3).
#pragma once

#include <vector>

#include "base/result.h"
#include "msg/extension.h"
#include "tls13/types.h"
#include "wire/writer.h"

namespace tls13::msg {

// NamedGroupList: NamedGroup named_group_list<2..2^16-1> (even length).
// Unknown and GREASE groups are kept.
struct NamedGroupList {
  static constexpr ExtensionType kType = ExtensionType::supported_groups;
  std::vector<NamedGroup> named_group_list;

  bool contains(NamedGroup g) const noexcept;

  static Result<NamedGroupList> decode(wire::Bytes body);
  void encode(wire::Writer& w) const;
};

// SignatureSchemeList: SignatureScheme supported_signature_algorithms<2..2^16-2>.
// One codec for both extensions; the type is a template parameter so that
// ExtensionList::get/add know which one.
template <ExtensionType E>
struct SignatureSchemeListT {
  static constexpr ExtensionType kType = E;
  std::vector<SignatureScheme> supported_signature_algorithms;

  bool contains(SignatureScheme s) const noexcept;

  static Result<SignatureSchemeListT> decode(wire::Bytes body);
  void encode(wire::Writer& w) const;
};

using SignatureSchemeList = SignatureSchemeListT<ExtensionType::signature_algorithms>;
using SignatureSchemeListCert = SignatureSchemeListT<ExtensionType::signature_algorithms_cert>;

extern template struct SignatureSchemeListT<ExtensionType::signature_algorithms>;
extern template struct SignatureSchemeListT<ExtensionType::signature_algorithms_cert>;

}  // namespace tls13::msg
