// Recursive-descent parser for the block language of docs/format.md (version 1).
// One function per grammar rule; the first error throws and parsing stops.
#include "script/parser.hpp"

#include "script/cursor.hpp"
#include "script/number.hpp"
#include "script/script.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <unordered_set>
#include <utility>

namespace nncert::script {

using kernel::ActivationKind;
using kernel::ClaimKind;

namespace {

constexpr std::size_t max_width = 1000000;  // documented limit on `input` and `dense` sizes

constexpr std::array<std::pair<const char*, ClaimKind>, 12> claim_kinds{{
    {"loss", ClaimKind::loss},
    {"gap", ClaimKind::gap},
    {"kink_free", ClaimKind::kink_free},
    {"critical", ClaimKind::critical},
    {"hessian_pd", ClaimKind::hessian_pd},
    {"strict_local_min", ClaimKind::strict_local_min},
    {"local_min", ClaimKind::local_min},
    {"accuracy", ClaimKind::accuracy},
    {"trap", ClaimKind::trap},
    {"barrier", ClaimKind::barrier},
    {"monotone", ClaimKind::monotone},
    {"blind_spot", ClaimKind::blind_spot},
}};

// Claims and regions: every number literal in view (Cursor::set_literal_limit), for the item's lifetime.
class LiteralLimit {
public:
    LiteralLimit(Cursor& in, const char* where) : in_(in) { in_.set_literal_limit(literal_view, where); }
    ~LiteralLimit() { in_.set_literal_limit(0); }
    LiteralLimit(const LiteralLimit&) = delete;
    LiteralLimit& operator=(const LiteralLimit&) = delete;

private:
    Cursor& in_;
};

// A list (a data row, a point's or direction's array, poly coefficients) for the parser's lifetime of the object:
// its tokens may run past column view_width (Cursor::open_list), each of its numbers checked by list_value.
class ListScope {
public:
    explicit ListScope(Cursor& in) : in_(in) { in_.open_list(); }
    ~ListScope() { in_.close_list(); }
    ListScope(const ListScope&) = delete;
    ListScope& operator=(const ListScope&) = delete;

private:
    Cursor& in_;
};

class Parser {
public:
    Parser(Cursor& in, const std::string& text) : in_(in), text_(text) {}

    syntax::File file() {
        syntax::File f;
        version(f);
        while (!in_.at(Tok::end)) {
            if (!in_.at(Tok::ident)) in_.unexpected(block_keywords);
            in_.begin_item();
            const Token kw = in_.peek();
            if (kw.text == "data") f.data = (once(f.data.has_value(), kw, "data"), data());
            else if (kw.text == "network") f.network = (once(f.network.has_value(), kw, "network"), network());
            else if (kw.text == "loss") f.loss = (once(f.loss.has_value(), kw, "loss"), loss(f));
            else if (kw.text == "classify") f.threshold = (once(f.threshold.has_value(), kw, "classify"), classify());
            else if (kw.text == "precision") f.precision = (once(f.precision.has_value(), kw, "precision"), precision());
            else if (kw.text == "max_boxes") f.max_boxes = (once(f.max_boxes.has_value(), kw, "max_boxes"), max_boxes());
            else if (kw.text == "point") point(f);
            else if (kw.text == "region") region(f);
            else if (kw.text == "direction") point(f, true);
            else if (kw.text == "claim") f.claims.push_back(claim());
            else if (kw.text == "nncert") fail("duplicate", kw.loc, "second version line");
            else in_.unexpected(block_keywords);
        }
        f.end = in_.peek().loc;
        return f;
    }

private:
    static constexpr const char* block_keywords =
        "a block keyword (data, network, loss, classify, precision, max_boxes, point, direction, region, claim)";

    // Checked before the block is parsed, so a repeated block is reported at its keyword.
    static void once(bool seen, const Token& kw, const std::string& what) {
        if (!seen) return;
        fail("duplicate", kw.loc,
             what == "data" ? "data given twice (inline rows and a CSV file cannot be combined)"
                            : "second '" + what + "' block");
    }

    void version(syntax::File& f) {
        if (!in_.at_word("nncert"))
            fail("version", in_.peek().loc, "missing version line: a script starts with 'nncert 1'");
        in_.take();
        const Token v = in_.peek();
        if (v.kind != Tok::number) fail("version", v.loc, "expected a version number after 'nncert', found " + describe(v));
        in_.take();
        if (v.text != "1") fail("version", v.loc, "unsupported version " + v.text + "; this checker reads version 1");
        f.version = 1;
    }

    syntax::Data data() {
        syntax::Data d;
        d.loc = in_.take().loc;
        if (in_.at(Tok::string)) {
            const Token s = in_.take();
            d.file = s.text;
            d.file_loc = s.loc;
            if (in_.at_word("weighted")) {
                in_.take();
                d.weighted = true;
            }
            return d;
        }
        in_.expect(Tok::lbrace, "'{' or a quoted CSV file name");
        while (!in_.at(Tok::rbrace)) {
            if (in_.at(Tok::end)) in_.unexpected("a data row or '}'");
            d.rows.push_back(row());
        }
        in_.take();
        if (d.rows.empty()) fail("bad-value", d.loc, "empty data block");
        return d;
    }

    // One row per line: `2 -1` on one line would otherwise be read as 2 - 1.
    syntax::Row row() {
        syntax::Row r;
        r.loc = in_.peek().loc;
        in_.set_row_line(r.loc.line);
        {
            const ListScope scope(in_);  // a row's inputs and targets are a list
            r.x = list();
            in_.expect(Tok::arrow, "',' or '->'");
            r.y = list();
        }
        // `weight w` is not a list value: the word and its number end within column view_width (review r8-9, F3:
        // a weight past the edge, behind blanks, changed what a row that looked complete meant).
        if (in_.at_word("weight")) {
            const SourceLoc at = in_.take().loc;
            r.weight = parse_expr(in_);
            if (r.weight <= 0)
                fail("bad-value", at, "a data row's weight must be > 0, found " + number_text(r.weight));
        }
        if (!in_.at(Tok::eol) && !in_.at(Tok::end) && !in_.at(Tok::rbrace))
            in_.unexpected("',', 'weight' or the end of the row (one data row per line)");
        in_.set_row_line(0);
        return r;
    }

    // The values of a list (called inside a ListScope).
    kernel::Vector list() {
        kernel::Vector v{list_value()};
        while (in_.at(Tok::comma)) {
            in_.take();
            v.push_back(list_value());
        }
        return v;
    }

    // One number of a list. The view rule (docs/format.md, "Characters"): a list may run past column view_width,
    // but what is out of view is never more of an expression (`[[0+0+...+1]]` reads as 0 and is 1), and of a number
    // that starts in view only fraction digits are (`1` at the edge is not `1e-999`): list_number_view_problem.
    kernel::Rational list_value() {
        const SourceLoc at = in_.peek().loc;
        in_.reset_taken();
        const kernel::Rational v = parse_expr(in_);
        if (in_.max_col() > view_width) {
            // Where its literal starts, when it is one ("n" or "-n"): its last token, as the source has it (the
            // token's text is normalised and may be shorter: review r8-11, F4).
            const std::size_t literal_col = in_.last_start_col();
            const std::string problem =
                list_number_view_problem(in_.taken_text(), in_.taken_kinds(), in_.first_col(), literal_col, v);
            if (!problem.empty())
                fail("layout", at,
                     "this number runs past column " + std::to_string(view_width) +
                         ", the edge of what a viewer without line wrapping shows, and " + problem);
        }
        return v;
    }

    std::size_t count(const std::string& what) {
        const Token t = in_.expect(Tok::number, what);
        if (t.text.find_first_not_of("0123456789") != std::string::npos)
            fail("bad-value", t.loc, what + " must be a whole number, found " + t.text);
        const std::size_t nz = t.text.find_first_not_of('0');
        if (nz == std::string::npos) fail("bad-value", t.loc, what + " must be at least 1");
        if (t.text.size() - nz > 7 || std::stoul(t.text) > max_width)
            fail("bad-value", t.loc, what + " exceeds the limit " + std::to_string(max_width));
        return std::stoul(t.text);
    }

    syntax::Network network() {
        syntax::Network n;
        n.loc = in_.take().loc;
        in_.expect(Tok::lbrace);
        in_.expect_word("input");
        n.input_dim = count("the input dimension");
        while (in_.at_word("dense")) {
            syntax::LayerDecl l;
            l.loc = in_.take().loc;
            l.width = count("a layer width");
            l.activation = activation();
            if (in_.at_word("nobias")) {
                in_.take();
                l.bias = false;
            }
            n.layers.push_back(std::move(l));
        }
        if (!in_.at(Tok::rbrace)) in_.unexpected(n.layers.empty() ? "'dense'" : "'dense' or '}'");
        in_.take();
        if (n.layers.empty()) fail("bad-value", n.loc, "a network needs at least one dense layer");
        return n;
    }

    kernel::Activation activation() {
        const Token t = in_.expect(Tok::ident, "an activation");
        kernel::Activation a;
        if (t.text == "identity") {
            a.kind = ActivationKind::identity;
        } else if (t.text == "relu") {
            a.kind = ActivationKind::relu;
        } else if (t.text == "leaky_relu") {
            a.kind = ActivationKind::leaky_relu;
            in_.expect(Tok::lparen, "'(' and the slope, as in leaky_relu(1/100)");
            a.alpha = parse_expr(in_);
            in_.expect(Tok::rparen, "')' or an operator");
        } else if (t.text == "poly") {
            a.kind = ActivationKind::poly;
            in_.expect(Tok::lparen, "'(' and coefficients, as in poly(0, 1, 1/2)");
            const ListScope scope(in_);
            a.coeffs = list();
            in_.expect(Tok::rparen, "',' or ')'");
        } else if (t.text == "sigmoid") {
            a.kind = ActivationKind::sigmoid;
        } else if (t.text == "tanh") {
            a.kind = ActivationKind::tanh;
        } else if (t.text == "softplus") {
            a.kind = ActivationKind::softplus;
        } else {
            fail("unknown-activation", t.loc,
                 "unknown activation '" + t.text +
                     "' (known: identity, relu, leaky_relu(a), poly(c0, ...), sigmoid, tanh, softplus)");
        }
        return a;
    }

    // loss NAME [+ l2(lambda)], NAME one of sse, sse/2, mse, bce, cross_entropy.
    kernel::LossKind loss(syntax::File& f) {
        in_.take();
        const Token t = in_.expect(Tok::ident, "a loss (sse, sse/2, mse, bce or cross_entropy)");
        f.loss_loc = t.loc;
        kernel::LossKind k = kernel::LossKind::sse;
        if (t.text == "sse" && in_.at(Tok::slash)) {
            in_.take();
            const Token two = in_.peek();
            if (two.kind != Tok::number || two.text != "2")
                fail("unknown-loss", two.loc, "unknown loss 'sse/" + (two.kind == Tok::number ? two.text : std::string("...")) +
                                                  "' (the halved sum of squares is written sse/2)");
            in_.take();
            k = kernel::LossKind::half_sse;
        } else if (t.text == "sse") {
            k = kernel::LossKind::sse;
        } else if (t.text == "mse") {
            k = kernel::LossKind::mse;
        } else if (t.text == "bce") {
            k = kernel::LossKind::bce;
        } else if (t.text == "cross_entropy") {
            k = kernel::LossKind::cross_entropy;
        } else {
            fail("unknown-loss", t.loc, "unknown loss '" + t.text + "' (known: sse, sse/2, mse, bce, cross_entropy)");
        }
        if (in_.at(Tok::plus)) {  // + l2(lambda): weight decay lambda ||theta||^2
            in_.take();
            const Token l2 = in_.expect(Tok::ident, "'l2' (a weight-decay term + l2(lambda))");
            if (l2.text != "l2")
                fail("unknown-loss", l2.loc, "unknown loss term '" + l2.text + "' (the only added term is l2(lambda))");
            in_.expect(Tok::lparen, "'(' and lambda, as in l2(1/1000)");
            const SourceLoc at = in_.peek().loc;
            f.weight_decay = parse_expr(in_);
            in_.expect(Tok::rparen, "')' or an operator");
            if (f.weight_decay < 0)
                fail("bad-value", at, "the weight-decay factor lambda must be >= 0, found " + number_text(f.weight_decay));
        }
        return k;
    }

    // `precision BITS`: the interval engine's working precision.
    unsigned precision() {
        in_.take();
        const Token t = in_.expect(Tok::number, "the working precision in bits");
        const std::string range = std::to_string(min_precision_bits) + " to " + std::to_string(max_precision_bits);
        if (t.text.find_first_not_of("0123456789") != std::string::npos || t.text.size() > 8 ||
            std::stoul(t.text) < min_precision_bits || std::stoul(t.text) > max_precision_bits)
            fail("bad-value", t.loc, "precision must be a whole number of bits from " + range + ", found " + t.text);
        return static_cast<unsigned>(std::stoul(t.text));
    }

    kernel::Rational classify() {
        in_.take();
        in_.expect_word("threshold");
        return parse_expr(in_);
    }

    // `point NAME { ... }`, or with `direction` a direction block (a hint for `along`; omitted parameters 0).
    // Points and directions share one namespace.
    void point(syntax::File& f, bool direction = false) {
        in_.take();
        syntax::Point p;
        const Token name = in_.expect(Tok::ident, direction ? "a direction name" : "a point name");
        p.name = name.text;
        p.loc = name.loc;
        if (!point_names_.insert(p.name).second)
            fail("duplicate", name.loc, "the name '" + p.name + "' is defined twice (points and directions share names)");
        p.body_begin = in_.expect(Tok::lbrace).loc.offset;
        std::set<std::pair<char, std::size_t>> given;  // (letter, layer) of each parameter so far
        while (!in_.at(Tok::rbrace)) {
            if (!in_.at(Tok::ident)) in_.unexpected("a parameter (W1, b1, ...) or '}'");
            syntax::Param prm = param_name(in_.take());
            if (!given.emplace(prm.letter, prm.layer).second)
                fail("duplicate", prm.loc,
                     std::string(1, prm.letter) + std::to_string(prm.layer) + " is given twice in point '" + p.name +
                         "'");
            in_.expect(Tok::equals);
            prm.value = array();
            p.params.push_back(std::move(prm));
        }
        p.body_end = in_.take().end;
        (direction ? f.directions : f.points).push_back(std::move(p));
    }

    static syntax::Param param_name(const Token& t) {
        const std::string& s = t.text;
        const bool ok = s.size() >= 2 && s.size() <= 7 && (s[0] == 'W' || s[0] == 'b') && s[1] >= '1' &&
                        s[1] <= '9' && s.find_first_not_of("0123456789", 1) == std::string::npos;
        if (!ok)
            fail("unknown-parameter", t.loc,
                 "unknown parameter '" + s + "' (parameters are W1, b1, W2, b2, ... per dense layer)");
        syntax::Param p;
        p.loc = t.loc;
        p.letter = s[0];
        p.layer = std::stoul(s.substr(1));
        return p;
    }

    syntax::Array array() {
        syntax::Array a;
        const ListScope scope(in_);
        a.loc = in_.expect(Tok::lbracket, "'[' (a vector [..] or a matrix [[..], ..])").loc;
        if (!in_.at(Tok::lbracket)) {
            a.rows.push_back({a.loc, list()});
            in_.expect(Tok::rbracket, "',' or ']'");
            return a;
        }
        a.is_matrix = true;
        for (;;) {
            syntax::ArrayRow r;
            r.loc = in_.expect(Tok::lbracket, "'[' starting a matrix row").loc;
            r.values = list();
            in_.expect(Tok::rbracket, "',' or ']'");
            a.rows.push_back(std::move(r));
            if (!in_.at(Tok::comma)) break;
            in_.take();
        }
        in_.expect(Tok::rbracket, "',' or ']' closing the matrix");
        return a;
    }

    // `max_boxes N`: the branch-and-bound budget of this script's region claims.
    std::size_t max_boxes() {
        in_.take();
        const Token t = in_.expect(Tok::number, "the most boxes a branch and bound may assess");
        if (t.text.find_first_not_of("0123456789") != std::string::npos || t.text.size() > 10 ||
            std::stoull(t.text) < 1 || std::stoull(t.text) > max_max_boxes)
            fail("bad-value", t.loc, "max_boxes must be a whole number from 1 to " + std::to_string(max_max_boxes) +
                                         ", found " + t.text);
        return static_cast<std::size_t>(std::stoull(t.text));
    }

    // region NAME { [around P radius r] { PARAM[index] in [lo, hi] } }
    void region(syntax::File& f) {
        in_.take();
        const LiteralLimit exact(in_, "region");
        syntax::Region r;
        const Token name = in_.expect(Tok::ident, "a region name");
        r.name = name.text;
        r.loc = name.loc;
        for (const syntax::Region& q : f.regions)
            if (q.name == r.name) fail("duplicate", name.loc, "region '" + r.name + "' is defined twice");
        in_.expect(Tok::lbrace);
        while (!in_.at(Tok::rbrace)) {
            if (in_.at_word("around")) {
                const Token kw = in_.take();
                if (r.around) fail("duplicate", kw.loc, "second 'around' line in region '" + r.name + "'");
                const Token p = in_.expect(Tok::ident, "the point the default ranges are centred on");
                r.around = p.text;
                r.around_loc = p.loc;
                in_.expect_word("radius");
                const SourceLoc at = in_.peek().loc;
                r.radius = parse_expr(in_);
                if (r.radius < 0) fail("bad-value", at, "a region radius must be >= 0, found " + number_text(r.radius));
                continue;
            }
            if (!in_.at(Tok::ident)) in_.unexpected("'around', a parameter (W1, b1[2], W2[1,3], ...) or '}'");
            r.entries.push_back(region_entry());
        }
        in_.take();
        f.regions.push_back(std::move(r));
    }

    syntax::RegionEntry region_entry() {
        syntax::RegionEntry e;
        const syntax::Param p = param_name(in_.take());
        e.loc = p.loc;
        e.letter = p.letter;
        e.layer = p.layer;
        if (in_.at(Tok::lbracket)) {
            in_.take();
            e.row = count("a row index");
            if (in_.at(Tok::comma)) {
                in_.take();
                e.col = count("a column index");
            }
            in_.expect(Tok::rbracket, "',' or ']' closing the index");
        }
        in_.expect_word("in");
        e.range_loc = in_.expect(Tok::lbracket, "'[' starting the range [lo, hi]").loc;
        if (in_.at(Tok::minus) && in_.peek_next().kind == Tok::ident && in_.peek_next().text == "inf") {
            in_.take();
            in_.take();
        } else {
            e.lo = parse_expr(in_);
        }
        in_.expect(Tok::comma, "',' between the ends of the range");
        if (in_.at_word("inf")) in_.take();
        else e.hi = parse_expr(in_);
        in_.expect(Tok::rbracket, "']' closing the range");
        if (e.lo && e.hi && *e.hi < *e.lo)
            fail("bad-value", e.range_loc,
                 "the range's lower end " + number_text(*e.lo) + " is above its upper end " + number_text(*e.hi));
        return e;
    }

    syntax::Claim claim() {
        syntax::Claim c;
        c.loc = in_.take().loc;
        const LiteralLimit exact(in_, "claim");
        const std::size_t begin = in_.peek().loc.offset;

        if (in_.at_word("not")) {
            in_.take();
            c.negated = true;
            if (in_.at_word("not")) fail("syntax", in_.peek().loc, "a claim takes at most one 'not'");
        }
        const Token k = in_.expect(Tok::ident, "a claim kind");
        bool known = false;
        for (const auto& [word, kind] : claim_kinds)
            if (k.text == word) {
                c.kind = kind;
                known = true;
            }
        if (!known)
            fail("unknown-claim", k.loc,
                 "unknown claim '" + k.text +
                     "' (known: loss, gap, kink_free, critical, hessian_pd, strict_local_min, local_min, accuracy, "
                     "trap, barrier, monotone, blind_spot)");
        const Token p = in_.expect(Tok::ident, "a point name");
        c.point = p.text;
        c.point_loc = p.loc;
        if (c.kind == ClaimKind::barrier || c.kind == ClaimKind::monotone) {
            segment(c);
            c.written = written(begin);
            return c;
        }
        const bool takes_region =
            c.kind == ClaimKind::trap || c.kind == ClaimKind::accuracy || c.kind == ClaimKind::local_min;
        if (in_.at_word("within")) {
            within(c);
        } else if (takes_region && in_.at_word("in") && in_.peek_next().kind == Tok::ident) {
            in_.take();
            const Token r = in_.take();
            c.region = r.text;
            c.region_loc = r.loc;
        }
        if (c.kind == ClaimKind::trap) {
            if (!c.radius && c.region.empty())
                in_.unexpected("'in' and a region or 'within' and a radius (trap P in R, trap P within r)");
            if (in_.at_word("layer")) {
                in_.take();
                c.layer_loc = in_.peek().loc;
                c.layer = parse_expr(in_);
                if (*c.layer <= 0) fail("bad-value", c.layer_loc, "a boundary layer must be thicker than 0, found " + number_text(*c.layer));
                if (in_.at_word("steps")) {
                    in_.take();
                    c.steps_loc = in_.peek().loc;
                    c.steps = parse_expr(in_);
                    if (*c.steps <= 0) fail("bad-value", c.steps_loc, "a step size must be > 0, found " + number_text(*c.steps));
                }
            }
        } else if (c.kind == ClaimKind::accuracy && !c.region.empty()) {
            in_.expect(Tok::at_most, "'<=' (accuracy P in R <= q: at most q wherever the loss is <= L(P) in R)");
            c.value = parse_expr(in_);
        } else if (c.kind == ClaimKind::loss && in_.at_word("in")) {
            in_.take();
            range(c);
        } else if (c.kind == ClaimKind::loss && c.radius) {
            in_.unexpected("'in' and a range: the loss over a box is claimed as `loss P within r in [a, b]`");
        } else if (c.kind == ClaimKind::loss || c.kind == ClaimKind::accuracy) {
            in_.expect(Tok::equals, c.kind == ClaimKind::loss ? "'=' or 'in'" : "'='");
            c.value = parse_expr(in_);
        } else if (c.kind == ClaimKind::gap) {
            in_.expect(Tok::greater, "'>' (gap P > Q: P has the larger loss)");
            const Token q = in_.expect(Tok::ident, "a point name");
            c.other = q.text;
            c.other_loc = q.loc;
        }
        if (in_.at_word("along")) along(c);
        c.written = written(begin);
        return c;
    }

    // `barrier P Q > h` and `monotone P Q`: claims about the segment from P to Q (never a box).
    void segment(syntax::Claim& c) {
        if (in_.at_word("within"))
            fail("syntax", in_.peek().loc, "a segment claim is about the segment from P to Q and takes no `within`");
        const Token q = in_.expect(Tok::ident, "the point at the segment's other end");
        c.other = q.text;
        c.other_loc = q.loc;
        if (c.kind == ClaimKind::barrier) {
            in_.expect(Tok::greater, "'>' and the height (barrier P Q > h)");
            c.value = parse_expr(in_);
        }
    }

    // `along d1, d2, ...`: the curve P + t d1 + t^2 d2 + ... for local_min / strict_local_min at a point.
    void along(syntax::Claim& c) {
        const Token kw = in_.take();
        if (c.kind != ClaimKind::local_min && c.kind != ClaimKind::strict_local_min)
            fail("syntax", kw.loc, "'along' gives a curve to local_min and strict_local_min claims only");
        if (c.radius) fail("syntax", kw.loc, "'along' takes a point claim, not a box (`within`)");
        for (;;) {
            const Token d = in_.expect(Tok::ident, "a direction name");
            if (c.along.size() == max_along_directions)
                fail("bad-value", d.loc,
                     "'along' takes at most " + std::to_string(max_along_directions) + " directions (the curve's degree)");
            c.along.push_back(d.text);
            c.along_locs.push_back(d.loc);
            if (!in_.at(Tok::comma)) break;
            in_.take();
        }
    }

    // `within R`: a nonnegative exact radius (max-norm) of the box around the claim's point.
    void within(syntax::Claim& c) {
        in_.take();
        const SourceLoc at = in_.peek().loc;
        c.radius_begin = at.offset;
        c.radius = parse_expr(in_);
        c.radius_end = in_.last_end();
        if (*c.radius < 0) fail("bad-value", at, "a box radius must be >= 0, found " + number_text(*c.radius));
    }

    // `[a, b]`, where a may be `-inf` and b may be `inf` (not both).
    void range(syntax::Claim& c) {
        const SourceLoc at = in_.expect(Tok::lbracket, "'[' starting the range [a, b]").loc;
        c.range = true;
        if (in_.at(Tok::minus) && in_.peek_next().kind == Tok::ident && in_.peek_next().text == "inf") {
            in_.take();
            in_.take();
        } else {
            c.lower = parse_expr(in_);
        }
        in_.expect(Tok::comma, "',' between the ends of the range");
        if (in_.at_word("inf")) in_.take();
        else c.upper = parse_expr(in_);
        in_.expect(Tok::rbracket, "']' closing the range");
        if (!c.lower && !c.upper) fail("bad-value", at, "the range [-inf, inf] claims nothing: give a finite end");
    }

    // The source from byte `begin` to the end of the last token taken, without comments, every run of
    // blanks one space: how a claim is shown in reports.
    std::string written(std::size_t begin) const {
        const std::size_t end = in_.last_end();
        std::string out;
        bool blank = false;
        for (std::size_t i = begin; i < end && i < text_.size(); ++i) {
            char ch = text_[i];
            if (ch == '#') {
                while (i < end && text_[i] != '\n') ++i;
                ch = ' ';
            }
            if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
                blank = true;
                continue;
            }
            if (blank && !out.empty()) out += ' ';
            blank = false;
            out += ch;
        }
        return out;
    }

    Cursor& in_;
    const std::string& text_;
    std::unordered_set<std::string> point_names_;  // for the `duplicate` check without a scan per point
};

}  // namespace

std::string claim_keyword(ClaimKind k) {
    for (const auto& [word, kind] : claim_kinds)
        if (kind == k) return word;
    return "?";
}

syntax::File parse_syntax(const std::string& text, const std::string& filename) {
    check_text(text, filename);
    Cursor in(Lexer(text, {filename, 1, 1}));
    in.enable_view_rule();
    return Parser(in, text).file();
}

}  // namespace nncert::script
