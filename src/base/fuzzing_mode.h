// The deterministic fuzzing mode: UNSAFE, for the fuzz build only.
//
// CMake -DTLS13_FUZZ_DETERMINISTIC=ON (accepted only with -DTLS13_FUZZ=ON)
// defines TLS13_UNSAFE_FUZZING_MODE. Then
//   - AEAD (records and tickets) is a pass-through: sealing leaves the
//     plaintext as it is and writes an all-zero tag; opening accepts exactly
//     that tag (any other is bad_record_mac);
//   - Finished and PSK binder checks accept any value of the right length;
//   - CertificateVerify signatures are not checked (the scheme must still
//     fit the key).
// With the randomness a harness injects (RandomSource), a fuzzer can then
// forge a peer's encrypted flight and reach the states after Finished
// (tickets, KeyUpdate, application data, close).
//
// A normal build never has it: CMake refuses the option without the fuzz
// build, this header refuses the macro outside a sanitizer build, and the
// test suite checks unsafe_fuzzing_mode() is false (secret_hygiene_test).
#pragma once

#if defined(TLS13_UNSAFE_FUZZING_MODE)
#if !defined(__clang__)
#error "TLS13_UNSAFE_FUZZING_MODE is only for the clang fuzz build (-DTLS13_FUZZ=ON)"
#elif !__has_feature(address_sanitizer)
#error "TLS13_UNSAFE_FUZZING_MODE is only for the instrumented fuzz build (-DTLS13_FUZZ=ON)"
#endif
#endif

namespace tls13 {

#if defined(TLS13_UNSAFE_FUZZING_MODE)
inline constexpr bool kUnsafeFuzzingMode = true;
#else
inline constexpr bool kUnsafeFuzzingMode = false;
#endif

// Whether the library was compiled in the deterministic fuzzing mode (so a
// test can ask the compiled library, not its own compile flags).
bool unsafe_fuzzing_mode() noexcept;

}  // namespace tls13
