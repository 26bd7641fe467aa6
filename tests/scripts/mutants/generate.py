#!/usr/bin/env python3
"""Writes the one-token mutants of the proof scripts under proofs/ into this folder.

Each mutant changes one token of a good script (a weight off by 1/1000, a wrong value, a reversed gap,
a dropped `not`). The expected verdicts in each mutant's header were produced by running the checker
and then reviewed by hand; this script refuses to write a mutant whose targeted claim is still
certified, so a mutant can never silently stop testing anything.
Usage (from the repository root, after building): python3 tests/scripts/mutants/generate.py [NAME ...]
(only the named mutants when names are given)
"""
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[3]
HERE = pathlib.Path(__file__).resolve().parent
BINARY = ROOT / "build" / "nncert"

# (source, mutant name, old text, new text, the claim (as written) the mutation must break)
MUTANTS = [
    ("proofs/traps/one-unit.nnc", "one-unit-corner-1e-6", "  b1 in [1.207121, inf]", "  b1 in [1.207120, inf]", "trap bad in corner"),
    # The face b2 = 0.051 moved to 0.050795, 1.6e-6 below trained's b2: trained leaves R. max_boxes 25000 (the Hessian
    # cover still fits) only shortens the inconclusive no-minimum search of `local_min` (48 s -> 5 s in release).
    ("proofs/traps/trained-sigmoid221.nnc", "trained-sigmoid221-face", "  b2[1] in [0.0506, 0.051]\n}\n", "  b2[1] in [0.0506, 0.050795]\n}\n\nmax_boxes 25000\n", "trap trained in trained_trap"),
    ("proofs/traps/trained-sigmoid221.nnc", "trained-sigmoid221-loss-1e-6", "claim loss trained_trap in [0.166, inf]", "claim loss trained_trap in [0.166106, inf]", "loss trained_trap in [83053/500000, inf]"),
    ("proofs/traps/trained-tanh231.nnc", "trained-tanh231-descent-cut", "  b2 = [1.38666561598214956145725010315]", "  b2 = [1.38666561598214956145725010315 + 1/1000]", "trap trained in basin"),
    # Plain-training traps (no weight decay): a face moved 1e-6 past `trained` (it leaves R), a cube that cuts the
    # descent path (radius 1e-12, far inside the 2 |g| / lambda ~ 2e-9 the faces need: the gradient leaves it), and a
    # loss bound slightly above L(trained) (refuted at trained itself).
    ("proofs/traps/plain-tanh221-bce.nnc", "plain-tanh221-bce-face-1e-6", "  around trained radius 9.2e-9\n}", "  around trained radius 9.2e-9\n  b2[1] in [-1.0431387091640492 - 1e-6 - 9.2e-9, -1.0431387091640492 - 1e-6]\n}", "trap trained in trained_trap"),
    ("proofs/traps/plain-tanh221-bce.nnc", "plain-tanh221-bce-descent-cut", "  around trained radius 9.2e-9\n}", "  around trained radius 1e-12\n}\n\nmax_boxes 2000", "trap trained in trained_trap"),
    ("proofs/traps/plain-tanh221-bce.nnc", "plain-tanh221-bce-loss-high", "claim loss trained_trap in [0.438991905395, inf]", "claim loss trained_trap in [0.4389919053957, inf]", "loss trained_trap in [4389919053957/10000000000000, inf]"),
    ("proofs/traps/plain-tanh221-mse.nnc", "plain-tanh221-mse-face-1e-6", "  around trained radius 8.5e-10\n}", "  around trained radius 8.5e-10\n  W1[1,1] in [1.8924342559061353 + 1e-6, 1.8924342559061353 + 1e-6 + 8.5e-10]\n}", "trap trained in trained_trap"),
    ("proofs/traps/plain-tanh221-mse.nnc", "plain-tanh221-mse-loss-high", "claim loss trained_trap in [2.70386382e-6, inf]", "claim loss trained_trap in [2.7038639e-6, inf]", "loss trained_trap in [27038639/10000000000000, inf]"),
    ("proofs/traps/plain-sigmoid221-mse.nnc", "plain-sigmoid221-mse-descent-cut", "  around trained radius 5.4e-7\n}", "  around trained radius 1e-11\n}\n\nmax_boxes 2000", "trap trained in trained_trap"),
    ("proofs/traps/plain-sigmoid221-mse.nnc", "plain-sigmoid221-mse-loss-high", "claim loss trained_trap in [2.70386382e-6, inf]", "claim loss trained_trap in [2.7038639e-6, inf]", "loss trained_trap in [27038639/10000000000000, inf]"),
    # The axis-plateau partial result (issue 9): a lower bound above the limit loss G* = 3.78333 (approached at
    # infinity, never attained) is refuted by a sample point; a `better` pushed to loss ~10 is no longer beaten.
    ("proofs/paper/theorem1-sigmoid-axis-plateau.nnc", "theorem1-sigmoid-axis-plateau-loss", "claim loss plateau in [3.5, inf]", "claim loss plateau in [3.79, inf]", "loss plateau in [379/100, inf]"),
    ("proofs/paper/theorem1-sigmoid-axis-plateau.nnc", "theorem1-sigmoid-axis-plateau-gap", "  b2 = [-12.8469]", "  b2 = [-12.8469 + 20]", "gap plateau > better"),
    ("proofs/paper/example1.nnc", "example1-weight", "  W1 = [[1]]\n  b1 = [-3]", "  W1 = [[1001/1000]]\n  b1 = [-3]", "local_min bad"),
    ("proofs/paper/example1.nnc", "example1-loss", "claim loss good = 14", "claim loss good = 15", "loss good = 15"),
    ("proofs/paper/example1.nnc", "example1-gap", "claim gap bad > good", "claim gap good > bad", "gap good > bad"),
    ("proofs/paper/example1.nnc", "example1-kink", "claim not kink_free bad", "claim kink_free bad", "kink_free bad"),
    ("proofs/paper/example1.nnc", "example1-strict", "claim not strict_local_min bad_rescaled", "claim strict_local_min bad_rescaled", "strict_local_min bad_rescaled"),
    ("proofs/paper/example2.nnc", "example2-bias", "  b1 = [4 + 1/3, -10]", "  b1 = [4 + 1/3 + 1/1000, -10]", "local_min local"),
    ("proofs/paper/example2.nnc", "example2-loss", "claim loss local = 8/3", "claim loss local = 8/5", "loss local = 8/5"),
    ("proofs/paper/example2-as-printed.nnc", "example2-as-printed-critical", "claim not critical printed_global", "claim critical printed_global", "critical printed_global"),
    ("proofs/paper/example2-as-printed.nnc", "example2-as-printed-local-min", "claim not local_min printed_local", "claim local_min printed_local", "local_min printed_local"),
    ("proofs/paper/example3.nnc", "example3-bias", "  b2 = [-1]", "  b2 = [-1 + 1/1000]", "local_min better"),
    ("proofs/paper/example3.nnc", "example3-gap", "claim gap worse > better", "claim gap better > worse", "gap better > worse"),
    ("proofs/paper/example3.nnc", "example3-weight", "  W1 = [[-2], [1], [1]]", "  W1 = [[-2], [1], [1001/1000]]", "local_min worse"),
    ("proofs/exact/cubic-unit.nnc", "cubic-unit-bias", "  b1 = [-1]\n}\n\npoint saddle", "  b1 = [-1 + 1/1000]\n}\n\npoint saddle", "strict_local_min bad_min"),
    ("proofs/exact/cubic-unit.nnc", "cubic-unit-saddle", "claim not strict_local_min saddle", "claim strict_local_min saddle", "strict_local_min saddle"),
    ("proofs/exact/cubic-unit.nnc", "cubic-unit-local-min", "claim not local_min saddle", "claim local_min saddle", "local_min saddle"),
    ("proofs/flat/deep-relu-affine-min.nnc", "deep-relu-affine-min-weight", "  W3 = [[2/3, 0]]\n  b3 = [0]\n}\n\npoint global", "  W3 = [[2/3 + 1/1000, 0]]\n  b3 = [0]\n}\n\npoint global", "local_min p"),
    ("proofs/flat/deep-relu-affine-min.nnc", "deep-relu-affine-min-bias", "  b1 = [3, 3]", "  b1 = [3, 3 + 1/1000]", "local_min p"),
    ("proofs/flat/deep-relu-affine-min.nnc", "deep-relu-affine-min-strict", "claim not strict_local_min p", "claim strict_local_min p", "strict_local_min p"),
    ("proofs/flat/deep-linear-cubic-saddle.nnc", "deep-linear-cubic-saddle-min", "claim not local_min o  ", "claim local_min o  ", "local_min o"),
    ("proofs/flat/deep-linear-cubic-saddle.nnc", "deep-linear-cubic-saddle-hint", "claim not local_min o along d", "claim local_min o along d", "local_min o along d"),
    ("proofs/gallery/yun-sra-jadbabaie-theorem2-sigmoid.nnc", "yun-theorem2-bias", "  b2 = [-0.054811010058779343355778283542433597]", "  b2 = [-0.054811010058779343355778283542433597 + 1/1000]", "local_min hat within 1/1000000"),
    ("proofs/gallery/yun-sra-jadbabaie-theorem2-sigmoid.nnc", "yun-theorem2-label", "  1/2, 1/2 -> 1", "  1/2, 1/2 -> 1001/1000", "local_min hat within 1/1000000"),
    ("proofs/gallery/fukumizu-amari-duplicated-tanh.nnc", "fukumizu-amari-copies", "  W1 = [[1.0032918698810802462944376442773183], [1.0032918698810802462944376442773183]]\n  b1 = [1.5018036553908026366594704340975478, 1.5018036553908026366594704340975478]\n  W2 = [[0.9994464567546544279949295897190767 / 2,", "  W1 = [[1.0032918698810802462944376442773183], [1.0032918698810802462944376442773183 + 1/1000]]\n  b1 = [1.5018036553908026366594704340975478, 1.5018036553908026366594704340975478]\n  W2 = [[0.9994464567546544279949295897190767 / 2,", "local_min half within 1/10000000000"),
    ("proofs/gallery/baldi-hornik-autoencoder.nnc", "baldi-hornik-tilt", "  W1 = [[1, 0]]", "  W1 = [[1, 1/1000]]", "local_min pca"),
    ("proofs/exact/linear-classifier.nnc", "linear-classifier-accuracy", "claim accuracy lean = 3/5", "claim accuracy lean = 4/5", "accuracy lean = 4/5"),
    ("proofs/paper/section4-depth2-1d.nnc", "section4-depth2-1d-gap", "claim gap dead_mean > bump", "claim gap bump > dead_mean", "gap bump > dead_mean"),
    ("proofs/paper/section4-depth2-1d.nnc", "section4-depth2-1d-loss", "claim loss bump = 230/9", "claim loss bump = 230/9 + 1/1000", "loss bump = 230009/9000"),
    ("proofs/paper/section4-depth2-1d.nnc", "section4-depth2-1d-mean-off", "  b2 = [6/11]\n}\n\npoint dead_off", "  b2 = [6/11 + 1/1000]\n}\n\npoint dead_off", "local_min dead_mean"),
    ("proofs/paper/section4-depth2-1d.nnc", "section4-depth2-1d-off-min", "claim not local_min dead_off", "claim local_min dead_off", "local_min dead_off"),
    ("proofs/paper/section4-depth3-2d.nnc", "section4-depth3-2d-gap", "claim gap dead_mean > bump", "claim gap bump > dead_mean", "gap bump > dead_mean"),
    ("proofs/paper/section4-depth3-2d.nnc", "section4-depth3-2d-loss", "claim loss bump = 310/11", "claim loss bump = 310/11 + 1/1000", "loss bump = 310011/11000"),
    ("proofs/paper/section4-depth3-2d.nnc", "section4-depth3-2d-mean-off", "  b3 = [0]\n}\n\npoint dead_off", "  b3 = [0 + 1/1000]\n}\n\npoint dead_off", "local_min dead_mean"),
    ("proofs/paper/section4-depth3-2d.nnc", "section4-depth3-2d-off-min", "claim not local_min dead_off", "claim local_min dead_off", "local_min dead_off"),
    ("proofs/paper/section4-depth5-1d.nnc", "section4-depth5-1d-gap", "claim gap dead_mean > bump", "claim gap bump > dead_mean", "gap bump > dead_mean"),
    ("proofs/paper/section4-depth5-1d.nnc", "section4-depth5-1d-loss", "claim loss bump = 399/22", "claim loss bump = 399/22 + 1/1000", "loss bump = 199511/11000"),
    ("proofs/paper/section4-depth5-1d.nnc", "section4-depth5-1d-mean-off", "  b5 = [-37/12]\n}\n\npoint dead_off", "  b5 = [-37/12 + 1/1000]\n}\n\npoint dead_off", "local_min dead_mean"),
    ("proofs/paper/section4-depth5-1d.nnc", "section4-depth5-1d-off-min", "claim not local_min dead_off", "claim local_min dead_off", "local_min dead_off"),
    ("proofs/paper/section4-depth5-2d.nnc", "section4-depth5-2d-gap", "claim gap dead_mean > bump", "claim gap bump > dead_mean", "gap bump > dead_mean"),
    ("proofs/paper/section4-depth5-2d.nnc", "section4-depth5-2d-loss", "claim loss bump = 82/5", "claim loss bump = 82/5 + 1/1000", "loss bump = 16401/1000"),
    ("proofs/paper/section4-depth5-2d.nnc", "section4-depth5-2d-mean-off", "  b5 = [-3/2]\n}\n\npoint dead_off", "  b5 = [-3/2 + 1/1000]\n}\n\npoint dead_off", "local_min dead_mean"),
    ("proofs/paper/section4-depth5-2d.nnc", "section4-depth5-2d-off-min", "claim not local_min dead_off", "claim local_min dead_off", "local_min dead_off"),
    ("proofs/paper/section4-depth5-1d.nnc", "section4-depth5-1d-clip", "b2 = [1, -1]", "b2 = [-1, -1]", "loss bump = 399/22"),
    ("proofs/paper/section4-depth5-2d.nnc", "section4-depth5-2d-clip", "b2 = [1, -1, -1]", "b2 = [-1, -1, -1]", "loss bump = 82/5"),
    ("proofs/paper/theorem1.nnc", "theorem1-centre", "  b2 = [-0.24635532377916712998]", "  b2 = [-0.24635532377916712998 + 1/1000]", "strict_local_min bad within 1/10000000000"),
    ("proofs/paper/theorem1.nnc", "theorem1-accuracy", "claim accuracy bad within 1e-10 = 5/10", "claim accuracy bad within 1e-10 = 6/10", "accuracy bad within 1/10000000000 = 3/5"),
    ("proofs/paper/theorem1.nnc", "theorem1-gap", "claim gap bad within 1e-10 > better", "claim gap better within 1e-10 > bad", "gap better within 1/10000000000 > bad"),
    ("proofs/paper/theorem1-n9.nnc", "theorem1-n9-centre", "  b2 = [1.0522627424116531953]", "  b2 = [1.0522627424116531953 + 1/1000]", "strict_local_min bad within 1/10000000000"),
    ("proofs/paper/theorem1-n8.nnc", "theorem1-n8-accuracy", "claim accuracy bad within 1e-10 = 6/8", "claim accuracy bad within 1e-10 = 7/8", "accuracy bad within 1/10000000000 = 7/8"),
    ("proofs/smooth/sigmoid-min.nnc", "sigmoid-min-centre", "  W1 = [[-6.08904481197587524751956735283]]", "  W1 = [[-6.08804481197587524751956735283]]", "strict_local_min bad within 1/10000"),
    ("proofs/smooth/sigmoid-min.nnc", "sigmoid-min-loss", "claim loss bad within 1e-4 in [0.5937, 0.5938]", "claim loss bad within 1e-4 in [0.5938, 0.6]", "loss bad within 1/10000 in [2969/5000, 3/5]"),
    ("proofs/smooth/tanh-min.nnc", "tanh-min-centre", "  b1 = [-2.49519873401263812449567279136]", "  b1 = [-2.49419873401263812449567279136]", "strict_local_min bad within 1/10000"),
    ("proofs/smooth/tanh-min.nnc", "tanh-min-gap", "claim gap bad within 1e-4 > good", "claim gap good within 1e-4 > bad", "gap good within 1/10000 > bad"),
    ("proofs/exact/linear-classifier.nnc", "linear-classifier-pd", "  W1 = [[0, 1]]", "  W1 = [[1/1000, 1]]", "critical fit"),
    ("proofs/losses/half-sse.nnc", "half-sse-loss", "\nloss sse/2\n", "\nloss sse\n", "loss bad = 9"),
    ("proofs/losses/weights.nnc", "weights-row", "  -1 -> 3 weight 2", "  -1 -> 3 weight 1", "local_min bad"),
    ("proofs/losses/weight-decay.nnc", "weight-decay-lambda", "loss sse + l2(1/10)", "loss sse + l2(1/100)", "critical ridge"),
    ("proofs/losses/nobias.nnc", "nobias-slope", "  W2 = [[7/5]]", "  W2 = [[7/5 + 1/1000]]", "local_min fit"),
    ("proofs/segments/example1-segment.nnc", "segment-example1-height", "claim barrier bad good > 4999/1000", "claim barrier bad good > 5", "barrier bad good > 5"),
    ("proofs/segments/example1-segment.nnc", "segment-example1-not", "claim not barrier bad good > 5 ", "claim not barrier bad good > 4999/1000 ", "not barrier bad good > 4999/1000"),
    ("proofs/segments/deep-relu-irrational.nnc", "segment-deep-target", "data {\n  1 -> 0", "data {\n  1 -> 1", "monotone Q P"),
    ("proofs/segments/deep-relu-irrational.nnc", "segment-deep-barrier", "claim not barrier P Q > 0", "claim barrier P Q > 0", "barrier P Q > 0"),
    ("proofs/segments/sigmoid-segment.nnc", "segment-sigmoid-height", "claim barrier bad good > 3/20", "claim barrier bad good > 16/100", "barrier bad good > 4/25"),
    ("proofs/segments/sigmoid-segment.nnc", "segment-sigmoid-direction", "claim monotone ridge down", "claim monotone down ridge", "monotone down ridge"),
    ("proofs/segments/leaky-poly.nnc", "segment-leaky-poly", "claim not monotone B A", "claim monotone B A", "monotone B A"),
    ("proofs/losses/cross-entropy.nnc", "cross-entropy-lambda", "loss cross_entropy + l2(1/100)", "loss cross_entropy + l2(1/50)", "strict_local_min trained within 1/10000000000"),
    ("proofs/generalized/swap-d2.nnc", "generalized-swap-d2-bias", "  b2 = [1]\n}\n\npoint better", "  b2 = [1 + 1/1000]\n}\n\npoint better", "local_min bad"),
    ("proofs/generalized/swap-d2.nnc", "generalized-swap-d2-gap", "claim gap bad > better", "claim gap better > bad", "gap better > bad"),
    ("proofs/generalized/swap-d2.nnc", "generalized-swap-d2-strict", "claim not strict_local_min bad", "claim strict_local_min bad", "strict_local_min bad"),
    ("proofs/generalized/swap-d2.nnc", "generalized-swap-d2-kink", "claim not kink_free bad", "claim kink_free bad", "kink_free bad"),
    ("proofs/generalized/swap-d3.nnc", "generalized-swap-d3-loss", "claim loss bad = 7735/54", "claim loss bad = 7735/53", "loss bad = 7735/53"),
    ("proofs/generalized/swap-d3.nnc", "generalized-swap-d3-copy", "  W2 = [[1, 1/2, 1/2, 1, 1]]", "  W2 = [[1, 1/2, 1/2 + 1/1000, 1, 1]]", "local_min bad"),
    ("proofs/generalized/swap-d5.nnc", "generalized-swap-d5-label", "  -1, -4, -16, 7, 2 -> 1416", "  -1, -4, -16, 7, 2 -> 1417", "local_min bad"),
    ("proofs/generalized/blind-spot-d2.nnc", "generalized-blind-spot-d2-bias", "  b2 = [2]", "  b2 = [2 + 1/1000]", "local_min bad"),
    ("proofs/generalized/blind-spot-d3.nnc", "generalized-blind-spot-d3-fold", "  W2 = [[4, 1]]", "  W2 = [[4 + 1/1000, 1]]", "loss better = 0"),
    ("proofs/generalized/blind-spot-d5.nnc", "generalized-blind-spot-d5-kink", "claim kink_free bad", "claim not kink_free bad", "not kink_free bad"),
    ("proofs/generalized/blind-spot-d2.nnc", "generalized-blind-spot-d2-spot", "claim not blind_spot bad", "claim blind_spot bad", "blind_spot bad"),
    ("proofs/generalized/blind-spot-d3.nnc", "generalized-blind-spot-d3-spot", "claim blind_spot better", "claim not blind_spot better", "not blind_spot better"),
    ("proofs/paper/example2.nnc", "example2-blind-spot", "claim not blind_spot local", "claim blind_spot local", "blind_spot local"),
    ("proofs/generalized/swap-deep-d3.nnc", "generalized-swap-deep-d3-bias", "  b3 = [-4]", "  b3 = [-4 + 1/1000]", "local_min bad"),
    ("proofs/generalized/blind-spot-deep-d2.nnc", "generalized-blind-spot-deep-d2-mix", "  W3 = [[-1/3, -1/3]]", "  W3 = [[-1/3, -1/3 + 1/1000]]", "local_min bad"),
    ("proofs/gallery/brady-raghavan-slawny.nnc", "brady-raghavan-slawny-centre", "  W1 = [[1.08193594954887892542736505908,", "  W1 = [[1.08193594954887892542736505908 + 1/1000000,", "strict_local_min fit within 1/100000000"),
    ("proofs/gallery/brady-raghavan-slawny.nnc", "brady-raghavan-slawny-label", "  14/5, 2 -> 1/10\n", "  14/5, 2 -> 9/10\n", "accuracy fit within 1/10000 = 301/302"),
    ("proofs/gallery/brady-raghavan-slawny.nnc", "brady-raghavan-slawny-sublevel", "claim accuracy fit in wide <= 301/302", "claim accuracy fit in wide <= 150/151", "accuracy fit in wide <= 150/151"),
    ("proofs/gallery/sontag-sussmann.nnc", "sontag-sussmann-centre", "  b1 = [1.61952162834978423265785747213]", "  b1 = [1.61952162834978423265785747213 + 1/1000000]", "strict_local_min spurious within 1/100000000"),
    ("proofs/gallery/sontag-sussmann.nnc", "sontag-sussmann-label", "  -3/2, -2 -> 9/10", "  -3/2, -2 -> 1/10", "accuracy spurious within 1/10000 = 31/32"),
    ("proofs/gallery/sontag-sussmann.nnc", "sontag-sussmann-gap", "claim gap spurious within 1e-4 > better", "claim gap better within 1e-4 > spurious", "gap better within 1/10000 > spurious"),
]


def run(path):
    proc = subprocess.run([str(BINARY), "check", "--json", str(path)], capture_output=True, text=True)
    return proc.returncode, json.loads(proc.stdout)


def main():
    only = set(sys.argv[1:])  # mutant names to (re)write; all of them when none are given
    for source, name, old, new, target in MUTANTS:
        if only and name not in only:
            continue
        text = (ROOT / source).read_text()
        if text.count(old) != 1:
            sys.exit(f"{name}: the text to mutate must occur exactly once in {source}")
        body = text.replace(old, new)
        out = HERE / f"{name}.nnc"
        out.write_text(body)
        code, doc = run(out)
        claims = doc["scripts"][0]["claims"]
        verdicts = {c["claim"]: c["verdict"] for c in claims}
        if verdicts.get(target) in (None, "certified"):
            out.unlink()
            sys.exit(f"{name}: the targeted claim '{target}' is {verdicts.get(target)}: not a useful mutant")
        flat = lambda t: " / ".join(line.strip() for line in t.strip().splitlines())
        header = (f"# expect-exit: {code}\n"
                  f"# expect-verdicts: {' '.join(c['verdict'] for c in claims)}\n"
                  f"# Mutant of {source}: '{flat(old)}' -> '{flat(new)}' breaks '{target}'.\n")
        out.write_text(header + body)
        print(f"{out.relative_to(ROOT)}: exit {code}, '{target}' {verdicts[target]}")


if __name__ == "__main__":
    main()
