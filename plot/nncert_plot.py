#!/usr/bin/python3
"""Renders one figure from the numbers `nncert plot` exported (JSON, "nncert_plot": 1) with matplotlib.

Usage: nncert_plot.py DATA.json OUT.png|OUT.svg|OUT.pdf   (run by `nncert plot`; Debian python3-matplotlib)

Kinds (docs/plot.md): fits (1-D data and the fitted function of each point), regions (decision regions of a
2-D classifier per point), segment (the loss along P -> Q: float samples as a curve, the kernel's certified
enclosure on each sub-segment as a band), slice (the loss on a 2-D plane through a point), trap (a box's faces
with the certified lower bound of the loss on each vs L(P), and a slice with the box and the sublevel set).
Presentation only:
what is certified is the band's numbers, which nncert computed and rounded outward before writing them here.
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.patches  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

BLUE, RED, GREY = "#1f4e99", "#b22222", "#555555"
# Titles and labels carry script names and point names verbatim: never read them as mathtext ($...$).
matplotlib.rcParams["text.parse_math"] = False


def title_of(doc, default):
    # The script's file name as the reports show it (nncert's one escaper: controls and non-ASCII as \u{XXXX}),
    # so a confusable or multi-line name cannot pass for another in a figure; older exports lack script_shown.
    name = doc.get("script_shown") or os.path.basename(doc["script"])
    return doc.get("title") or f"{name}: {default}"


def fits_2d(doc):
    """2-D regression: per point, the output as colours over the window, the data in the same colours, the
    switching lines of the first layer's units, and the data points where every one of them is off."""
    panels = doc["panels"]
    fig, axes = plt.subplots(1, len(panels), figsize=(5.0 * len(panels) + 1.0, 4.6), squeeze=False)
    x1, x2 = np.array(doc["x1"]), np.array(doc["x2"])
    lo1, hi1, lo2, hi2 = doc["window"]
    xs = np.array([d["x"] for d in doc["data"]], dtype=float)
    ys = np.array([d["y"] for d in doc["data"]], dtype=float)
    inside = (xs[:, 0] >= lo1) & (xs[:, 0] <= hi1) & (xs[:, 1] >= lo2) & (xs[:, 1] <= hi2)
    outs = [np.array(p["output"], dtype=float) for p in panels]
    values = np.concatenate([o[np.isfinite(o)].ravel() for o in outs] + [ys[inside]])
    norm = matplotlib.colors.Normalize(vmin=values.min(), vmax=values.max() if values.max() > values.min() else values.min() + 1)
    for ax, panel, out in zip(axes[0], panels, outs):
        mesh = ax.pcolormesh(x1, x2, out, cmap="coolwarm", norm=norm, shading="auto")
        for i, line in enumerate(panel["lines"]):
            (w1, w2), b = line["w"], line["b"]
            if abs(w2) >= abs(w1) and w2 != 0:
                t = np.linspace(lo1, hi1, 200)
                ax.plot(t, -(w1 * t + b) / w2, color="k", lw=0.8, ls="--", label="unit switches (layer 1)" if i == 0 else None)
            elif w1 != 0:
                t = np.linspace(lo2, hi2, 200)
                ax.plot(-(w2 * t + b) / w1, t, color="k", lw=0.8, ls="--", label="unit switches (layer 1)" if i == 0 else None)
        ax.scatter(xs[inside, 0], xs[inside, 1], c=ys[inside], cmap="coolwarm", norm=norm, edgecolors="k", s=48,
                   zorder=5, label="data (colour: target)")
        # Few points in view: write each residual f(x) - y next to it (0: fitted exactly).
        if inside.sum() <= 30:
            for i in np.flatnonzero(inside):
                r = panel["residuals"][i]
                ax.annotate("0" if abs(r) < 1e-9 * max(1.0, abs(ys[i])) else f"{r:+.2g}", xs[i], fontsize=7,
                            textcoords="offset points", xytext=(6, 4))
        off = [i for i in panel.get("all_units_off", []) if inside[i]]
        if off:
            ax.scatter(xs[off, 0], xs[off, 1], facecolors="none", edgecolors="k", s=170, lw=1.4, zorder=6,
                       label="every unit off (blind spot)")
        ax.set_xlim(lo1, hi1)
        ax.set_ylim(lo2, hi2)
        ax.set_title(f"{panel['point']}: loss {panel['loss']}", fontsize=10)
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
        ax.legend(loc="lower left", fontsize=7)
    fig.colorbar(mesh, ax=axes[0].tolist(), label="output (background) and target (points)")
    fig.suptitle(title_of(doc, "data and the fitted function of each point"), fontsize=11)
    return fig


def fits(doc):
    if doc.get("dims") == 2:
        return fits_2d(doc)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    data = np.array(doc["data"], dtype=float)
    for curve in doc["curves"]:
        # "point NAME": matplotlib leaves out of the legend every label that starts with "_", and point
        # names may (`_bad`); a label led by a word always shows.
        ax.plot(curve["x"], curve["y"], lw=1.8, label=f"point {curve['point']} (loss {curve['loss']})")
    ax.scatter(data[:, 0], data[:, 1], c="k", s=36, zorder=5, label="data")
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    if "window" in doc:
        ax.set_xlim(doc["window"][0], doc["window"][1])
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(title_of(doc, "data and fitted functions"))
    return fig


def regions(doc):
    panels = doc["panels"]
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 4.8), squeeze=False)
    x1, x2 = np.array(doc["x1"]), np.array(doc["x2"])
    g1, g2 = np.meshgrid(x1, x2)
    t = doc["threshold"]
    xs = np.array([d["x"] for d in doc["data"]], dtype=float)
    ys = np.array([d["y"] for d in doc["data"]], dtype=float)
    for ax, panel in zip(axes[0], panels):
        out = np.array(panel["output"], dtype=float)
        ax.contourf(g1, g2, (out > t).astype(float), levels=[-0.5, 0.5, 1.5], colors=["#f4d6d6", "#d6e4f4"])
        ax.contour(g1, g2, out, levels=[t], colors="k", linewidths=0.8)
        for above, marker, colour in [(False, "o", RED), (True, "s", BLUE)]:
            sel = (ys > t) if above else (ys <= t)
            if sel.any():
                label = f"target {'>' if above else '<='} {t:g}"
                ax.scatter(xs[sel, 0], xs[sel, 1], marker=marker, c=colour, edgecolors="k", s=55, label=label)
        # With row weights the accuracy is a fraction of the total weight, not of the rows (docs/format.md).
        correct = f"{panel['correct']}/{panel['total']} correct"
        if panel.get("weighted"):
            correct = f"accuracy {panel['accuracy']} ({panel['correct']}/{panel['total']} rows correct)"
        ax.set_title(f"{panel['point']}: {correct}, loss {panel['loss']}", fontsize=10)
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
        ax.legend(loc="lower left", fontsize=7)
    fig.suptitle(title_of(doc, f"decision regions (blue: output > {t:g})"), fontsize=11)
    return fig


def segment(doc):
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    # A bound beyond the doubles' range was written as null (nncert: -inf/+inf): that piece is left out.
    band = [b for b in doc["band"] if b["lower"] is not None and b["upper"] is not None]
    for i, b in enumerate(band):
        ax.fill_between([b["t0"], b["t1"]], [b["lower"]] * 2, [b["upper"]] * 2, color="#9ecae1", alpha=0.7, lw=0,
                        label=f"certified enclosure ({doc['pieces']} sub-segments)" if i == 0 else None)
    for i, t in enumerate(doc.get("breakpoints", [])):
        ax.axvline(t, color=GREY, lw=0.6, ls=":", label="activation pattern changes" if i == 0 else None)
    doc["loss"] = [float("nan") if v is None else v for v in doc["loss"]]
    ax.plot(doc["t"], doc["loss"], color=BLUE, lw=1.4, label="loss (samples, drawn only)")
    ax.plot([0], [doc["loss"][0]], "o", color=RED)
    ax.plot([1], [doc["loss"][-1]], "o", color=RED)
    ax.annotate(f"{doc['from']} ({doc['loss_from']})", (0, doc["loss"][0]), textcoords="offset points", xytext=(4, 6),
                fontsize=8)
    ax.annotate(f"{doc['to']} ({doc['loss_to']})", (1, doc["loss"][-1]), textcoords="offset points", xytext=(-6, 8),
                fontsize=8, ha="right")
    ax.set_xlabel(f"t  (theta = {doc['from']} + t ({doc['to']} - {doc['from']}))")
    ax.set_ylabel(f"loss ({doc['loss_name']})")
    ax.set_xlim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(title_of(doc, f"loss from {doc['from']} to {doc['to']}"))
    return fig


def slice_(doc):
    fig, ax = plt.subplots(figsize=(6.4, 5.2))
    a, b = np.array(doc["a"]), np.array(doc["b"])
    loss = np.array(doc["loss"], dtype=float)
    ga, gb = np.meshgrid(a, b)
    finite = loss[np.isfinite(loss)]
    # Colours span the lower 90% of the values: a slice is about the structure near the centre, and a few
    # huge losses at the corners would otherwise flatten everything else into one colour.
    lo, hi = (finite.min(), np.percentile(finite, 90)) if finite.size else (0.0, 1.0)
    levels = np.linspace(lo, hi if hi > lo else lo + 1, 30)
    cs = ax.contourf(ga, gb, loss, levels=levels, cmap="viridis", extend="max")
    ax.contour(ga, gb, loss, levels=levels[::3], colors="w", linewidths=0.4)
    fig.colorbar(cs, ax=ax, label=f"loss ({doc['loss_name']})")
    ax.plot([0], [0], "o", color=RED)
    ax.annotate(doc["centre"], (0, 0), textcoords="offset points", xytext=(5, 5), color="w", fontsize=9)
    for m in doc.get("marks", []):
        if m["point"] == doc["centre"]:
            continue
        ax.plot([m["a"]], [m["b"]], "s", color="w", mec="k")
        ax.annotate(f"{m['point']} ({m['loss']})", (m["a"], m["b"]), textcoords="offset points", xytext=(5, 5),
                    color="w", fontsize=8)
    ax.set_xlabel(f"coefficient of {doc['dir1']}")
    ax.set_ylabel(f"coefficient of {doc['dir2']}")
    ax.set_title(title_of(doc, f"loss around {doc['centre']}"))
    return fig


def trap(doc):
    """A trap: left, each face of the box (or boundary-layer slab) with the kernel's certified lower bound of the
    loss over it minus L(P) (the margin; > 0 on every face is what the trap claim needs); right, a 2-D slice
    through P along two parameters with the box's outline and the sublevel set {L <= L(P)} shaded."""
    fig, (bars, ax) = plt.subplots(1, 2, figsize=(12.5, 5.0), gridspec_kw={"width_ratios": [1.0, 1.15]})
    faces = doc["faces"]
    lp = doc["loss_at_point"]["upper"]
    colours = {"above": "#2e8b57", "not-above": RED, "undecided": GREY}
    margins = [f["margin"] if f["margin"] is not None else float("nan") for f in faces]
    finite = [m for m in margins if np.isfinite(m)]
    floor = min(finite + [0.0]) - 0.1 * (max(finite + [0.0]) - min(finite + [0.0]) or 1.0)
    y = np.arange(len(faces))
    for i, (f, m) in enumerate(zip(faces, margins)):
        if np.isfinite(m):
            bars.barh(i, m, color=colours[f["status"]], height=0.6)
            bars.annotate(f"{f['lower_bound_exact'] if len(f.get('lower_bound_exact', '')) < 14 else format(f['lower_bound'], '.6g')}",
                          (m, i), textcoords="offset points", xytext=(4 if m >= 0 else -4, -3), fontsize=7,
                          ha="left" if m >= 0 else "right")
        else:  # no finite lower bound within the budget (-inf)
            bars.barh(i, floor, color="none", edgecolor=GREY, hatch="//", height=0.6)
            bars.annotate("no bound", (floor, i), textcoords="offset points", xytext=(4, -3), fontsize=7)
    bars.axvline(0, color="k", lw=0.8)
    bars.set_yticks(y, [f"{f['parameter']} = {f['at']:.4g} ({f['end']})" for f in faces], fontsize=7)
    bars.invert_yaxis()
    bars.set_xlabel(f"certified lower bound of the loss on the face  -  L({doc['point']})")
    bars.set_title(f"faces of {doc['region']}" + (f" (layer {doc['layer']})" if doc.get("layer") else "") +
                   f": green above L({doc['point']}) = {doc['loss_at_point_text']}", fontsize=9)
    bars.grid(axis="x", alpha=0.3)

    sl = doc["slice"]
    x1, x2 = np.array(sl["x1"]), np.array(sl["x2"])
    loss = np.array([[float("nan") if v is None else v for v in row] for row in sl["loss"]], dtype=float)
    g1, g2 = np.meshgrid(x1, x2)
    fin = loss[np.isfinite(loss)]
    lo, hi = (fin.min(), np.percentile(fin, 95)) if fin.size else (0.0, 1.0)
    levels = np.linspace(lo, hi if hi > lo else lo + 1, 30)
    cs = ax.contourf(g1, g2, loss, levels=levels, cmap="viridis", extend="max")
    fig.colorbar(cs, ax=ax, label=f"loss ({doc['loss_name']})")
    if fin.size and fin.min() <= lp:
        ax.contourf(g1, g2, loss, levels=[fin.min() - 1.0, lp], colors="none", hatches=["...."])
        ax.contour(g1, g2, loss, levels=[lp], colors="w", linewidths=1.0)
    a0, a1, b0, b1 = [v if v is not None else d for v, d in zip(sl["box"], [x1[0], x1[-1], x2[0], x2[-1]])]
    ax.add_patch(matplotlib.patches.Rectangle((a0, b0), a1 - a0, b1 - b0, fill=False, ec=RED, lw=1.6,
                                              ls="-" if None not in sl["box"] else "--", label=f"box {doc['region']}"))
    ax.plot([sl["centre"][0]], [sl["centre"][1]], "o", color=RED)
    ax.annotate(doc["point"], sl["centre"], textcoords="offset points", xytext=(5, 5), color="w", fontsize=9)
    ax.plot([], [], color="w", lw=1.0, label=f"L = L({doc['point']}) (dotted: below)")
    ax.set_xlim(x1[0], x1[-1])
    ax.set_ylim(x2[0], x2[-1])
    ax.set_xlabel(sl["dir1"])
    ax.set_ylabel(sl["dir2"])
    ax.legend(loc="lower left", fontsize=7)
    ax.set_title(f"slice through {doc['point']} (other parameters at {doc['point']})", fontsize=9)
    fig.suptitle(title_of(doc, f"trap {doc['point']} in {doc['region']}"), fontsize=11)
    return fig


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    if doc.get("nncert_plot") != 1:
        print(f"{sys.argv[1]}: not an nncert plot export (version 1)", file=sys.stderr)
        return 2
    draw = {"fits": fits, "regions": regions, "segment": segment, "slice": slice_, "trap": trap}.get(doc["kind"])
    if draw is None:
        print(f"{sys.argv[1]}: unknown kind {doc['kind']!r}", file=sys.stderr)
        return 2
    fig = draw(doc)
    if not (doc["kind"] == "fits" and doc.get("dims") == 2):  # a shared colour bar: constrained by hand
        fig.tight_layout()
    # Reproducible files: no creation date in SVG/PDF metadata.
    meta = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}
    fmt = os.path.splitext(sys.argv[2])[1].lower().lstrip(".")
    fig.savefig(sys.argv[2], dpi=110, metadata=meta.get(fmt, {}))
    return 0


# Exit status when Python runs out of memory: `nncert plot` runs this under --max-memory (an address-space limit)
# and reports this status as "stopped by the memory limit" (runtime::memory_exit_code; docs/limits.md).
MEMORY_EXIT = 86

if __name__ == "__main__":
    try:
        status = main()
    except MemoryError:
        print("nncert_plot.py: out of memory", file=sys.stderr)
        os._exit(MEMORY_EXIT)
    sys.exit(status)
