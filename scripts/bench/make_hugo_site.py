#!/usr/bin/env python3
"""Make the Hugo twin of a localgov benchmark site, for scripts/bench-hugo.

Usage: make_hugo_site.py OURS_SITE HUGO_SITE

OURS_SITE is a localgov site (site.toml, themes/, content/ with the generated posts). HUGO_SITE
is created from scripts/bench/hugo/ (hugo.toml, layouts, section pages) and gets the same
content, so Hugo reads the same markdown files ours reads:

- content/_index.md, blog/, standard/ and pages/ are copied as they are (Hugo reads both YAML
  `---` and TOML `+++` front matter, as ours does);
- principles/_index.md is copied, and each principles/<set>.toml goes to data/principles/,
  because a set of principles is data in ours, not a page;
- the theme's assets (CSS, search scripts) are copied to static/assets/, where ours writes them;
- content/blog/<year>/_index.md is written for every year with a post, since Hugo has no
  archive by year of its own and ours writes /blog/<year>/;
- page_size, home_posts and feed_items are taken from site.toml's [blog], with ours' defaults.

Voice (content/voice/) is left out: it has no counterpart in Hugo.
"""
import os, re, shutil, sys, tomllib

if len(sys.argv) != 3:
    sys.exit("make_hugo_site.py: usage: make_hugo_site.py OURS_SITE HUGO_SITE")
ours, hugo = sys.argv[1], sys.argv[2]
scaffold = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hugo")

with open(os.path.join(ours, "site.toml"), "rb") as f:
    config = tomllib.load(f)
blog = config.get("blog", {})
values = {"PAGE_SIZE": blog.get("page_size", 10), "HOME_POSTS": blog.get("home_posts", 5),
          "FEED_ITEMS": blog.get("feed_items", 20)}
theme = config.get("theme", "default")

if os.path.exists(hugo):
    shutil.rmtree(hugo)
shutil.copytree(scaffold, hugo)

path = os.path.join(hugo, "hugo.toml")
with open(path, encoding="utf-8") as f:
    text = f.read()
for key, value in values.items():
    if not isinstance(value, int) or isinstance(value, bool):
        sys.exit(f"make_hugo_site.py: site.toml [blog] {key.lower()} is not a whole number")
    text = text.replace(f"@{key}@", str(value))
if "@" in re.sub(r"#.*", "", text):
    sys.exit("make_hugo_site.py: hugo.toml has a placeholder this script does not fill")
with open(path, "w", encoding="utf-8") as f:
    f.write(text)

src, dst = os.path.join(ours, "content"), os.path.join(hugo, "content")
shutil.copy(os.path.join(src, "_index.md"), dst)
for section in ("blog", "standard", "pages"):
    # dirs_exist_ok: the scaffold already holds the section's own _index.md.
    shutil.copytree(os.path.join(src, section), os.path.join(dst, section), dirs_exist_ok=True)
os.makedirs(os.path.join(dst, "principles"), exist_ok=True)
os.makedirs(os.path.join(hugo, "data", "principles"), exist_ok=True)
for name in os.listdir(os.path.join(src, "principles")):
    source = os.path.join(src, "principles", name)
    if name == "_index.md":
        shutil.copy(source, os.path.join(dst, "principles"))
    elif name.endswith(".toml"):
        shutil.copy(source, os.path.join(hugo, "data", "principles"))
    else:
        sys.exit(f"make_hugo_site.py: {source}: only TOML principles are supported here")
shutil.copytree(os.path.join(ours, "themes", theme, "assets"), os.path.join(hugo, "static", "assets"))

# The years with a post that is not a draft: only the front matter is read, YAML or TOML.
years = set()
blog_dir = os.path.join(src, "blog")
front = re.compile(r"\A(---|\+\+\+)\n(.*?)\n\1\n", re.S)
for name in os.listdir(blog_dir):
    if not name.endswith(".md") or name == "_index.md":
        continue
    with open(os.path.join(blog_dir, name), encoding="utf-8") as f:
        m = front.match(f.read())
    if not m:
        sys.exit(f"make_hugo_site.py: {name} has no front matter")
    if re.search(r"^draft\s*[:=]\s*true\s*$", m.group(2), re.M):
        continue
    date = re.search(r"^date\s*[:=]\s*[\"']?(\d{4})-", m.group(2), re.M)
    if not date:
        sys.exit(f"make_hugo_site.py: {name} has no date this script can read")
    years.add(int(date.group(1)))
for year in sorted(years):
    folder = os.path.join(dst, "blog", str(year))
    os.makedirs(folder)
    with open(os.path.join(folder, "_index.md"), "w", encoding="utf-8") as f:
        # Ours has no feeds for a year: HTML only.
        f.write(f'---\ntitle: "{year}"\nyear: {year}\noutputs: ["HTML"]\n---\n')
print(f"{len(years)} years, {values}")
