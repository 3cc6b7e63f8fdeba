#!/usr/bin/env python3
"""Make the two photo sites of scripts/bench-images: ours and its Hugo twin.

Usage: make_photo_site.py LIBRARY SITES POSTS PER_POST

Run with the Python of scripts/bench-images' private venv (Pillow and numpy, pinned there).

1. LIBRARY holds the generated photos, LIBRARY/post-NNNNN/photo-K.jpg, made once and kept: it
   is the slow part (about a second of CPU a photo). Photos already there are reused; missing
   ones are made, on every core. Each photo is written under a temporary name and renamed, so a
   run stopped halfway leaves no half photo. LIBRARY/VERSION names the generator and the
   versions of Pillow and numpy; when it differs, the library is emptied and made again.
2. SITES/ours (a localgov site) and SITES/hugo (Hugo's twin, from scripts/bench/hugo-images/)
   are made again from nothing: the same markdown in both, and the photos as hard links to the
   library (so they take no more room on tmpfs), each post a folder, content/blog/<slug>/
   with index.md and photo-1.jpg ... photo-K.jpg beside it.
3. SITES/expected.json says what both tools should write: the photos, those with EXIF
   Orientation 6 and the image files expected in the output.

Deterministic: photo K of post I is drawn from numpy's default_rng((I, K)) alone, and post I's
text from random.Random(I), so the files are the same on every run (with the same Pillow,
numpy and libjpeg-turbo, which the venv pins) and do not change when POSTS does.

Each photo is a made-up landscape, photo-like for an encoder: a sky with a gradient and clouds,
hills, ground with a fractal (1/f) texture, a few soft-edged objects, and per-pixel noise, as a
camera's sensor has. It is one of six sizes from 6 to 12 megapixels (landscape, portrait, and
about one in five stored sideways, 4000x3000 or 4032x3024 with EXIF Orientation 6, as phones
do), saved as a JPEG of quality 90 (1-2.5 MB) with EXIF: camera make and model, the date taken,
an Orientation and a GPS position (somewhere in Great Britain).
"""
import datetime, io, json, multiprocessing, os, random, shutil, sys

import numpy as np
import PIL
from PIL import Image, ImageDraw, ImageFilter
from PIL.TiffImagePlugin import IFDRational

GENERATOR = "photos-v1"  # bump when a photo would come out different
WIDTHS = [320, 640, 960, 1280, 1920]  # [images] widths, written into both sites
CONTENT_WIDTH = 640                   # [images] content_width
QUALITY = 80                          # [images] jpeg_quality and webp_quality
SIZES_ATTR = "(min-width: 42em) 40em, calc(100vw - 2rem)"  # ours' default `sizes`

# (stored width, stored height, orientation, weight): what a photo is stored as.
SHAPES = [
    (4000, 3000, 1, 4),   # 12 MP camera, landscape
    (4032, 3024, 1, 3),   # 12 MP phone, landscape
    (3000, 2000, 1, 3),   # 6 MP, 3:2
    (3600, 2400, 1, 2),   # 8.6 MP, 3:2
    (2000, 3000, 1, 2),   # 6 MP, portrait, stored upright
    (4000, 3000, 6, 2),   # 12 MP, portrait, stored sideways: shown 3000x4000
    (4032, 3024, 6, 2),   # 12 MP phone, portrait, stored sideways: shown 3024x4032
]
CAMERAS = [("Canon", "Canon EOS R6"), ("NIKON CORPORATION", "NIKON Z 6_2"), ("Apple", "iPhone 13"),
           ("SONY", "ILCE-7M3"), ("FUJIFILM", "X-T4"), ("Google", "Pixel 7")]
PLACES = [(51.5072, -0.1276), (53.4808, -2.2426), (52.4862, -1.8904), (55.9533, -3.1883),
          (51.4816, -3.1791), (54.9783, -1.6178), (50.3755, -4.1427), (52.6309, 1.2974)]
WORDS = """council resident service digital team website content design user research data open
standard accessible form housing planning library waste collection recycling parking permit
school transport road repair community network project budget platform release prototype
discovery feedback survey interview usability journey evidence dashboard guidance policy
volunteer neighbourhood district park venue event meeting workshop week month plan roadmap""".split()
SCENES = ["a hillside", "a park", "a high street", "a library", "a bus stop", "a recycling centre",
          "a community garden", "a town hall", "a river path", "a market square"]
DETAILS = ["under a cloudy sky", "in the evening light", "after rain", "on a bright morning",
           "with people walking past", "seen from the road", "in winter", "with trees in the foreground"]


def slug(i):
    return f"post-{i:05d}"


def shape_of(i, k):
    """The stored size and orientation of photo k of post i (drawn apart from its pixels)."""
    rng = random.Random(f"shape-{i}-{k}")
    w, h, o, _ = rng.choices(SHAPES, weights=[s[3] for s in SHAPES])[0]
    return w, h, o


def upright(w, h, o):
    return (h, w) if o in (5, 6, 7, 8) else (w, h)


def pixels(rng, w, h):
    """An upright w x h landscape: sky, hills, textured ground, objects, sensor noise."""
    sw, sh = w // 4, h // 4

    def up(a, size):  # a small float field, smoothly enlarged
        return np.asarray(Image.fromarray(a.astype(np.float32), mode="F").resize(size, Image.BICUBIC))

    def fractal(octaves):
        out = np.zeros((sh, sw), np.float32)
        for gh, amp in octaves:
            gw = max(2, round(gh * sw / sh))
            out += up(rng.normal(0, amp, (gh, gw)), (sw, sh))
        return out

    y = np.linspace(0, 1, sh, dtype=np.float32)[:, None]
    horizon = rng.uniform(0.3, 0.65)
    zenith, haze = rng.uniform([40, 80, 140], [120, 160, 230]), rng.uniform([170, 170, 170], [250, 240, 235])
    ground_hi, ground_lo = rng.uniform([60, 70, 30], [160, 150, 110]), rng.uniform([10, 15, 5], [70, 70, 50])
    hills = horizon + up(rng.normal(0, 0.06, (1, 7)), (sw, 1))[0][None, :]
    t_sky = np.clip(y / hills, 0, 1)[..., None]
    t_gnd = np.clip((y - hills) / (1 - hills + 1e-3), 0, 1)[..., None]
    is_sky = (y < hills)[..., None]
    img = np.where(is_sky, zenith + (haze - zenith) * t_sky ** 1.5, ground_hi + (ground_lo - ground_hi) * t_gnd)
    clouds = np.clip(fractal([(3, 40), (12, 25), (48, 10)]), 0, None)[..., None]
    texture = fractal([(6, 18), (24, 14), (96, 10), (sh // 4, 8)])[..., None]
    tint = np.stack([fractal([(4, 6), (16, 4)]) for _ in range(3)], axis=2)
    img = img + np.where(is_sky, clouds, texture * (0.6 + t_gnd)) + tint
    im = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(im, "RGBA")
    for _ in range(int(rng.integers(6, 16))):
        cx, base = rng.uniform(0, sw), rng.uniform(horizon, 1) * sh
        ow, oh = rng.uniform(0.02, 0.15) * sw, rng.uniform(0.05, 0.3) * sh
        colour = tuple(int(v) for v in rng.integers(20, 200, 3)) + (int(rng.integers(150, 256)),)
        box = [cx - ow / 2, base - oh, cx + ow / 2, base]
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
    im = im.filter(ImageFilter.GaussianBlur(0.8)).resize((w, h), Image.BICUBIC)
    a = np.asarray(im).astype(np.int16)
    a += rng.integers(-5, 6, (h, w, 1), dtype=np.int16) + rng.integers(-3, 4, (h, w, 3), dtype=np.int16)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")


def dms(value):
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = round(((value - d) * 60 - m) * 60 * 100)
    return (IFDRational(d, 1), IFDRational(m, 1), IFDRational(s, 100))


def make_photo(job):
    library, i, k = job
    path = os.path.join(library, slug(i), f"photo-{k}.jpg")
    if os.path.exists(path):
        return path
    w, h, orientation = shape_of(i, k)
    rng = np.random.default_rng((i, k))
    im = pixels(rng, *upright(w, h, orientation))
    if orientation == 6:
        # Stored turned a quarter anticlockwise; Orientation 6 says "turn it clockwise to show".
        im = im.transpose(Image.Transpose.ROTATE_90)
    assert im.size == (w, h)
    meta = random.Random(f"exif-{i}-{k}")
    make, model = meta.choice(CAMERAS)
    lat, lon = meta.choice(PLACES)
    lat, lon = lat + meta.uniform(-0.05, 0.05), lon + meta.uniform(-0.05, 0.05)
    taken = datetime.datetime(2019, 1, 1) + datetime.timedelta(seconds=meta.randrange(7 * 365 * 86400))
    exif = Image.Exif()
    exif[0x010F] = make
    exif[0x0110] = model
    exif[0x0112] = orientation
    exif[0x0132] = taken.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[0] = b"\x02\x03\x00\x00"           # GPSVersionID
    gps[1] = "N" if lat >= 0 else "S"
    gps[2] = dms(lat)
    gps[3] = "E" if lon >= 0 else "W"
    gps[4] = dms(lon)
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    os.makedirs(os.path.dirname(path), exist_ok=True)
    partial = f"{path}.{os.getpid()}.partial"
    with open(partial, "wb") as f:
        f.write(buffer.getvalue())
    os.replace(partial, path)
    return path


def post(i, per_post):
    rng = random.Random(i)

    def sentence():
        ws = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
        return " ".join(ws).capitalize() + "."

    def paragraph():
        return " ".join(sentence() for _ in range(rng.randint(2, 4)))

    date = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(7 * 365))
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 6)))
    blocks = [paragraph()]
    for k in range(1, per_post + 1):
        if k > 1 and k % 2 == 1:
            blocks.append("## " + " ".join(rng.choice(WORDS) for _ in range(3)).capitalize())
        alt = f"{rng.choice(SCENES).capitalize()} {rng.choice(DETAILS)}, photo {k} of post {i}"
        blocks.append(f"![{alt}](photo-{k}.jpg)")
        blocks.append(paragraph())
    front = f'---\ntitle: "Post {i}: {title}"\ndate: {date.isoformat()}\nauthors: ["The editors"]\n---\n\n'
    return front + "\n\n".join(blocks) + "\n"


SITE_TOML = f"""# Written by scripts/bench/make_photo_site.py for scripts/bench-images.
title = "Photo benchmark"
description = "Generated posts with photos, to time image processing."
base_url = "https://example.org/"
language = "en-GB"
timezone = "Europe/London"

[[menu]]
name = "Blog"
url = "/blog/"

[blog]
page_size = 10
home_posts = 3

# The defaults, written out so that the benchmark says what it measures; only max_bytes is
# raised: the photos are camera-sized on purpose, and a warning for each would fill the log.
[images]
widths = {WIDTHS}
content_width = {CONTENT_WIDTH}
jpeg_quality = {QUALITY}
webp_quality = {QUALITY}
max_bytes = 100000000
"""

HOME = """---
title: "Photo benchmark"
summary: "Generated posts with photos, to time image processing."
---

Posts with photos, generated to time how long image processing takes.
"""


def expected_files(w, h, orientation):
    """The image files ours writes for one photo (the Hugo twin's layout writes the same)."""
    width = upright(w, h, orientation)[0]
    files = 1  # the full-size copy
    if width > CONTENT_WIDTH:
        narrower = [x for x in WIDTHS if x < width]
        files += 2 * len(narrower)
        if width <= max(WIDTHS):
            files += 1  # a WebP at full width
    return files


def main():
    if len(sys.argv) != 5 or not all(a.isdigit() and int(a) > 0 for a in sys.argv[3:]):
        sys.exit("make_photo_site.py: usage: make_photo_site.py LIBRARY SITES POSTS PER_POST")
    library, sites, posts, per_post = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    scaffold = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hugo-images")

    version = f"{GENERATOR} Pillow {PIL.__version__} numpy {np.__version__}\n"
    stamp = os.path.join(library, "VERSION")
    if os.path.exists(library):
        made_by = ""
        if os.path.exists(stamp):
            with open(stamp) as f:
                made_by = f.read()
        if made_by != version:
            print(f"    the photos in {library} were made by another generator: making them again")
            shutil.rmtree(library)
    os.makedirs(library, exist_ok=True)
    with open(stamp, "w") as f:
        f.write(version)

    jobs = [(library, i, k) for i in range(1, posts + 1) for k in range(1, per_post + 1)]
    missing = [j for j in jobs if not os.path.exists(os.path.join(library, slug(j[1]), f"photo-{j[2]}.jpg"))]
    if missing:
        print(f"    generating {len(missing)} of {len(jobs)} photos in {library} "
              f"(the rest are reused; about a second of CPU each, on {os.cpu_count()} cores)", flush=True)
        with multiprocessing.Pool(os.cpu_count()) as pool:
            for n, _ in enumerate(pool.imap_unordered(make_photo, missing, chunksize=1), 1):
                if n % 50 == 0 or n == len(missing):
                    print(f"    {n}/{len(missing)} photos", flush=True)
    else:
        print(f"    reusing {len(jobs)} photos from {library}")

    ours, hugo = os.path.join(sites, "ours"), os.path.join(sites, "hugo")
    for d in (ours, hugo):
        if os.path.exists(d):
            shutil.rmtree(d)
    shutil.copytree(scaffold, hugo)
    os.makedirs(os.path.join(ours, "content", "blog"))
    with open(os.path.join(ours, "site.toml"), "w") as f:
        f.write(SITE_TOML)
    with open(os.path.join(ours, "content", "_index.md"), "w") as f:
        f.write(HOME)
    expected = {"photos": 0, "sideways photos": 0, "source bytes": 0, "image files": 0, "sideways": []}
    for i in range(1, posts + 1):
        text = post(i, per_post)
        for site in (ours, hugo):
            folder = os.path.join(site, "content", "blog", slug(i))
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "index.md"), "w", encoding="utf-8") as f:
                f.write(text)
            for k in range(1, per_post + 1):
                os.link(os.path.join(library, slug(i), f"photo-{k}.jpg"), os.path.join(folder, f"photo-{k}.jpg"))
        for k in range(1, per_post + 1):
            w, h, o = shape_of(i, k)
            expected["photos"] += 1
            expected["source bytes"] += os.path.getsize(os.path.join(library, slug(i), f"photo-{k}.jpg"))
            expected["image files"] += expected_files(w, h, o)
            if o == 6:
                expected["sideways photos"] += 1
                expected["sideways"].append(f"blog/{slug(i)}/photo-{k}.jpg")

    # Hugo's twin takes the same [images] settings from its params.
    path = os.path.join(hugo, "hugo.toml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for key, value in {"WIDTHS": WIDTHS, "CONTENT_WIDTH": CONTENT_WIDTH, "QUALITY": QUALITY,
                       "SIZES": json.dumps(SIZES_ATTR)}.items():
        text = text.replace(f"@{key}@", str(value))
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(sites, "expected.json"), "w") as f:
        json.dump(expected, f)


if __name__ == "__main__":
    main()
