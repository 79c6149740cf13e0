#!/usr/bin/python3
"""Builds the FaceToon training set from package files that build-dataset.sh has unpacked.

Every source is one row of SOURCES.tsv (beside this file); nothing here names a file that is not in it.
Subcommands (all deterministic: fixed seeds, sorted inputs, no timestamps in the PNGs):

  photos    ROOT OUT      square training crops of each 'photo' and 'face' row, plus face crops -> OUT/photos
  cartoons  ROOT OUT      rasterise the DiceBear SVGs (ROOT/dicebear-svg) and the Open Clip Art rows -> OUT/cartoons
  checksums ROOT record|verify   sha256 of every source file against SOURCES.sha256
  manifest  OUT           MANIFEST.tsv, SHA256SUMS and COUNTS.txt for what is in OUT
  sample    OUT PNG       contact sheet of 30 random photos and 30 random cartoons (docs/images/dataset-sample.png)

ROOT is the cache folder: ROOT/deb/<package>/ holds each unpacked .deb.
Needs Debian's python3-pil; rsvg-convert (librsvg2-bin) for 'cartoons'.
"""
import bz2
import concurrent.futures
import csv
import hashlib
import os
import random
import subprocess
import sys

from PIL import Image, ImageFilter, ImageOps, ImageStat

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = os.path.join(HERE, "SOURCES.tsv")
CHECKSUMS = os.path.join(HERE, "SOURCES.sha256")

OUT_SIZE = 256          # crops larger than this are scaled down to it
MIN_CROP = 160          # no crop is taken smaller than this many source pixels
CROP_SCALES = [         # (fraction of the short side, how many crops at that scale)
    (1.00, 1), (0.70, 3), (0.50, 4), (0.35, 6), (0.25, 8), (0.18, 10), (0.125, 12)]
MIN_STDDEV = 20.0       # a crop flatter than this (sky, wall) is retried elsewhere
MIN_EDGES = 6.0         # nor one this blurred (bokeh, out-of-focus background): mean edge strength at 128 px
FACE_SCALES = [1.5, 1.9, 2.4, 3.0]   # face crop side as a multiple of the face box side
FACE_JITTER = 3                      # shifted crops per scale; each also written mirrored

# Flat background colours for the cartoons: pastel and saturated, light and dark.
BACKGROUNDS = ["b6e3f4", "c0aede", "d1d4f9", "ffd5dc", "ffdfbf", "fff4b3", "c9f2c7", "a7e8e0",
               "f4a259", "5b8e7d", "bc4b51", "8cb369", "3d5a80", "ee6c4d", "293241", "e0fbfc",
               "f6bd60", "84a59d", "f28482", "9d4edd", "ffffff", "e9ecef", "4a4e69", "22223b"]


def read_sources():
    with open(SOURCES, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def source_file(root, row):
    return os.path.join(root, "deb", row["package"], row["path"])


def load_image(root, row):
    """Opens a source as RGB; the scipy raccoon is a bz2-packed raw 768x1024 RGB array."""
    path = source_file(root, row)
    if row["param"] == "scipy-face-dat":
        with open(path, "rb") as f:
            raw = bz2.decompress(f.read())
        return Image.frombytes("RGB", (1024, 768), raw)
    with Image.open(path) as im:
        return ImageOps.exif_transpose(im).convert("RGB")


def save_png(im, path):
    im.save(path, format="PNG", optimize=False)


def fit(im):
    """Scales a square crop down to OUT_SIZE; smaller crops keep their size."""
    return im if im.width <= OUT_SIZE else im.resize((OUT_SIZE, OUT_SIZE), Image.LANCZOS)


def busy_enough(im):
    """True when a crop has enough contrast and sharp detail to be worth training on."""
    grey = im.convert("L")
    if ImageStat.Stat(grey).stddev[0] < MIN_STDDEV:
        return False
    edges = grey.resize((128, 128), Image.BILINEAR).filter(ImageFilter.FIND_EDGES).crop((1, 1, 127, 127))
    return ImageStat.Stat(edges).mean[0] >= MIN_EDGES


def photo_crops(im, rng):
    """Yields (tag, crop): one centred square at full scale, then random squares at smaller scales."""
    short = min(im.size)
    for frac, count in CROP_SCALES:
        side = int(short * frac)
        if side < MIN_CROP:
            break
        for k in range(count):
            crop = None
            for _ in range(8):   # a few tries to land on something that is not flat
                if frac == 1.00:
                    x, y = (im.width - side) // 2, (im.height - side) // 2
                else:
                    x, y = rng.randint(0, im.width - side), rng.randint(0, im.height - side)
                crop = im.crop((x, y, x + side, y + side))
                if frac == 1.00 or busy_enough(crop):
                    break
                crop = None
            if crop is not None:
                yield "s%03d_%02d" % (round(frac * 100), k), fit(crop)


def face_crops(im, box, rng):
    """Yields (tag, crop): squares around the face box at several scales, jittered, and mirrored."""
    bx, by, bw, bh = box
    cx, cy, size = bx + bw / 2, by + bh / 2, max(bw, bh)
    for scale in FACE_SCALES:
        side = min(int(size * scale), im.width, im.height)
        for k in range(FACE_JITTER):
            dx = 0 if k == 0 else rng.uniform(-0.12, 0.12) * side
            dy = 0 if k == 0 else rng.uniform(-0.12, 0.12) * side
            x = int(min(max(cx + dx - side / 2, 0), im.width - side))
            y = int(min(max(cy + dy - side / 2 - 0.05 * side, 0), im.height - side))
            crop = im.crop((x, y, x + side, y + side))
            if crop.width < MIN_CROP:   # small faces (camera.png) are scaled up to the minimum
                crop = crop.resize((MIN_CROP, MIN_CROP), Image.LANCZOS)
            crop = fit(crop)
            tag = "x%02d_%d" % (round(scale * 10), k)
            yield tag, crop
            yield tag + "m", ImageOps.mirror(crop)


def cmd_photos(root, out):
    dest = os.path.join(out, "photos")
    os.makedirs(dest, exist_ok=True)
    for row in read_sources():
        if row["kind"] not in ("photo", "face"):
            continue
        im = load_image(root, row)
        rng = random.Random("facetoon-photos-" + row["id"])
        n = 0
        for tag, crop in photo_crops(im, rng):
            save_png(crop, os.path.join(dest, "%s_%s.png" % (row["id"], tag)))
            n += 1
        f = 0
        if row["kind"] == "face":
            box = [int(v) for v in row["param"].split(",")]
            for tag, crop in face_crops(im, box, random.Random("facetoon-faces-" + row["id"])):
                save_png(crop, os.path.join(dest, "face_%s_%s.png" % (row["id"], tag)))
                f += 1
        print("photos: %-30s %4dx%-4d -> %3d crops, %2d face crops" % (row["id"], im.width, im.height, n, f))


def rsvg(svg_path, png_path, size, keep_aspect=False):
    args = ["rsvg-convert", "-w", str(size), "-h", str(size)]
    if keep_aspect:
        args.append("-a")
    subprocess.run(args + ["-o", png_path, svg_path], check=True)


def cmd_cartoons(root, out):
    dest = os.path.join(out, "cartoons")
    os.makedirs(dest, exist_ok=True)
    jobs = []
    svg_dir = os.path.join(root, "dicebear-svg")
    for name in sorted(os.listdir(svg_dir)):
        if name.endswith(".svg"):
            jobs.append((os.path.join(svg_dir, name), os.path.join(dest, name[:-4] + ".png")))
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda j: rsvg(j[0], j[1], OUT_SIZE), jobs))
    print("cartoons: %d DiceBear avatars rasterised" % len(jobs))

    tmp = os.path.join(root, "openclipart-png")
    os.makedirs(tmp, exist_ok=True)
    n = 0
    for row in read_sources():
        if row["kind"] != "cartoon-svg":
            continue
        raw = os.path.join(tmp, row["id"] + ".png")
        inner = int(OUT_SIZE * 0.86)
        rsvg(source_file(root, row), raw, inner, keep_aspect=True)
        with Image.open(raw) as art:
            art = art.convert("RGBA")
            art.load()
        rng = random.Random("facetoon-openclipart-" + row["id"])
        colours = rng.sample(BACKGROUNDS, int(row["param"]))
        for k, colour in enumerate(colours):
            frame = Image.new("RGBA", (OUT_SIZE, OUT_SIZE), "#" + colour)
            piece = ImageOps.mirror(art) if k % 2 else art
            frame.alpha_composite(piece, ((OUT_SIZE - piece.width) // 2, (OUT_SIZE - piece.height) // 2))
            save_png(frame.convert("RGB"), os.path.join(dest, "%s_%02d.png" % (row["id"], k)))
            n += 1
    print("cartoons: %d Open Clip Art frames" % n)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cmd_checksums(root, mode):
    rows = [r for r in read_sources() if r["registry"] == "deb"]
    actual = {"%s/%s" % (r["package"], r["path"]): sha256(source_file(root, r)) for r in rows}
    if mode == "record":
        with open(CHECKSUMS, "w", encoding="utf-8") as f:
            for key in sorted(actual):
                f.write("%s  %s\n" % (actual[key], key))
        print("checksums: recorded %d source files" % len(actual))
        return
    expected = {}
    with open(CHECKSUMS, encoding="utf-8") as f:
        for line in f:
            digest, key = line.rstrip("\n").split("  ", 1)
            expected[key] = digest
    bad = [k for k in sorted(actual) if expected.get(k) != actual[k]]
    if bad:
        sys.exit("checksums: %d source files differ from SOURCES.sha256 (a package changed?): %s"
                 % (len(bad), ", ".join(bad)))
    print("checksums: all %d source files match SOURCES.sha256" % len(actual))


def cmd_manifest(out):
    rows = read_sources()
    by_prefix = sorted(((r["id"], r) for r in rows), key=lambda p: -len(p[0]))
    lines, sums, counts = [], [], {}
    for sub in ("photos", "cartoons"):
        for name in sorted(os.listdir(os.path.join(out, sub))):
            stem = name[5:] if name.startswith("face_") else name
            row = next(r for pid, r in by_prefix if stem.startswith(pid + "_"))
            lines.append("\t".join([sub + "/" + name, row["id"], row["package"], row["version"],
                                    row["licence"], row["attribution"]]))
            sums.append("%s  %s/%s" % (sha256(os.path.join(out, sub, name)), sub, name))
            key = (sub, "face" if name.startswith("face_") else row["id"])
            counts[key] = counts.get(key, 0) + 1
    with open(os.path.join(out, "MANIFEST.tsv"), "w", encoding="utf-8") as f:
        f.write("file\tsource_id\tpackage\tversion\tlicence\tattribution\n")
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out, "SHA256SUMS"), "w", encoding="utf-8") as f:
        f.write("\n".join(sums) + "\n")
    total = {s: sum(v for (k, _), v in counts.items() if k == s) for s in ("photos", "cartoons")}
    faces = counts.get(("photos", "face"), 0)
    face_rows = [r["id"] for r in rows if r["kind"] == "face"]
    whole_faces = sum(v for (s, k), v in counts.items() if s == "photos" and k in face_rows)
    with open(os.path.join(out, "COUNTS.txt"), "w", encoding="utf-8") as f:
        f.write("photos\t%d\n" % total["photos"])
        f.write("photos_face_crops\t%d\n" % faces)
        f.write("photos_crops_of_face_photos\t%d\n" % whole_faces)
        f.write("cartoons\t%d\n" % total["cartoons"])
        for (sub, key), v in sorted(counts.items()):
            f.write("%s/%s\t%d\n" % (sub, key, v))
    print("manifest: %d photos (%d face crops), %d cartoons" % (total["photos"], faces, total["cartoons"]))


def cmd_sample(out, png, per_set=30, tile=128, cols=10):
    """A contact sheet: per_set random photos (top) and per_set random cartoons (bottom)."""
    from PIL import ImageDraw
    rng = random.Random("facetoon-sample")
    sets = []
    for sub in ("photos", "cartoons"):
        names = sorted(os.listdir(os.path.join(out, sub)))
        sets.append((sub, [os.path.join(out, sub, n) for n in rng.sample(names, min(per_set, len(names)))]))
    rows_per_set = (per_set + cols - 1) // cols
    label_h = 18
    sheet = Image.new("RGB", (cols * tile, len(sets) * (label_h + rows_per_set * tile)), "white")
    draw = ImageDraw.Draw(sheet)
    y0 = 0
    for sub, paths in sets:
        draw.text((4, y0 + 3), "%s (%d random of %d)" % (sub, len(paths), len(os.listdir(os.path.join(out, sub)))),
                  fill="black")
        for i, path in enumerate(paths):
            with Image.open(path) as im:
                thumb = im.convert("RGB").resize((tile, tile), Image.LANCZOS)
            sheet.paste(thumb, ((i % cols) * tile, y0 + label_h + (i // cols) * tile))
        y0 += label_h + rows_per_set * tile
    save_png(sheet, png)
    print("sample: wrote %s" % png)


def main(argv):
    if len(argv) >= 3 and argv[0] == "photos":
        cmd_photos(argv[1], argv[2])
    elif len(argv) >= 3 and argv[0] == "cartoons":
        cmd_cartoons(argv[1], argv[2])
    elif len(argv) >= 3 and argv[0] == "checksums" and argv[2] in ("record", "verify"):
        cmd_checksums(argv[1], argv[2])
    elif len(argv) >= 3 and argv[0] == "sample":
        cmd_sample(argv[1], argv[2])
    elif len(argv) >= 2 and argv[0] == "manifest":
        cmd_manifest(argv[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
