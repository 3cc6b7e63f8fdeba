#!/usr/bin/env python3
"""Write one of the stress sites for scripts/bench-stress into SITE (which must not exist).

Usage: make_stress.py CASE SITE REPOSITORY

Cases:
  big-file      one post of about 50 MB of markdown (headings, paragraphs, lists)
  headings      one post with 100,000 headings, all called "Background"
  tiny-posts    100,000 posts of one sentence each
  members       a Voice members list of 5,000 members (no feeds cached)

Each site has the repository's site.toml and a link to its themes. Deterministic: the same
bytes on every run.
"""
import os, random, sys

if len(sys.argv) != 4:
    sys.exit("usage: make_stress.py CASE SITE REPOSITORY")
case, site, repository = sys.argv[1:]
os.makedirs(os.path.join(site, "content", "blog"))
with open(os.path.join(repository, "site.toml")) as source, open(os.path.join(site, "site.toml"), "w") as target:
    target.write(source.read())
os.symlink(os.path.join(repository, "themes"), os.path.join(site, "themes"))
blog = os.path.join(site, "content", "blog")
words = "council service digital team website content design user research data open standard".split()
rng = random.Random(1)


def sentence(n):
    return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."


front = "---\ntitle: {}\ndate: 2024-01-01\n---\n\n"
if case == "big-file":
    with open(os.path.join(blog, "huge.md"), "w") as f:
        f.write(front.format("A very long post"))
        size, i = 0, 0
        while size < 50_000_000:
            part = f"## Section {i}\n\n{sentence(120)}\n\n- {sentence(8)}\n- {sentence(8)}\n\n"
            f.write(part)
            size, i = size + len(part), i + 1
elif case == "headings":
    with open(os.path.join(blog, "headings.md"), "w") as f:
        f.write(front.format("A hundred thousand headings") + "Intro.\n\n" + "## Background\n\nText.\n\n" * 100_000)
elif case == "tiny-posts":
    for i in range(100_000):
        with open(os.path.join(blog, f"post-{i:06}.md"), "w") as f:
            f.write(f"---\ntitle: Post {i}\ndate: 2024-{i % 12 + 1:02}-{i % 28 + 1:02}\n---\n\n{sentence(10)}\n")
elif case == "members":
    os.makedirs(os.path.join(site, "content", "voice"))
    with open(os.path.join(site, "content", "voice", "members.toml"), "w") as f:
        for i in range(1, 5001):
            f.write(f'[[members]]\nname = "Member {i}"\nurl = "https://m{i}.example/"\nfeed = "https://m{i}.example/feed"\n\n')
else:
    sys.exit(f"make_stress.py: unknown case {case!r}")
