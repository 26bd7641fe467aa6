// Summary sentence shared by the text, Markdown and LaTeX reports (so they never count differently).
#include "report/summary_text.hpp"

namespace nncert::report {

namespace {

std::string plural(long long n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

}  // namespace

std::string summary_sentence(const Json& sum) {
    return plural(sum.at("claims").as_integer(), "claim") + ": " + std::to_string(sum.at("certified").as_integer()) +
           " certified, " + std::to_string(sum.at("refuted").as_integer()) + " refuted, " +
           std::to_string(sum.at("inconclusive").as_integer()) + " inconclusive; " +
           plural(sum.at("errors").as_integer(), "error");
}

}  // namespace nncert::report
