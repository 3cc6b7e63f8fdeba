#!/usr/bin/env python3
"""Check and count what ours and Hugo wrote for scripts/bench-images' photo site.

Usage: check_photo_outputs.py EXPECTED_JSON NAME=OUTPUT [NAME=OUTPUT ...]

EXPECTED_JSON is the file scripts/bench/make_photo_site.py writes beside the sites. For each
output folder it prints one line of JSON: the image files written (JPEG, WebP, PNG) and their
bytes, the posts' <picture> elements, and how many of the photos stored sideways (EXIF
Orientation 6) are shown upright: the <img> whose alt text ends "photo K of post I" is taller
than it is wide, and so is every image file made from the photo, the full-size copy included. The sizes are read from the files' headers,
with Pillow (run it with scripts/bench-images' venv).

Exits 1 when an output does not have the expected image files, a <picture> for every photo,
and every sideways photo upright; the times would not compare like with like.
"""
import html, json, os, re, sys

from PIL import Image

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".webp", ".png")
IMG = re.compile(r"<img\b([^>]*)>")
ATTR = re.compile(r'([a-z]+)="([^"]*)"')


def check(expected, output):
    counts = {"jpg": 0, "webp": 0, "png": 0}
    size = 0
    for folder, _, files in os.walk(output):
        for name in files:
            ext = os.path.splitext(name)[1].lower()
            if ext in IMAGE_EXTENSIONS:
                counts["jpg" if ext in (".jpg", ".jpeg") else ext[1:]] += 1
                size += os.path.getsize(os.path.join(folder, name))
    pictures = 0
    upright = 0
    posts = {}
    for path in expected["sideways"]:
        folder, name = path.rsplit("/", 1)
        posts.setdefault(folder, []).append(int(re.search(r"photo-(\d+)", name).group(1)))
    blog = os.path.join(output, "blog")
    for slug in sorted(os.listdir(blog)) if os.path.isdir(blog) else []:
        page = os.path.join(blog, slug, "index.html")
        if not slug.startswith("post-") or not os.path.exists(page):
            continue
        with open(page, encoding="utf-8") as f:
            text = f.read()
        pictures += text.count("<picture>")
        i = int(slug.split("-")[1])
        for k in posts.get(f"blog/{slug}", []):
            for m in IMG.finditer(text):
                attrs = dict(ATTR.findall(m.group(1)))
                if not html.unescape(attrs.get("alt", "")).endswith(f"photo {k} of post {i}"):
                    continue
                shown = int(attrs.get("height", 0)) > int(attrs.get("width", 0))
                # Every file made from the photo, the full-size copy too: photo-K.jpg,
                # photo-K-320.webp (ours), photo-K_hu..._320x0_resize_....webp (Hugo).
                copies = [n for n in os.listdir(os.path.join(blog, slug))
                          if re.match(rf"photo-{k}(\D|$)", n) and n.lower().endswith(IMAGE_EXTENSIONS)]
                files_upright = bool(copies)
                for copy in copies:
                    with Image.open(os.path.join(blog, slug, copy)) as im:
                        files_upright &= im.height > im.width
                if shown and files_upright:
                    upright += 1
                break
    return {"image files": sum(counts.values()), "JPEG": counts["jpg"], "WebP": counts["webp"],
            "PNG": counts["png"], "image MB": round(size / 1e6, 1), "<picture>": pictures,
            "sideways shown upright": upright}


def main():
    if len(sys.argv) < 3 or not all("=" in a for a in sys.argv[2:]):
        sys.exit("check_photo_outputs.py: usage: check_photo_outputs.py EXPECTED_JSON NAME=OUTPUT ...")
    with open(sys.argv[1]) as f:
        expected = json.load(f)
    bad = False
    for arg in sys.argv[2:]:
        name, output = arg.split("=", 1)
        found = check(expected, output)
        problems = []
        if found["image files"] != expected["image files"]:
            problems.append(f"{found['image files']} image files, expected {expected['image files']}")
        if found["<picture>"] != expected["photos"]:
            problems.append(f"{found['<picture>']} <picture> elements for {expected['photos']} photos")
        if found["sideways shown upright"] != expected["sideways photos"]:
            problems.append(f"{found['sideways shown upright']} of {expected['sideways photos']} sideways photos shown upright")
        found["name"] = name
        found["problems"] = problems
        bad |= bool(problems)
        print(json.dumps(found))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
