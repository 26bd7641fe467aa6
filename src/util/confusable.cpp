// UTS #39 checks of file names through ICU (unicode/uspoof.h, unicode/normalizer2.h).
#include "util/confusable.hpp"
#include "util/unicode.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace nncert::util {

namespace {

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

void require(UErrorCode status, const char* what) {
    if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU: ") + what + ": " + u_errorName(status));
}

struct SpoofCloser {
    void operator()(USpoofChecker* sc) const { uspoof_close(sc); }
};

// One checker for the process: opening one loads ICU's confusable data.
const USpoofChecker* checker() {
    static const std::unique_ptr<USpoofChecker, SpoofCloser> sc = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<USpoofChecker, SpoofCloser> c(uspoof_open(&status));
        require(status, "uspoof_open");
        uspoof_setRestrictionLevel(c.get(), USPOOF_HIGHLY_RESTRICTIVE);
        uspoof_setChecks(c.get(), USPOOF_RESTRICTION_LEVEL | USPOOF_MIXED_NUMBERS, &status);
        require(status, "uspoof_setChecks");
        return c;
    }();
    return sc.get();
}

}  // namespace

std::string confusable_name_problem(std::string_view utf8) {
    if (is_ascii(utf8)) return "";
    const icu::UnicodeString name = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), int32_t(utf8.size())));
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    require(status, "Normalizer2::getNFCInstance");
    const bool composed = nfc->isNormalized(name, status);
    require(status, "Normalizer2::isNormalized");
    if (!composed)
        return "it is not in Unicode normal form NFC: a decomposed accent (e and U+0301) shows like the composed "
               "letter but names another file; write the name composed";
    // Checked per piece between '/' and '.', so a Greek or Cyrillic name may sit in a Latin folder and end in
    // ".csv"; within a piece scripts may not mix. The look-alike test is per piece too: one real accent elsewhere
    // in the name must not hide a piece that shows as ASCII text ("é/сор.csv" shows as "é/cop.csv": review r8-9 F1).
    int32_t start = 0;
    for (int32_t i = 0; i <= name.length(); ++i) {
        if (i < name.length() && name[i] != u'/' && name[i] != u'.') continue;
        const icu::UnicodeString piece = name.tempSubStringBetween(start, i);
        start = i + 1;
        const int32_t found = uspoof_check2UnicodeString(checker(), piece, nullptr, &status);
        require(status, "uspoof_check2");
        if (found & USPOOF_MIXED_NUMBERS) return "it mixes digits of different number systems, which look alike";
        if (found & USPOOF_RESTRICTION_LEVEL)
            return "it mixes letters of different scripts between two '/' or '.' (as the Latin a and the Cyrillic "
                   "a, U+0430), which look alike";
        std::string text;
        piece.toUTF8String(text);
        if (is_ascii(text)) continue;
        icu::UnicodeString skeleton;
        uspoof_getSkeletonUnicodeString(checker(), 0, piece, skeleton, &status);
        require(status, "uspoof_getSkeleton");
        std::string shown;
        skeleton.toUTF8String(shown);
        if (is_ascii(shown))
            return "its part \"" + text + "\" looks like ASCII text, so the name passes for another file (the part's "
                   "UTS #39 skeleton, which maps look-alikes to one form, is the ASCII \"" + shown + "\")";
    }
    return "";
}

bool looks_like_script_name(std::string_view file_name) {
    // What a viewer may draw as nothing is dropped wherever it stands (a byte that is not UTF-8 too: a terminal
    // may show nothing for it), then the blanks at the end, which show as nothing there.
    std::string shown;
    for (std::size_t i = 0; i < file_name.size();) {
        char32_t cp = 0;
        const std::size_t n = decode_utf8(file_name, i, cp);
        if (n == 0) {
            ++i;
            continue;
        }
        if (!(is_invisible(cp) || is_control(cp) || is_bidi_control(cp) || is_odd_line_terminator(cp) ||
              is_font_dependent(cp) || cp == U'\n'))
            shown.append(file_name.substr(i, n));
        i += n;
    }
    if (!is_ascii(shown)) {
        icu::UnicodeString name = icu::UnicodeString::fromUTF8(icu::StringPiece(shown.data(), int32_t(shown.size())));
        // Compatibility forms first (a fullwidth `ｃ` or `．` is its ASCII letter), then the confusable skeleton.
        UErrorCode status = U_ZERO_ERROR;
        const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
        require(status, "Normalizer2::getNFKCInstance");
        name = nfkc->normalize(name, status);
        require(status, "Normalizer2::normalize");
        name.foldCase();
        // Characters drawn as a dot, or as a dot at mid-height, that the skeleton keeps apart from `.` (review r8-13
        // F5: `theorem｡nnc`, `theorem﹒nnc`, `theorem·nnc` were skipped silently): `.` before the skeleton (which
        // may map them elsewhere: U+3002 is not `.` there) and after it.
        static const char32_t dots[] = {0x00B7, 0x0387, 0x0589, 0x05C5, 0x06D4, 0x0701, 0x0702, 0x0F0B, 0x0F0C,
                                        0x1427, 0x16EB, 0x1C3B, 0x2022, 0x2024, 0x2027, 0x2219, 0x22C5, 0x2E2E,
                                        0x2E31, 0x2E33, 0x2E3C, 0x3002, 0x30FB, 0xA4F8, 0xA78F, 0xFE52, 0xFF0E,
                                        0xFF61, 0xFF65, 0x10101, 0x1BC8F};
        const auto dots_to_full_stop = [](icu::UnicodeString& text) {
            for (const char32_t d : dots) text.findAndReplace(icu::UnicodeString(static_cast<UChar32>(d)), ".");
        };
        dots_to_full_stop(name);
        icu::UnicodeString skeleton;
        uspoof_getSkeletonUnicodeString(checker(), 0, name, skeleton, &status);
        require(status, "uspoof_getSkeleton");
        dots_to_full_stop(skeleton);
        shown.clear();
        skeleton.toUTF8String(shown);
    }
    // Blanks and dots at the end show as nothing to a reader of a listing (and Windows drops trailing dots).
    while (!shown.empty() && (shown.back() == ' ' || shown.back() == '\t' || shown.back() == '.')) shown.pop_back();
    if (shown.size() < 4) return false;
    std::string tail = shown.substr(shown.size() - 4);
    for (char& c : tail) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return tail == ".nnc";
}

}  // namespace nncert::util
