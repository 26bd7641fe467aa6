// The only way to construct a Verdict. Kernel-internal: nothing outside src/kernel/ includes this file.
#pragma once

#include "kernel/verdict.hpp"

namespace nncert::kernel::detail {

struct Mint {
    static Verdict certified(std::string method, Value certificate) {
        return Verdict(Outcome::certified, std::move(method), std::move(certificate), "");
    }
    static Verdict refuted(std::string method, Value witness) {
        return Verdict(Outcome::refuted, std::move(method), std::move(witness), "");
    }
    static Verdict inconclusive(std::string method, std::string reason, Value evidence = {}) {
        return Verdict(Outcome::inconclusive, std::move(method), std::move(evidence), std::move(reason));
    }
    // `not C`: certified exactly when C is refuted, refuted exactly when C is certified.
    static Verdict negate(const Verdict& v) {
        const std::string method = "not " + v.method();
        switch (v.outcome()) {
            case Outcome::certified:
                return refuted(method, Object{{"claim_certified", v.evidence()}});
            case Outcome::refuted:
                return certified(method, Object{{"claim_refuted", v.evidence()}});
            case Outcome::inconclusive:
                break;
        }
        return inconclusive(method, v.reason(), v.evidence());
    }
};

}  // namespace nncert::kernel::detail
