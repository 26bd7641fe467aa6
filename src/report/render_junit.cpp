// JUnit XML rendering (see render_junit.hpp); every text goes through xml_text, so no file name or
// message can break the XML.
#include "report/render_junit.hpp"

#include "report/key_numbers.hpp"
#include "report/markup_escape.hpp"
#include "report/render_text.hpp"

#include <string_view>

namespace nncert::report {

namespace {

long long time_us(const Json& entry) {
    const Json* t = entry.find("time_us");
    return t && t->is_integer() ? t->as_integer() : 0;
}

// Exact seconds with six decimals ("0.000042"): plain xs:decimal, as the JUnit schemas want for `time`.
std::string seconds(long long us) {
    if (us < 0) us = 0;
    std::string frac = std::to_string(us % 1000000);
    return std::to_string(us / 1000000) + "." + std::string(6 - frac.size(), '0') + frac;
}

// "proofs/paper/example1.nnc" -> "proofs.paper.example1": the class name CI tools group test cases by
// (folders become dot-separated packages). Different file names give different class names, so no two
// scripts' test cases merge in a CI view (x/y.nnc and x.y.nnc, x and x.nnc): a '.' inside a name, a '%'
// and a '\\' are written %2E, %25, %5C, and a name not ending in .nnc gets a trailing '%' (which no escape
// produces). Only leading "./" (and the slashes after it) are dropped: they name the same file.
std::string class_name(const std::string& file) {
    std::string_view s = file;
    while (s.starts_with("./")) {
        s.remove_prefix(2);
        while (s.starts_with("/")) s.remove_prefix(1);
    }
    const bool script = s.size() > 4 && s.ends_with(".nnc");
    if (script) s.remove_suffix(4);
    std::string out;
    for (char c : s) {
        if (c == '/') out += '.';
        else if (c == '.') out += "%2E";
        else if (c == '%') out += "%25";
        else if (c == '\\') out += "%5C";
        else out += c;
    }
    if (!script) out += '%';
    return out;
}

// A witness or evidence as a failure's body shows it: its one-line JSON made visible, cut after
// junit_evidence_bytes bytes of the JSON (at a character boundary) with the count of the bytes left out.
std::string shown_evidence(const Json& w, const char* field) {
    std::string text = w.dump(Layout::line);
    if (text.size() <= junit_evidence_bytes) return visible_text(text);
    std::size_t cut = junit_evidence_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
    const std::size_t left = text.size() - cut;
    text.resize(cut);
    return visible_text(text) + " ... (" + std::to_string(left) + " more bytes; the whole " + field +
           " is in the JSON report, --report json)";
}

std::string attr(const std::string& name, const std::string& value) { return " " + name + "=\"" + xml_text(value) + "\""; }

struct Counts {
    long long tests = 0, failures = 0, errors = 0, us = 0;
};

Counts count(const Json& s) {
    Counts n;
    n.us = time_us(s);
    if (s.find("error")) {
        n.tests = n.errors = 1;
        return n;
    }
    for (const Json& c : s.at("claims").as_array()) {
        ++n.tests;
        if (c.at("verdict").as_string() != "certified") ++n.failures;
    }
    return n;
}

std::string testsuite(const Json& s) {
    const std::string& file = s.at("file").as_string();
    const Counts n = count(s);
    std::string out = "  <testsuite" + attr("name", file) + attr("tests", std::to_string(n.tests)) +
                      attr("failures", std::to_string(n.failures)) + attr("errors", std::to_string(n.errors)) +
                      attr("skipped", "0") + attr("time", seconds(n.us)) + ">\n";
    // The script's digest, each data file's (property "data:FILE") and the digest over all of them.
    std::string props;
    auto property = [&](const std::string& name, const std::string& value) {
        props += "      <property" + attr("name", name) + attr("value", value) + "/>\n";
    };
    if (const Json* h = s.find("sha256")) property("sha256", h->as_string());
    if (const Json* d = s.find("data_files"))
        for (const Json& f : d->as_array()) {
            property("data:" + f.at("file").as_string(), f.at("sha256").as_string());
            // The CSV's first row when it was skipped as a header (names only), as written.
            if (const Json* h = f.find("header")) property("header:" + f.at("file").as_string(), h->as_string());
        }
    if (const Json* all = s.find("inputs_sha256")) property("inputs_sha256", all->as_string());
    if (!props.empty()) out += "    <properties>\n" + props + "    </properties>\n";
    if (s.find("error")) {
        const Json& e = s.at("error");
        out += "    <testcase" + attr("name", "parse " + file) + attr("classname", class_name(file)) + attr("file", file) +
               attr("time", "0") + ">\n      <error" + attr("type", e.at("code").as_string()) +
               attr("message", render_error_line(s, false)) + ">" + xml_text(render_error_line(s, false)) +
               "</error>\n    </testcase>\n";
        return out + "  </testsuite>\n";
    }
    for (const Json& c : s.at("claims").as_array()) {
        const std::string line = std::to_string(c.at("line").as_integer());
        out += "    <testcase" + attr("name", "line " + line + ": " + c.at("claim").as_string()) +
               attr("classname", class_name(file)) + attr("file", file) + attr("line", line) +
               attr("time", seconds(time_us(c)));
        const std::string& verdict = c.at("verdict").as_string();
        if (verdict == "certified") {
            out += "/>\n";
            continue;
        }
        std::string message = verdict + " [" + c.at("method").as_string() + "]";
        const std::string numbers = join_key_numbers(key_numbers(c), "~", "in");
        if (!numbers.empty()) message += ": " + numbers;
        if (const Json* r = c.find("reason"); r && !r->as_string().empty()) message += ": " + r->as_string();
        // Each piece is made visible on its own (a line break in a file name or message becomes \x0a), so
        // the only line breaks in the body are these: nothing can forge a line of the CI view.
        std::string body = visible_text(file) + ":" + line + ": " + verdict + " " + visible_text(c.at("claim").as_string()) + "\n";
        for (const char* field : {"witness", "evidence"})
            if (const Json* w = c.find(field)) body += std::string(field) + ": " + shown_evidence(*w, field) + "\n";
        if (const Json* r = c.find("reason"); r && !r->as_string().empty()) body += "reason: " + visible_text(r->as_string()) + "\n";
        if (const Json* x = c.find("next"); x && !x->as_string().empty()) body += "next: " + visible_text(x->as_string()) + "\n";
        out += ">\n      <failure" + attr("type", verdict) + attr("message", message) + ">" + xml_entities(body) +
               "</failure>\n    </testcase>\n";
    }
    return out + "  </testsuite>\n";
}

}  // namespace

JunitPart junit_part(const Json& script) {
    const Counts n = count(script);
    return JunitPart{testsuite(script), n.tests, n.failures, n.errors, n.us};
}

std::string render_junit(const Json& doc) {
    std::vector<JunitPart> parts;
    for (const Json& s : doc.at("scripts").as_array()) parts.push_back(junit_part(s));
    return junit_document(parts);
}

std::string junit_document(const std::vector<JunitPart>& parts) {
    Counts total;
    std::string suites;
    for (const JunitPart& p : parts) {
        total.tests += p.tests;
        total.failures += p.failures;
        total.errors += p.errors;
        total.us += p.us;
        suites += p.xml;
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites" + attr("name", "nncert") +
           attr("tests", std::to_string(total.tests)) + attr("failures", std::to_string(total.failures)) +
           attr("errors", std::to_string(total.errors)) + attr("skipped", "0") + attr("time", seconds(total.us)) +
           ">\n" + suites + "</testsuites>\n";
}

}  // namespace nncert::report
