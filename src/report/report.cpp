// Report document assembly: verdicts and values to JSON, and the summary counts and exit code.
// Everything exact is written as text here; no number passes through a float on the way out.
#include "report/report.hpp"

#include "util/unicode.hpp"

#include "report/approx.hpp"
#include "util/sha256.hpp"

#include <type_traits>
#include <variant>

namespace nncert::report {

Json to_json(const kernel::Rational& q) { return Json(kernel::to_string(q)); }

Json to_json(const kernel::Value& v) {
    return std::visit(
        [](const auto& x) -> Json {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                return Json();
            } else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, long long> ||
                                 std::is_same_v<T, std::string>) {
                return Json(x);
            } else if constexpr (std::is_same_v<T, kernel::Rational>) {
                return to_json(x);
            } else if constexpr (std::is_same_v<T, kernel::List>) {
                Json::Array a;
                a.reserve(x.size());
                for (const auto& item : x) a.push_back(to_json(item));
                return Json(std::move(a));
            } else {
                static_assert(std::is_same_v<T, kernel::Object>);
                Json::Object o;
                o.reserve(x.size());
                for (const auto& [k, item] : x) o.emplace_back(k, to_json(item));
                return Json(std::move(o));
            }
        },
        v.data);
}

std::string outcome_name(kernel::Outcome o) {
    switch (o) {
        case kernel::Outcome::certified: return "certified";
        case kernel::Outcome::refuted: return "refuted";
        case kernel::Outcome::inconclusive: return "inconclusive";
    }
    return "unknown";
}

namespace {

bool is_empty(const Json& j) {
    return j.is_null() || (j.is_object() && j.as_object().empty()) || (j.is_array() && j.as_array().empty());
}

ExitCode exit_code_of_verdict(const std::string& name) {
    if (name == "certified") return ExitCode::certified;
    if (name == "refuted") return ExitCode::refuted;
    if (name == "inconclusive") return ExitCode::inconclusive;
    return ExitCode::internal;  // a document we did not write
}

}  // namespace

Json stopped_claim_json(std::string_view text, std::size_t line, std::string_view limit, std::string_view reason) {
    Json c;
    c.set("claim", text);
    c.set("line", line);
    c.set("verdict", "inconclusive");
    c.set("method", "limit");
    c.set("reason", reason);
    c.set("evidence", Json(Json::Object{{"limit", Json(limit)}}));
    return c;
}

Json claim_json(std::string_view text, std::size_t line, const kernel::Verdict& verdict) {
    Json c;
    c.set("claim", text);
    c.set("line", line);
    c.set("verdict", outcome_name(verdict.outcome()));
    c.set("method", verdict.method());
    if (!verdict.engine().empty()) c.set("engine", verdict.engine());
    Json evidence = to_json(verdict.evidence());
    switch (verdict.outcome()) {
        case kernel::Outcome::certified:
            c.set("certificate", is_empty(evidence) ? Json(Json::Object{}) : std::move(evidence));
            break;
        case kernel::Outcome::refuted:
            c.set("witness", is_empty(evidence) ? Json(Json::Object{}) : std::move(evidence));
            break;
        case kernel::Outcome::inconclusive:
            c.set("reason", verdict.reason());
            if (!is_empty(evidence)) c.set("evidence", std::move(evidence));
            break;
    }
    // Decimal approximations of the exact numbers above (display only), in the same shape.
    if (Json a = approx_json(verdict.evidence()); !a.is_null()) c.set("approx", std::move(a));
    return c;
}

namespace {

// A file name as JSON: "file" holds the name (JSON strings are UTF-8, so report::quote writes a byte that is
// not valid UTF-8 as U+FFFD, and two names differing only there would print alike); for such a name
// "file_bytes" also holds every byte of it in lower-case hex, so the JSON report names each file exactly
// (issue 8, review 3: names with invalid UTF-8 collided through U+FFFD).
void set_file_name(Json& j, std::string_view name) {
    j.set("file", name);
    for (std::size_t i = 0; i < name.size();) {
        char32_t cp = 0;
        const std::size_t n = util::decode_utf8(name, i, cp);
        if (n == 0) {
            static constexpr char hex[] = "0123456789abcdef";
            std::string bytes;
            for (unsigned char c : name) {
                bytes += hex[c >> 4];
                bytes += hex[c & 0xf];
            }
            j.set("file_bytes", bytes);
            return;
        }
        i += n;
    }
}

}  // namespace

Json script_json(std::string_view file, std::string_view sha256, Json::Array claims,
                 const std::vector<FileDigest>& data_files) {
    Json s;
    set_file_name(s, file);
    s.set("sha256", sha256);
    std::vector<std::string> digests{std::string(sha256)};
    if (!data_files.empty()) {
        Json::Array list;
        for (const FileDigest& d : data_files) {
            Json f;
            set_file_name(f, d.file);
            f.set("sha256", d.sha256);
            if (d.header) f.set("header", *d.header);
            list.push_back(std::move(f));
            digests.push_back(d.sha256);
        }
        s.set("data_files", std::move(list));
    }
    s.set("inputs_sha256", util::combined_sha256(digests));
    s.set("claims", std::move(claims));
    return s;
}

Json error_script_json(std::string_view file, const std::optional<std::string>& sha256, const ErrorInfo& error) {
    Json s;
    set_file_name(s, file);
    if (sha256) s.set("sha256", *sha256);
    Json e;
    e.set("code", error.code);
    e.set("line", error.line);
    e.set("column", error.column);
    e.set("message", error.message);
    if (!error.file.empty() && error.file != file) set_file_name(e, error.file);
    s.set("error", std::move(e));
    return s;
}

ExitCode exit_code_of_script(const Json& script) {
    if (const Json* e = script.find("error"))
        return e->at("code").as_string() == internal_error_code ? ExitCode::internal : ExitCode::malformed;
    ExitCode code = ExitCode::certified;
    for (const Json& c : script.at("claims").as_array())
        code = worst(code, exit_code_of_verdict(c.at("verdict").as_string()));
    return code;
}

Json slim_script(const Json& script) {
    Json::Object out;
    for (const auto& [key, value] : script.as_object()) {
        if (key != "claims") {
            out.emplace_back(key, value);
            continue;
        }
        Json::Array claims;
        for (const Json& c : value.as_array()) {
            Json::Object kept;
            for (const auto& [k, v] : c.as_object())
                if (k == "line" || k == "claim" || k == "verdict" || k == "method" || k == "reason" || k == "next" ||
                    k == "time_us")
                    kept.emplace_back(k, v);
            claims.emplace_back(std::move(kept));
        }
        out.emplace_back(key, Json(std::move(claims)));
    }
    return Json(std::move(out));
}

Json document(std::string_view version, Json::Array scripts, Json options) {
    long long claims = 0, certified = 0, refuted = 0, inconclusive = 0, errors = 0;
    ExitCode code = ExitCode::certified;
    for (const Json& s : scripts) {
        code = worst(code, exit_code_of_script(s));
        if (s.find("error")) {
            ++errors;
            continue;
        }
        for (const Json& c : s.at("claims").as_array()) {
            ++claims;
            const std::string& v = c.at("verdict").as_string();
            if (v == "certified") ++certified;
            else if (v == "refuted") ++refuted;
            else ++inconclusive;
        }
    }
    Json summary;
    summary.set("scripts", scripts.size());
    summary.set("claims", claims);
    summary.set("certified", certified);
    summary.set("refuted", refuted);
    summary.set("inconclusive", inconclusive);
    summary.set("errors", errors);
    summary.set("exit_code", to_int(code));

    Json doc;
    doc.set("nncert", version);
    doc.set("format", format_version);
    if (!options.is_null()) doc.set("options", std::move(options));
    doc.set("scripts", std::move(scripts));
    doc.set("summary", std::move(summary));
    return doc;
}

ExitCode exit_code_of_document(const Json& doc) {
    long long n = doc.at("summary").at("exit_code").as_integer();
    if (n < 0 || n > 5) return ExitCode::internal;
    return static_cast<ExitCode>(n);
}

}  // namespace nncert::report
