// kink_keeping_directions (hints/kink_directions.hpp): one exact linear system per rising data point, solved by
// the kernel's reduced row echelon form; a particular solution (free coordinates 0). Untrusted.
#include "hints/kink_directions.hpp"

#include "kernel/linear_algebra.hpp"

#include <algorithm>

namespace nncert::hints {

std::vector<Vector> kink_keeping_directions(const std::vector<Vector>& features, const std::vector<bool>& on_kink,
                                            const std::vector<bool>& rise, std::size_t max_directions,
                                            std::size_t max_constraints) {
    std::vector<Vector> found;
    if (features.empty()) return found;
    const std::size_t n = features.front().size();
    const std::size_t kinked = static_cast<std::size_t>(std::count(on_kink.begin(), on_kink.end(), true));
    if (n == 0 || kinked > max_constraints) return found;
    for (std::size_t j = 0; j < features.size() && found.size() < max_directions; ++j) {
        if (!rise[j]) continue;
        // Rows (features | right-hand side): j's pre-activation moves by 1, every other kinked one stays at 0.
        kernel::Matrix m;
        m.push_back(features[j]);
        m.back().push_back(1);
        for (std::size_t i = 0; i < features.size(); ++i) {
            if (!on_kink[i] || features[i] == features[j]) continue;
            m.push_back(features[i]);
            m.back().push_back(0);
        }
        const std::vector<std::size_t> pivots = kernel::rref(m);
        if (!pivots.empty() && pivots.back() == n) continue;  // a pivot in the right-hand side: inconsistent
        Vector d(n);
        for (std::size_t r = 0; r < pivots.size(); ++r) d[pivots[r]] = m[r][n];
        if (std::find(found.begin(), found.end(), d) == found.end()) found.push_back(std::move(d));
    }
    return found;
}

}  // namespace nncert::hints
