// The memo of certified Hessian covers: a small list searched linearly (a check run holds a handful of regions),
// compared exactly field by field.
#include "kernel/interval/cover_memo.hpp"

#include <deque>
#include <mutex>

namespace nncert::kernel::detail {

namespace {

struct Entry {
    std::string problem;
    Box box;
    unsigned bits = 0;
    std::size_t budget = 0;
    CoverFact fact;
};

constexpr std::size_t max_entries = 64;

std::mutex& memo_mutex() {
    static std::mutex m;
    return m;
}

std::deque<Entry>& memo() {
    static std::deque<Entry> entries;
    return entries;
}

bool same_box(const Box& a, const Box& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k)
        if (a[k].lo != b[k].lo || a[k].hi != b[k].hi) return false;
    return true;
}

void add(std::string& key, const Rational& q) {
    key += to_string(q);
    key += ',';
}

}  // namespace

std::string problem_key(const Problem& pb) {
    std::string key = "in " + std::to_string(pb.net.input_dim) + ";";
    for (const Layer& l : pb.net.layers) {
        key += "layer " + std::to_string(l.width) + " " + std::to_string(static_cast<int>(l.activation.kind)) +
               (l.bias ? " bias " : " nobias ");
        add(key, l.activation.alpha);
        key += "coeffs ";
        for (const Rational& c : l.activation.coeffs) add(key, c);
        key += ";";
    }
    key += "loss " + std::to_string(static_cast<int>(pb.loss)) + " decay ";
    add(key, pb.weight_decay);
    key += "classify ";
    if (pb.classify) add(key, pb.classify->threshold);
    key += "data " + std::to_string(pb.data.size()) + ";";
    for (const Sample& s : pb.data) {
        for (const Rational& x : s.x) add(key, x);
        key += ">";
        for (const Rational& y : s.y) add(key, y);
        key += "*";
        add(key, s.weight);
        key += ";";
    }
    return key;
}

std::optional<CoverFact> recall_cover(const std::string& problem, const Box& r, unsigned bits, std::size_t budget,
                                      const Rational& floor) {
    const std::lock_guard<std::mutex> lock(memo_mutex());
    const Entry* best = nullptr;
    for (const Entry& e : memo()) {
        if (e.bits != bits || e.budget != budget || !same_box(e.box, r) || e.problem != problem) continue;
        if (e.fact.proven) {
            if (e.fact.lambda >= floor && (!best || !best->fact.proven || e.fact.lambda > best->fact.lambda)) best = &e;
        } else if (e.fact.floor <= floor && !best) {
            best = &e;
        }
    }
    if (!best) return std::nullopt;
    return best->fact;
}

void record_cover(const std::string& problem, const Box& r, unsigned bits, std::size_t budget, const CoverFact& fact) {
    const std::lock_guard<std::mutex> lock(memo_mutex());
    memo().push_back(Entry{problem, r, bits, budget, fact});
    if (memo().size() > max_entries) memo().pop_front();
}

}  // namespace nncert::kernel::detail
