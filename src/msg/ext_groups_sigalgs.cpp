#include "msg/ext_groups_sigalgs.h"

#include <algorithm>
#include <string>

#include "msg/codec_util.h"

namespace tls13::msg {

bool NamedGroupList::contains(NamedGroup g) const noexcept {
  return std::ranges::find(named_group_list, g) != named_group_list.end();
}

Result<NamedGroupList> NamedGroupList::decode(wire::Bytes body) {
  wire::Reader r(body);
  NamedGroupList out;
  if (!detail::read_u16_list(r, 2, 2, 0xffff, out.named_group_list) || !r.empty()) {
    return detail::decode_error("supported_groups: malformed named_group_list");
  }
  return out;
}

void NamedGroupList::encode(wire::Writer& w) const {
  detail::write_u16_list(w, 2, named_group_list);
}

template <ExtensionType E>
bool SignatureSchemeListT<E>::contains(SignatureScheme s) const noexcept {
  return std::ranges::find(supported_signature_algorithms, s) !=
         supported_signature_algorithms.end();
}

template <ExtensionType E>
Result<SignatureSchemeListT<E>> SignatureSchemeListT<E>::decode(wire::Bytes body) {
  wire::Reader r(body);
  SignatureSchemeListT out;
  if (!detail::read_u16_list(r, 2, 2, 0xfffe, out.supported_signature_algorithms) || !r.empty()) {
    return detail::decode_error(std::string(to_string(E)) + ": malformed list");
  }
  return out;
}

template <ExtensionType E>
void SignatureSchemeListT<E>::encode(wire::Writer& w) const {
  detail::write_u16_list(w, 2, supported_signature_algorithms);
}

template struct SignatureSchemeListT<ExtensionType::signature_algorithms>;
template struct SignatureSchemeListT<ExtensionType::signature_algorithms_cert>;

}  // namespace tls13::msg
