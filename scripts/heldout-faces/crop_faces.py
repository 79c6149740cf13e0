#!/usr/bin/python3
"""Portrait crops from faces.tsv (tools/FindFaces.java): a square centred on the face's landmark extent,
2.2x the face's width (landmark extent, jaw to jaw), at the photo's native resolution (never resized).
Faces narrower than 120 px are skipped. A box that runs off the photo is shifted back inside (and, if it is
larger than the photo, shrunk to its short side). Usage: crop_faces.py FACES.tsv SRC_DIR OUT_DIR"""
import sys, os
from PIL import Image

MIN_FACE, SCALE = 120, 2.2
tsv, src, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
rows = [l.rstrip("\n").split("\t") for l in open(tsv) if l.startswith("sample")]
kept = []
for r in rows:
    name, idx = r[0], int(r[1])
    minx, miny, maxx, maxy = map(float, r[5:9])
    w = maxx - minx
    stem = os.path.splitext(name)[0]
    if w < MIN_FACE:
        print(f"skip  {stem} face {idx}: {w:.0f} px wide")
        continue
    im = Image.open(os.path.join(src, name)).convert("RGB")
    W, H = im.size
    side = min(round(SCALE * w), W, H)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    x0 = int(round(min(max(cx - side / 2, 0), W - side)))
    y0 = int(round(min(max(cy - side / 2, 0), H - side)))
    crop = im.crop((x0, y0, x0 + side, y0 + side))
    fn = f"{stem}-face{idx}.png"
    crop.save(os.path.join(out, fn), optimize=False)
    kept.append((fn, side, w, x0, y0))
    print(f"crop  {fn}: face {w:.0f} px, box {side}x{side} at ({x0},{y0})")
print(f"{len(kept)} crops, sizes {min(k[1] for k in kept)}-{max(k[1] for k in kept)} px")
