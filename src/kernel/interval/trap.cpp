// Trap faces by branch and bound, and the "no local minimum in a box" search. Every decision rests on
// loss_assessor (loss_bound.cpp), the one-layer bounds (one_layer.cpp) or on interval gradients and box
// definiteness; nothing here rounds.
#include "kernel/interval/trap.hpp"

#include "kernel/detail/mint.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/box_definiteness.hpp"
#include "kernel/interval/one_layer.hpp"
#include "kernel/interval/ray_chart.hpp"

#include <algorithm>
#include <atomic>
#include <ctime>
#include <stdexcept>
#include <thread>

namespace nncert::kernel::detail {

std::vector<std::string> parameter_names(const Network& net) {
    const ParamNames name(net);
    std::vector<std::string> names;
    names.reserve(name.size());
    for (std::size_t k = 0; k < name.size(); ++k) names.push_back(name(k));
    return names;
}

Value region_value(const Network& net, const Box& r) {
    const ParamNames name(net);
    Object o;
    for (std::size_t k = 0; k < r.size(); ++k)
        o.emplace_back(name(k), List{r[k].lo ? Value(*r[k].lo) : Value("-inf"),
                                               r[k].hi ? Value(*r[k].hi) : Value("+inf")});
    return o;
}

std::vector<Face> boundary_faces(const Box& r, const std::optional<Rational>& layer) {
    std::vector<Face> faces;
    for (std::size_t k = 0; k < r.size(); ++k) {
        if (r[k].lo) {
            Face f{k, false, *r[k].lo, r};
            Rational top = layer ? Rational(*r[k].lo + *layer) : *r[k].lo;
            if (r[k].hi && top > *r[k].hi) top = *r[k].hi;
            f.box[k].hi = top;
            faces.push_back(std::move(f));
        }
        if (r[k].hi) {
            Face f{k, true, *r[k].hi, r};
            Rational bottom = layer ? Rational(*r[k].hi - *layer) : *r[k].hi;
            if (r[k].lo && bottom < *r[k].lo) bottom = *r[k].lo;
            f.box[k].lo = bottom;
            faces.push_back(std::move(f));
        }
    }
    return faces;
}

std::string face_name(const Network& net, const Face& f, const std::optional<Rational>& layer) {
    const std::string where = net.param_name(f.coordinate) + " = " + to_string(f.end) +
                              (f.upper ? " (upper end of its range)" : " (lower end of its range)");
    if (!layer) return "the face " + where;
    return "the layer of thickness " + to_string(*layer) + " inside the face " + where;
}

void add_search_stats(Object& ev, const BranchBoundResult& s, const Options& opt) {
    ev.emplace_back("boxes", s.boxes);
    ev.emplace_back("leaves", s.leaves);
    ev.emplace_back("depth", s.max_depth);
    ev.emplace_back("milliseconds", static_cast<long long>(s.milliseconds));
    ev.emplace_back("max_boxes", opt.max_boxes);
    if (const std::string why = stop_name(s); !why.empty()) ev.emplace_back("stopped_by", why);
}

long long thread_cpu_microseconds() {
    timespec ts{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;  // statistics only
    return static_cast<long long>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

unsigned trap_search_threads(const Options& opt) {
    const unsigned all = std::max(1u, std::thread::hardware_concurrency());
    return static_cast<unsigned>(std::min<std::size_t>(opt.threads ? opt.threads : all, trap_search_max_threads));
}

BranchBoundLimits region_search_limits(const Options& opt, std::string stage) {
    BranchBoundLimits limits{opt.max_boxes, &opt.progress, std::move(stage), opt.deadline};
    limits.batch = trap_search_batch;
    limits.threads = trap_search_threads(opt);
    return limits;
}

BranchBoundLimits nested_search_limits(const Options& opt, std::size_t budget, std::string stage) {
    return {std::min(budget, opt.max_boxes / 16 + 1), nullptr, std::move(stage), opt.deadline};
}

void search_trap_faces(const Problem& pb, const std::vector<Face>& faces, const std::optional<Rational>& layer,
                       const LossObligation& ob, const Options& opt, TrapResult& res, bool inherit_reductions) {
    // Each face is covered exactly by ray-chart boxes (ray_chart.hpp): a face where some unit has two unbounded
    // incoming weights is searched in (scale, ratio) coordinates, any other face as it is. The chart group of a
    // root travels with its boxes as one extra degenerate coordinate, which no bisection touches.
    // Without a hidden layer, faces in weight coordinates use the one-layer contraction and bound (the run's bound
    // is then reported capped at L(P)+).
    const std::optional<OneLayer> one_layer = OneLayer::of(pb);
    const std::size_t n = pb.net.num_params();
    std::vector<Box> roots;
    std::vector<std::size_t> root_face;
    std::vector<std::vector<RayChart>> groups;
    std::vector<ContextAssessor> assessors;
    res.per_face.resize(faces.size());
    for (std::size_t fi = 0; fi < faces.size(); ++fi) {
        res.per_face[fi].name = face_name(pb.net, faces[fi], layer);
        for (std::vector<ChartRoot> cover = chart_cover(pb.net, faces[fi].box); ChartRoot& cr : cover) {
            // A root of a charted face without charts of its own (every unit there has at most one far range) is
            // searched by the chart assessor too when the network has one hidden layer: its output-layer
            // reduction and split rule serve those roots as well.
            const bool charted = !cr.charts.empty() || (pb.net.layers.size() == 2 && cover.size() > 1);
            if (!charted) {
                BoxAssessor plain = lower_bound_assessor(pb, one_layer, ob);
                assessors.push_back([plain](const Box& b, const BoxContext&) { return plain(b); });
            } else if (inherit_reductions) {
                assessors.push_back(chart_loss_context_assessor(pb, cr.charts, ob));
            } else {
                BoxAssessor scratch = chart_loss_assessor(pb, cr.charts, ob);
                assessors.push_back([scratch](const Box& b, const BoxContext&) { return scratch(b); });
            }
            const Rational id(static_cast<long>(groups.size()));
            groups.push_back(std::move(cr.charts));
            cr.box.push_back(Range{id, id});
            roots.push_back(std::move(cr.box));
            root_face.push_back(fi);
            ++res.per_face[fi].roots;
            ++res.per_face[fi].open;
        }
    }
    const auto group_of = [n](const Box& b) { return static_cast<std::size_t>(numerator(*b[n].lo)); };
    // The boxes of a round are assessed on several threads (trap_search_threads): the assessor only reads, and
    // adds its thread's CPU time to its face (a statistic, atomic); the counts are taken by the driver's observer,
    // in the run's order, on this thread.
    std::vector<std::atomic<long long>> cpu(faces.size());
    const ContextAssessor assess = [&](const Box& b, const BoxContext& context) {
        const std::size_t gid = group_of(b);
        const long long t0 = thread_cpu_microseconds();
        BoxAssessment a = assessors[gid](Box(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n)), context);
        cpu[root_face[gid]].fetch_add(thread_cpu_microseconds() - t0, std::memory_order_relaxed);
        if (a.replacement) a.replacement->push_back(b[n]);
        return a;
    };
    const auto observe = [&](const Box& b, const BoxAssessment& a) {
        FaceStats& fs = res.per_face[root_face[group_of(b)]];
        ++fs.boxes;
        --fs.open;
        if (a.fate == BoxAssessment::Fate::split) fs.open += a.replacement ? 1 : 2;  // what the driver pushes
        if (a.fate == BoxAssessment::Fate::settled) {
            ++fs.leaves;
            fs.settled_low = fs.settled_low ? lowest(*fs.settled_low, a.bound) : a.bound;
        }
    };
    BranchBoundLimits limits{opt.max_boxes, &opt.progress, "trap faces", opt.deadline};
    limits.batch = trap_search_batch;
    limits.threads = trap_search_threads(opt);
    limits.observe = observe;
    res.search = branch_and_bound(roots, assess, limits);
    for (std::size_t fi = 0; fi < faces.size(); ++fi) res.per_face[fi].cpu_microseconds = cpu[fi].load();
    if (one_layer) res.search.bound = capped_bound(res.search.bound, ob.threshold);
    // A box the driver could not bisect ended the run as one open box, not the two parts counted for it above.
    if (res.search.stop == BranchBoundResult::Stop::indivisible && res.search.root < root_face.size())
        --res.per_face[root_face[res.search.root]].open;
    res.charted_roots = 0;
    for (const auto& gch : groups) res.charted_roots += gch.empty() ? 0 : 1;
    if (res.search.root < root_face.size()) res.search.root = root_face[res.search.root];  // no roots: no face
    if (res.search.box.size() == n + 1) {
        const std::size_t gid = group_of(res.search.box);
        res.search.box.pop_back();
        res.search.box = chart_box_hull(groups[gid], res.search.box);
    }
}

TrapResult check_trap_faces(const Problem& pb, const Point& p, const Box& r, const std::optional<Rational>& layer,
                            const Options& opt) {
    validate_box(r, pb.net.num_params());
    if (layer && *layer <= 0) throw std::invalid_argument("a boundary layer must be thicker than 0");
    TrapResult res;
    for (std::size_t k = 0; k < r.size(); ++k) {
        if (r[k].interior(p.params[k])) continue;
        res.outcome = TrapOutcome::refuted;
        res.witness = Object{{"result", "P is not in the interior of R: every neighbourhood of P leaves R"},
                             {"parameter", pb.net.param_name(k)},
                             {"value_at_point", p.params[k]},
                             {"range", to_string(r[k])}};
        return res;
    }
    if (layer)
        for (std::size_t k = 0; k < r.size(); ++k) {
            const bool low = r[k].lo && p.params[k] <= *r[k].lo + *layer;
            const bool high = r[k].hi && p.params[k] >= *r[k].hi - *layer;
            if (!low && !high) continue;
            res.outcome = TrapOutcome::refuted;
            res.witness = Object{{"result", "P itself lies in the boundary layer, where the loss must exceed L(P)"},
                                 {"parameter", pb.net.param_name(k)},
                                 {"value_at_point", p.params[k]},
                                 {"range", to_string(r[k])},
                                 {"layer", *layer}};
            return res;
        }
    res.at_p = loss_at(pb, p.params);
    if (!res.at_p) {
        res.note = unenclosed_loss_reason(pb, p.params, p.name);
        return res;
    }
    const std::vector<Face> faces = boundary_faces(r, layer);
    res.faces = faces.size();
    if (bounded(r)) {
        ConvexityTrap ct = convexity_trap(pb, p.params, r, layer, opt);
        if (ct.sc.certified) {
            res.outcome = TrapOutcome::trapped;
            res.route = "strong-convexity";
            res.distance = ct.distance;
            res.convexity = std::move(ct.sc);
            return res;
        }
        res.convexity_note = ct.sc.note;
    } else {
        res.convexity_note = "R is unbounded";
    }
    LossObligation ob;
    ob.threshold = res.at_p->hi;  // L > L(P) for every value L(P) may have
    ob.strict = true;
    ob.refute = res.at_p->lo;     // L(theta) <= L(P) for every value: the boundary point does not clear L(P)
    ob.refute_strict = false;
    // P's projection onto each face first (P with the face's coordinate at the face's end, the nearest point of the
    // face to P): where descent from P crosses a face near P, it is often there, and a branch and bound that samples
    // only its boxes' middles may never meet it (review 17: a face b2 = -0.2 crossed by descent, INCONCLUSIVE after
    // 200,000 boxes while the projection had loss 2.3734 < L(P) = 2.4055). A witness is checked exactly
    // (loss_witness) as any other; one that fails only passes the face on to the search.
    bool projected = false;
    for (std::size_t fi = 0; fi < faces.size(); ++fi) {
        Vector theta = p.params;
        theta[faces[fi].coordinate] = faces[fi].end;
        if (!contains(faces[fi].box, theta)) continue;
        if (std::optional<Value> w = loss_witness(pb, theta, ob)) {
            res.search = BranchBoundResult{};
            res.search.outcome = BranchBoundResult::Outcome::refuted;
            res.search.root = fi;
            res.search.witness = std::move(*w);
            projected = true;
            break;
        }
    }
    if (res.search.outcome != BranchBoundResult::Outcome::refuted) search_trap_faces(pb, faces, layer, ob, opt, res);
    switch (res.search.outcome) {
        case BranchBoundResult::Outcome::proven:
            res.outcome = TrapOutcome::trapped;
            return res;
        case BranchBoundResult::Outcome::refuted: {
            res.outcome = TrapOutcome::refuted;
            // A layer's witness lies inside R, within the layer's thickness of a face (review r9-9, F1).
            Object w{{"result", layer ? "a point of R's boundary layer where the loss is <= L(P)"
                                      : "a point of R's boundary where the loss is <= L(P)"},
                     {"face", face_name(pb.net, faces[res.search.root], layer)}};
            if (projected) w.emplace_back("found_as", "P projected onto the face (P with that coordinate at the face's end)");
            if (const auto* o = std::get_if<Object>(&res.search.witness.data))
                for (const auto& kv : *o) w.push_back(kv);
            w.emplace_back("loss_at_P", Object{{"lower", res.at_p->lo}, {"upper", res.at_p->hi}});
            res.witness = std::move(w);
            return res;
        }
        case BranchBoundResult::Outcome::exhausted:
            break;
    }
    const Face& f = faces[res.search.root];
    res.note = "the loss on " + face_name(pb.net, f, layer) + " was not certified above L(" + p.name + ") <= " +
               to_string(res.at_p->hi) + " " + boxes_phrase(res.search) + " (best lower bound on " +
               (layer ? "the layer" : "the faces") + " so far: " +
               (res.search.bound.value ? to_string(*res.search.bound.value) : std::string("-inf")) +
               "); " + raise_phrase(res.search) + ", move that face outward (or to infinity where the loss keeps falling), or raise "
               "the precision";
    return res;
}

BranchBoundResult no_local_minimum(const Problem& pb, const Box& r, const Options& opt) {
    const BoxAssessor assess = [&pb](const Box& box) {
        BoxAssessment a;
        const IVector x = enclose(box);
        IVector g;
        try {
            g = gradient_enclosure(pb, x);
        } catch (const KinkStraddled&) {
            return a;  // no derivative across a kink: bisect
        }
        for (const Interval& gk : g)
            if (certainly_positive(gk) || certainly_negative(gk)) {
                a.fate = BoxAssessment::Fate::settled;  // no critical point in the box
                return a;
            }
        bool bounded = true;
        for (const Range& rk : box) bounded = bounded && rk.bounded();
        if (bounded) {
            try {
                if (analyze_box_definiteness(hessian_enclosure(pb, x), {}).kind == BoxDefiniteness::indefinite)
                    a.fate = BoxAssessment::Fate::settled;  // negative curvature along one direction everywhere
            } catch (const KinkStraddled&) {
            }
        }
        return a;
    };
    // Each box may cost a Hessian and an exact LDL^T: this refutation search gets a sixteenth of the budget.
    return branch_and_bound({r}, assess, {opt.max_boxes / 16 + 1, &opt.progress, "no local minimum", opt.deadline});
}

}  // namespace nncert::kernel::detail
