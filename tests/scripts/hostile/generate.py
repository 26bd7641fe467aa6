#!/usr/bin/env python3
"""Writes the hostile-text scripts of this folder: text that a viewer shows differently from how the
checker parses it (docs/format.md, "Characters"), and the legitimate Unicode that must stay allowed.

Each attack hides a claim or a data row behind a line terminator other than LF, reorders a line with bidi
controls ("Trojan Source", CVE-2021-42574), or hides an invisible character in code, a file name or a
CSV file. Before the character gate every attack below was accepted (most with exit 0: the hidden
false claim was never checked); each must now be rejected with the code in its header.
The files hold raw control bytes, so they are generated rather than edited by hand.
Usage (from the repository root): python3 tests/scripts/hostile/generate.py
"""
import pathlib

HERE = pathlib.Path(__file__).resolve().parent

HEAD = """nncert 1
data {
  0 -> 0
  1 -> 1
}
network {
  input 1
  dense 1 identity
}
loss sse
point p {
  W1 = [[1]]
  b1 = [0]
}
"""

LS, PS, NEL = "\u2028", "\u2029", "\u0085"
RLO, LRI, PDI, PDF, RLM = "\u202e", "\u2066", "\u2069", "\u202c", "\u200f"
ZWSP, ZWJ, ZWNJ, NBSP, BOM = "\u200b", "\u200d", "\u200c", "\u00a0", "\ufeff"


def header(expect, why):
    lines = [f"# {k}: {v}" for k, v in expect]
    return "\n".join(lines) + "\n# " + why + "\n"


def rejected(code, why, body, csv=None):
    return (header([("expect-exit", "2"), ("expect-error", code)], why) + body, csv)


def hidden_claim(sep):
    # Shown as two lines (a true claim and a false one); parsed as one claim and a comment.
    return HEAD + "claim loss p = 0   # ok" + sep + "claim loss p = 5\n"


SCRIPTS = {
    # Line terminators other than LF: a viewer breaks the line, the checker used not to.
    "cr-hidden-claim": rejected("forbidden-character", "A lone CR ends a comment for viewers only: a false claim is shown but not checked.", hidden_claim("\r")),
    "nel-hidden-claim": rejected("forbidden-character", "U+0085 NEXT LINE hides a claim the same way.", hidden_claim(NEL)),
    "ls-hidden-claim": rejected("forbidden-character", "U+2028 LINE SEPARATOR hides a claim the same way.", hidden_claim(LS)),
    "ps-hidden-claim": rejected("forbidden-character", "U+2029 PARAGRAPH SEPARATOR hides a claim the same way.", hidden_claim(PS)),
    "vt-hidden-claim": rejected("forbidden-character", "A vertical tab (a line break in some viewers) hides a claim.", hidden_claim("\v")),
    "ff-hidden-claim": rejected("forbidden-character", "A form feed (a line break in some viewers) hides a claim.", hidden_claim("\f")),
    "cr-hidden-row": rejected(
        "forbidden-character", "A lone CR after a row's comment shows a data row the checker never reads.",
        HEAD.replace("  1 -> 1\n", "  1 -> 1   # row\r  5 -> 0\n") + "claim loss p = 0\n"),
    "cr-joined-rows": rejected(
        "forbidden-character", "A lone CR between two rows: shown as two rows, read as one line (one row per line).",
        HEAD.replace("  0 -> 0\n  1 -> 1\n", "  0 -> 0\r  1 -> 1\n") + "claim loss p = 0\n"),
    # Control characters that rewrite a terminal line when the file is printed with cat.
    "esc-erase-line": rejected("forbidden-character", "An escape sequence in a comment erases the displayed claim.",
                               HEAD + "claim loss p = 5   # \x1b[2K\x1b[1Gclaim loss p = 0\n"),
    "backspace-in-comment": rejected("forbidden-character", "Backspaces in a comment overprint the claim before it.",
                                     HEAD + "claim loss p = 5 #" + "\b" * 20 + "claim loss p = 0\n"),
    # Trojan Source: bidi controls reorder the display of a line.
    "rlo-in-comment": rejected("forbidden-character", "RIGHT-TO-LEFT OVERRIDE in a comment (Trojan Source).",
                               HEAD + "claim loss p = 0   # " + RLO + "5 = p ssol mialc" + PDF + "\n"),
    "isolate-in-comment": rejected("forbidden-character", "RIGHT-TO-LEFT ISOLATE ... POP DIRECTIONAL ISOLATE in a comment.",
                                   HEAD + "claim loss p = 0   # " + LRI + "note" + PDI + "\n"),
    "rlm-in-comment": rejected("forbidden-character", "A RIGHT-TO-LEFT MARK in a comment.", HEAD + "# " + RLM + "\nclaim loss p = 0\n"),
    "rlo-in-string": rejected("forbidden-character", "A bidi override in a CSV file name.",
                              HEAD.replace("data {\n  0 -> 0\n  1 -> 1\n}", 'data "a' + RLO + 'vsc.b"') + "claim loss p = 0\n"),
    # Invisible characters outside comments.
    "zwsp-in-number": rejected("forbidden-character", "A ZERO WIDTH SPACE inside a number (1<ZWSP>0 would look like 10).",
                               HEAD + "claim loss p = 1" + ZWSP + "0\n"),
    "zwj-in-name": rejected("forbidden-character", "A ZERO WIDTH JOINER after a point name.", HEAD + "claim loss p" + ZWJ + " = 0\n"),
    "bom-in-code": rejected("forbidden-character", "A byte-order mark (zero width no-break space) in the middle of the code.",
                            HEAD + "claim loss " + BOM + "p = 0\n"),
    "zwsp-in-string": rejected("forbidden-character", "A ZERO WIDTH SPACE in a CSV file name: it names another file than it shows.",
                               HEAD.replace("data {\n  0 -> 0\n  1 -> 1\n}", 'data "d' + ZWSP + '.csv"') + "claim loss p = 0\n"),
    "nbsp-in-string": rejected("forbidden-character", "A NO-BREAK SPACE in a CSV file name looks like a space.",
                               HEAD.replace("data {\n  0 -> 0\n  1 -> 1\n}", 'data "my' + NBSP + 'data.csv"') + "claim loss p = 0\n"),
    "tab-in-string": rejected("forbidden-character", "A tab in a CSV file name looks like spaces.",
                              HEAD.replace("data {\n  0 -> 0\n  1 -> 1\n}", 'data "my\tdata.csv"') + "claim loss p = 0\n"),
    # Right-to-left letters in a comment after code: a viewer that picks the direction from the text shows
    # the row `1 -> 0` right to left.
    "rtl-comment-after-row": rejected("forbidden-character", "Hebrew letters in a comment after a data row (the row has no left-to-right letter).",
                                      HEAD.replace("  1 -> 1\n", "  1 -> 1   # \u05e9\u05dc\u05d5\u05dd\n") + "claim loss p = 0\n"),
    # A comment on a line of its own whose first strong letter is right-to-left: viewers show that line right to left,
    # and GTK editors (gedit, GNOME Text Editor) show the letterless data rows after it right to left too, `1 -> 0`
    # as `0 <- 1` (review r8-10, F2). The first strong letter of such a line must be left-to-right.
    "rtl-comment-line-hebrew": rejected("forbidden-character", "A Hebrew comment line (first strong letter right-to-left) before data rows.",
                                        HEAD.replace("  0 -> 0\n", "  # \u05e9\u05dc\u05d5\u05dd\n  0 -> 0\n") + "claim loss p = 0\n"),
    "rtl-comment-line-arabic": rejected("forbidden-character", "An Arabic comment line (first strong letter right-to-left) before data rows.",
                                        HEAD.replace("  0 -> 0\n", "  # \u0645\u0631\u062d\u0628\u0627 1\n  0 -> 0\n") + "claim loss p = 0\n"),
    "rtl-comment-line-latin-after": rejected("forbidden-character", "A Latin word after the Hebrew one does not help: the first strong letter decides.",
                                             HEAD.replace("  0 -> 0\n", "  #  1 \u05e9\u05dc\u05d5\u05dd note\n  0 -> 0\n") + "claim loss p = 0\n"),
    "rtl-comment-line-digits": rejected("forbidden-character", "Arabic-Indic digits count as right-to-left (the Arabic block is taken whole; errs on the safe side).",
                                        HEAD.replace("  0 -> 0\n", "  # \u0661\u0662\u0663\n  0 -> 0\n") + "claim loss p = 0\n"),
    "ok-rtl-comment-latin-first": (header([("expect-exit", "0"), ("expect-verdicts", "certified")], "A comment line that starts with a Latin word may hold Hebrew and Arabic after it.")
                                   + HEAD.replace("  0 -> 0\n", "  # note: \u05e9\u05dc\u05d5\u05dd, \u0645\u0631\u062d\u0628\u0627\n  0 -> 0\n") + "claim loss p = 0\n", None),
    # CSV files pass the same gate, and have no comments.
    "csv-rtl-line": rejected("forbidden-character", "A CSV line whose first strong letter is right-to-left (shown right to left, rows after it too).",
                             HEAD.replace("data {\n  0 -> 0\n  1 -> 1\n}", 'data "csv-rtl-line.csv"') + "claim loss p = 0\n",
                             "\u05d0,\u05d1\n0,0\n1,1\n"),
    "csv-cr-hidden-row": rejected("forbidden-character", "A lone CR in the CSV file: a row shown but not read.",
                                  HEAD.replace("data {\n  0 -> 0\n  1 -> 1\n}", 'data "csv-cr-hidden-row.csv"') + "claim loss p = 0\n",
                                  "x,y\n0,0\r5,0\n1,1\n"),
    "csv-comment": rejected("csv", "`3#0` in a CSV field is not the number 3 (the script's comment rule does not apply to CSV).",
                            HEAD.replace("data {\n  0 -> 0\n  1 -> 1\n}", 'data "csv-comment.csv"') + "claim loss p = 0\n",
                            "x,y\n0,0\n1,1#0\n"),
    "csv-zwsp": rejected("forbidden-character", "A ZERO WIDTH SPACE in a CSV number.",
                         HEAD.replace("data {\n  0 -> 0\n  1 -> 1\n}", 'data "csv-zwsp.csv"') + "claim loss p = 0\n",
                         "x,y\n0,0\n1," + ZWSP + "1\n"),
    "csv-ls": rejected("forbidden-character", "A LINE SEPARATOR in a CSV file.",
                       HEAD.replace("data {\n  0 -> 0\n  1 -> 1\n}", 'data "csv-ls.csv"') + "claim loss p = 0\n",
                       "x,y\n0,0" + LS + "5,5\n1,1\n"),
    # File names that show like another file's name (docs/format.md, "Characters"; UTS #39 through ICU).
    "cyrillic-a-in-string": rejected("forbidden-character", "A Cyrillic a (U+0430) among Latin letters: `data.csv` on screen, another file on disk.",
                                     HEAD.replace("data {\n  0 -> 0\n  1 -> 1\n}", 'data "d\u0430ta.csv"') + "claim loss p = 0\n"),
    "cyrillic-ascii-lookalike": rejected("forbidden-character", "All-Cyrillic letters that look like the ASCII name cop.csv (skeleton cop.csv).",
                                         HEAD.replace("data {\n  0 -> 0\n  1 -> 1\n}", 'data "\u0441\u043e\u0440.csv"') + "claim loss p = 0\n"),
    "hyphen-lookalike": rejected("forbidden-character", "U+2010 HYPHEN looks like the ASCII hyphen-minus of data-1.csv.",
                                 HEAD.replace("data {\n  0 -> 0\n  1 -> 1\n}", 'data "data\u20101.csv"') + "claim loss p = 0\n"),
    "nfd-in-string": rejected("forbidden-character", "A decomposed e + U+0301 shows like the composed cafe-acute of another file (NFC only).",
                              HEAD.replace("data {\n  0 -> 0\n  1 -> 1\n}", 'data "cafe\u0301.csv"') + "claim loss p = 0\n"),
    # What stays allowed: CRLF line ends, and any text in comments (bidi controls and odd line breaks aside).
    "ok-crlf": (header([("expect-exit", "1"), ("expect-verdicts", "certified refuted")], "CRLF line ends are line ends (Windows editors).").replace("\n", "\r\n")
                + (HEAD + "claim loss p = 0   # true\nclaim loss p = 5\n").replace("\n", "\r\n"), None),
    "ok-unicode-comments": (header([("expect-exit", "0"), ("expect-verdicts", "certified")], "Comments may hold any printable text.")
                            + "# Caf\u00e9, \u65e5\u672c\u8a9e, \U0001F469" + ZWJ + "\U0001F52C, \u0645\u06cc" + ZWNJ + "\u062e\u0648\u0627\u0647\u0645, \u05e9\u05dc\u05d5\u05dd\n"
                            + HEAD + "claim loss p = 0   # caf\u00e9 " + ZWSP + "\n", None),
    "ok-accented-file-name": (header([("expect-exit", "0"), ("expect-verdicts", "certified")], "A composed accent in a file name (NFC, one script).")
                              + HEAD.replace("data {\n  0 -> 0\n  1 -> 1\n}", 'data "caf\u00e9.csv"') + "claim loss p = 0\n",
                              "x,y\n0,0\n1,1\n", "caf\u00e9.csv"),
    "ok-cyrillic-file-name": (header([("expect-exit", "0"), ("expect-verdicts", "certified")], "A Cyrillic file name with a .csv extension (one script per piece).")
                              + HEAD.replace("data {\n  0 -> 0\n  1 -> 1\n}", 'data "\u0434\u0430\u043d\u043d\u044b\u0435.csv"') + "claim loss p = 0\n",
                              "x,y\n0,0\n1,1\n", "\u0434\u0430\u043d\u043d\u044b\u0435.csv"),
    "ok-csv-crlf": (header([("expect-exit", "0"), ("expect-verdicts", "certified")], "A CSV file with CRLF line ends and a byte-order mark.")
                    + HEAD.replace("data {\n  0 -> 0\n  1 -> 1\n}", 'data "ok-csv-crlf.csv"') + "claim loss p = 0\n",
                    BOM + "x,y\r\n0,0\r\n1,1\r\n"),
}


def main():
    for old in HERE.glob("*.nnc"):
        old.unlink()
    for old in HERE.glob("*.csv"):
        old.unlink()
    for name, (text, csv, *csv_name) in SCRIPTS.items():
        (HERE / f"{name}.nnc").write_bytes(text.encode("utf-8"))
        if csv is not None:
            (HERE / (csv_name[0] if csv_name else f"{name}.csv")).write_bytes(csv.encode("utf-8"))


if __name__ == "__main__":
    main()
