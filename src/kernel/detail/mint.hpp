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
    // The same verdict, naming the engine that decided it (kept when already named).
    static Verdict with_engine(Verdict v, const std::string& engine) {
        if (v.engine_.empty()) v.engine_ = engine;
        return v;
    }
    // `not C`: certified exactly when C is refuted, refuted exactly when C is certified.
    static Verdict negate(const Verdict& v) {
        const std::string method = "not " + v.method();
        Verdict out = inconclusive(method, v.reason(), v.evidence());
        switch (v.outcome()) {
            case Outcome::certified:
                out = refuted(method, Object{{"claim_certified", v.evidence()}});
                break;
            case Outcome::refuted:
                out = certified(method, Object{{"claim_refuted", v.evidence()}});
                break;
            case Outcome::inconclusive:
                break;
        }
        return with_engine(out, v.engine());
    }
};

}  // namespace nncert::kernel::detail
