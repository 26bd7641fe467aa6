// Verdicts. Only the kernel can construct one (the constructor is private; its single friend,
// detail::Mint, is defined in src/kernel/ only), so a CERTIFIED line always comes from a kernel check.
#pragma once

#include "kernel/value.hpp"

#include <string>

namespace nncert::kernel {

enum class Outcome { certified, refuted, inconclusive };
std::string to_string(Outcome o);

namespace detail { struct Mint; }

class Verdict {
public:
    Outcome outcome() const { return outcome_; }
    // The certificate method ("exact-ldlt", "exact-gradient", ...).
    const std::string& method() const { return method_; }
    // Certified: a summary of the certificate. Refuted: the witness. Inconclusive: what was learnt.
    const Value& evidence() const { return evidence_; }
    // Inconclusive: why, and what would help. Empty otherwise.
    const std::string& reason() const { return reason_; }
    // The arithmetic that decided: "exact" (GMP rationals), "mpfi" (MPFR/MPFI intervals) or "ball" (rigorous
    // binary64 midpoint-radius with BLAS, src/kernel/ball/).
    const std::string& engine() const { return engine_; }

private:
    friend struct detail::Mint;
    Verdict(Outcome o, std::string method, Value evidence, std::string reason)
        : outcome_(o), method_(std::move(method)), evidence_(std::move(evidence)), reason_(std::move(reason)) {}

    Outcome outcome_;
    std::string method_;
    Value evidence_;
    std::string reason_;
    std::string engine_;
};

}  // namespace nncert::kernel
