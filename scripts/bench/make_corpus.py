#!/usr/bin/env python3
"""Write N generated blog posts into SITE/content/blog, for the benchmarks.

Usage: make_corpus.py SITE N

Used by scripts/bench-hugo (and so scripts/bench-build) and scripts/bench-serve, so that they time exactly the same corpus.
Deterministic: post i is drawn from random.Random(i) alone, so the files are byte-for-byte the
same on every run and every machine, and post i does not change when N does (except its links to
other posts, which are drawn from 1..N).

Each post has YAML front matter (title, date between 2019-01-01 and 2026-06-30, one of 20
authors, 1-3 of 40 tags) and a 600-900 word markdown body with headings, paragraphs, lists,
links (external and to other generated posts), a GFM table, a fenced code block, inline code and
emphasis.
"""
import datetime, os, random, sys

if len(sys.argv) != 3 or not sys.argv[2].isdigit() or int(sys.argv[2]) < 1:
    sys.exit("make_corpus.py: usage: make_corpus.py SITE N  (N a positive whole number)")

site, n = sys.argv[1], int(sys.argv[2])
blog = os.path.join(site, "content", "blog")
os.makedirs(blog, exist_ok=True)

WORDS = """
council resident service digital team website content design user research
data open standard accessible form payment housing planning library waste
collection recycling parking permit licence benefit tax school transport road
repair report request account online phone email letter appointment booking
local community network member peer group project budget procurement supplier
contract platform system legacy migration release prototype discovery alpha
beta live assessment feedback survey interview usability test journey need
problem outcome evidence metric dashboard performance cost saving value
simple clear plain language page guidance policy decision manager officer
councillor director partner volunteer charity neighbourhood district county
borough ward street park venue event meeting workshop session week month year
quarter plan roadmap backlog sprint story priority risk issue change improve
build share learn publish measure review support help train guide template
pattern component library code repository API schema field record dataset
licence archive search navigation homepage menu link button label error
message status notification reminder deadline consultation response complaint
enquiry case worker caseload queue channel shift demand capacity process step
approval workflow integration identity login password security privacy cookie
analytics traffic visit session mobile desktop screen reader keyboard colour
contrast heading caption table list document spreadsheet PDF upload download
""".split()
TITLE_WORDS = [w for w in WORDS if w.isalpha() and len(w) > 3]
CODE_IDS = ["service_id", "postcode", "uprn", "bin_day", "ward_code", "case_ref",
            "status", "due_date", "permit_type", "fetch()", "render()", "slug"]
SITES = ["https://www.gov.uk/service-manual", "https://localgov.digital/",
         "https://design-system.service.gov.uk/components/", "https://www.w3.org/WAI/",
         "https://github.com/localgovdrupal", "https://www.ons.gov.uk/",
         "https://standards.data.gov.uk/", "https://www.localdigital.gov.uk/"]
LANGS = [("python", ["def {a}({b}):", "    return {b}.get('{c}', None)", "",
                     "items = [{a}(x) for x in records]"]),
         ("json", ['{{', '  "{a}": "{c}",', '  "{b}": 42,', '  "active": true', '}}']),
         ("sh", ["curl -s https://api.example.gov.uk/{a}/{b} \\", "  | jq '.{c}'"]),
         ("sql", ["SELECT {a}, COUNT(*) AS total", "FROM {b}",
                  "WHERE {c} IS NOT NULL", "GROUP BY {a};"])]
START = datetime.date(2019, 1, 1)
DAYS = (datetime.date(2026, 6, 30) - START).days + 1
NUM_AUTHORS, NUM_TAGS = 20, 40


def slug(i):
    return f"post-{i:05d}"


def post(i):
    rng = random.Random(i)
    words = 0

    def other():
        if n == 1:
            return i
        j = rng.randint(1, n - 1)
        return j if j < i else j + 1

    def word():
        return rng.choice(WORDS)

    def decorate(w):
        r = rng.random()
        if r < 0.03:
            return f"*{w}*"
        if r < 0.045:
            return f"**{w}**"
        if r < 0.06:
            return f"`{rng.choice(CODE_IDS)}`"
        if r < 0.07:
            return f"[{w} {word()}]({rng.choice(SITES)})"
        if r < 0.08:
            return f"[{w} {word()}](/blog/{slug(other())}/)"
        return w

    def sentence(lo=8, hi=20):
        nonlocal words
        k = rng.randint(lo, hi)
        words += k
        ws = [word() for _ in range(k)]
        ws[0] = ws[0][0].upper() + ws[0][1:]
        ws = [decorate(w) for w in ws]
        return " ".join(ws) + rng.choice([".", ".", ".", "?", "!"])

    def paragraph():
        return " ".join(sentence() for _ in range(rng.randint(2, 5)))

    def heading(level):
        nonlocal words
        k = rng.randint(2, 6)
        words += k
        t = " ".join(word() for _ in range(k))
        return "#" * level + " " + t[0].upper() + t[1:]

    target = rng.randint(560, 760)  # prose words; markup, table and code add the rest
    title_words = " ".join(rng.choice(TITLE_WORDS) for _ in range(rng.randint(3, 7)))
    date = START + datetime.timedelta(days=rng.randrange(DAYS))
    author = rng.randint(1, NUM_AUTHORS)
    tags = sorted(rng.sample(range(1, NUM_TAGS + 1), rng.randint(1, 3)))

    blocks = [paragraph(), paragraph(), heading(2), paragraph()]
    blocks.append(heading(3))
    blocks.append(paragraph())
    blocks.append("\n".join("- " + sentence(4, 10) for _ in range(rng.randint(3, 6))))
    blocks.append(heading(3))
    blocks.append(paragraph())
    blocks.append("\n".join(f"{k}. " + sentence(4, 10) for k in range(1, rng.randint(4, 7))))
    blocks.append(heading(2))
    blocks.append(paragraph())
    cols = rng.randint(3, 4)
    head = [word().capitalize() for _ in range(cols)]
    rows = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * cols) + "|"]
    for _ in range(rng.randint(3, 6)):
        cells = [word() for _ in range(cols - 1)] + [str(rng.randint(1, 9999))]
        rows.append("| " + " | ".join(cells) + " |")
    words += cols * (len(rows) - 1)
    blocks.append("\n".join(rows))
    blocks.append(paragraph())
    lang, lines = rng.choice(LANGS)
    a, b, c = (rng.choice(CODE_IDS).rstrip("()") for _ in range(3))
    blocks.append("```" + lang + "\n" + "\n".join(l.format(a=a, b=b, c=c) for l in lines) + "\n```")
    blocks.append(heading(2))
    tail = [paragraph()]
    while words < target:
        tail.insert(rng.randrange(len(tail) + 1), paragraph())
    blocks.extend(tail)
    refs = [other() for _ in range(3)]
    blocks.append("Read more: " + ", ".join(f"[post {j}](/blog/{slug(j)}/)" for j in refs) + ".")

    tag_list = ", ".join('"tag-%d"' % t for t in tags)
    front = (
        "---\n"
        f'title: "Post {i}: {title_words}"\n'
        f"date: {date.isoformat()}\n"
        f'authors: ["Author {author}"]\n'
        f"tags: [{tag_list}]\n"
        "---\n\n"
    )
    return front + "\n\n".join(blocks) + "\n"


for i in range(1, n + 1):
    with open(os.path.join(blog, slug(i) + ".md"), "w", encoding="utf-8") as f:
        f.write(post(i))
