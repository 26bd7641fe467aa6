// Spelling of paths for reports and for scripts written to another folder (util/paths.hpp).
#include "util/paths.hpp"

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include <sys/stat.h>

namespace nncert::util {

namespace fs = std::filesystem;

std::string shown_path(const std::string& typed) {
    const fs::path t(typed);
    const bool dot_dot = std::any_of(t.begin(), t.end(), [](const fs::path& c) { return c == ".."; });
    return dot_dot ? resolve_dot_dot(t).string() : typed;
}

fs::path resolve_dot_dot(const fs::path& p) {
    fs::path root = p.root_path();
    std::vector<fs::path> parts;
    const fs::path relative = p.relative_path();  // one object: begin() and end() must iterate the same path
    std::deque<fs::path> todo(relative.begin(), relative.end());
    auto joined = [&] {
        fs::path out = root;
        for (const fs::path& c : parts) out /= c;
        return out;
    };
    int hops = 0;
    while (!todo.empty()) {
        const fs::path c = todo.front();
        todo.pop_front();
        if (c.empty() || c == ".") continue;
        if (c != "..") {
            parts.push_back(c);
            continue;
        }
        if (parts.empty() && !root.empty()) continue;  // `/..` is `/`
        if (parts.empty() || parts.back() == "..") {
            parts.push_back(c);
            continue;
        }
        struct stat st {};
        const fs::path prefix = joined();
        const bool exists = ::lstat(prefix.c_str(), &st) == 0;
        if (!exists || !(S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode))) {
            // `X/..` with X missing or not a folder fails to open (ENOENT, ENOTDIR): kept, so it still fails.
            parts.push_back(c);
            continue;
        }
        if (S_ISLNK(st.st_mode)) {
            std::error_code ec;
            const fs::path target = fs::read_symlink(prefix, ec);
            if (ec || ++hops > 40) return p;
            // The link is replaced by its target, then the `..` applies to that.
            parts.pop_back();
            todo.push_front(c);
            if (target.is_absolute()) {
                root = target.root_path();
                parts.clear();
            }
            const fs::path rel = target.relative_path();
            std::vector<fs::path> pieces(rel.begin(), rel.end());
            for (auto it = pieces.rbegin(); it != pieces.rend(); ++it) todo.push_front(*it);
            continue;
        }
        parts.pop_back();
    }
    fs::path out = joined();
    return out.empty() ? fs::path(".") : out;
}

std::vector<fs::path> link_chain(const fs::path& p) {
    std::vector<fs::path> chain{p};
    // Linux follows at most 40 links in one open(): the loop looks at the path after the 40th hop too (a chain of
    // exactly 40 links opens), and gives up only when that one is a link again.
    for (int hops = 0; hops <= 40; ++hops) {
        const fs::path at = chain.back();
        struct stat st {};
        if (::lstat(at.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return chain;
        if (hops == 40) break;
        std::error_code ec;
        const fs::path target = fs::read_symlink(at, ec);
        if (ec) break;
        chain.push_back(target.is_absolute() ? target : at.parent_path() / target);
    }
    return {};
}

fs::path written_path(const fs::path& p) {
    const std::vector<fs::path> chain = link_chain(p);
    return chain.empty() ? p : chain.back();
}

fs::path path_from(const fs::path& dir, const fs::path& target) {
    std::error_code ec;
    auto canonical_folder = [&](const fs::path& d) {
        const fs::path a = fs::absolute(d.empty() ? fs::path(".") : d, ec);
        const fs::path c = fs::weakly_canonical(a, ec);
        return ec ? a.lexically_normal() : c;
    };
    const fs::path from = canonical_folder(dir);
    const fs::path to = canonical_folder(target.parent_path()) / target.filename();
    if (from.root_path() != to.root_path()) return to;
    const fs::path rel = to.lexically_relative(from);
    return rel.empty() ? to : rel;
}

}  // namespace nncert::util
