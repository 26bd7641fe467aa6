#!/usr/bin/python3
"""Describes a rendered figure so a test can tell a real picture from an empty one (Debian python3-matplotlib).
Usage: check_image.py FILE.png|FILE.svg|FILE.pdf
Prints one line of key=value pairs:
  png: width, height, colours (distinct RGB values), ink (fraction of pixels that are not white)
  svg: width, height (points), paths (<path> elements), texts (<text> or glyph uses)
  pdf: pages, bytes
Exit 0 when the file could be read as that format, 1 otherwise."""
import re
import sys
import xml.etree.ElementTree as ET


def png(path):
    import matplotlib.image as mpimg
    import numpy as np
    img = mpimg.imread(path)  # floats in [0, 1], H x W x (3 | 4)
    rgb = (img[:, :, :3] * 255).round().astype(np.uint8).reshape(-1, 3)
    colours = len(np.unique(rgb, axis=0))
    ink = float(np.mean(np.any(rgb < 250, axis=1)))
    return f"width={img.shape[1]} height={img.shape[0]} colours={colours} ink={ink:.4f}"


def svg(path):
    root = ET.parse(path).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    paths = len(root.findall(f".//{ns}path"))
    texts = len(root.findall(f".//{ns}text")) + len(root.findall(f".//{ns}use"))
    w = float(re.sub(r"[a-z]+$", "", root.get("width", "0")))
    h = float(re.sub(r"[a-z]+$", "", root.get("height", "0")))
    return f"width={w:g} height={h:g} paths={paths} texts={texts}"


def pdf(path):
    data = open(path, "rb").read()
    if not data.startswith(b"%PDF-"):
        raise ValueError("no %PDF header")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    return f"pages={pages} bytes={len(data)}"


def main():
    path = sys.argv[1]
    kind = path.rsplit(".", 1)[-1].lower()
    try:
        print({"png": png, "svg": svg, "pdf": pdf}[kind](path))
    except Exception as e:  # noqa: BLE001 - any failure to read means "not a picture"
        print(f"error={type(e).__name__}: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
