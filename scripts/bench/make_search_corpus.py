"""A site for search quality: N posts whose title words are also common in other posts' bodies.

The known-item failure this is built to show: a query of two words of one post's title, where
each word is frequent in bodies (some bodies repeat it many times), must still find that post.
Titles take 4-6 words from a shared vocabulary of 1,000; bodies are 250-400 words drawn from the
same vocabulary with a Zipf-like skew, and one body in five repeats a few of the commonest words
15 times, as long how-to posts do. Two of each title's words are among the commonest in bodies. Seeded, so every run writes the same site.

Usage: python3 make_search_corpus.py N FOLDER
"""
import os
import random
import sys

n, folder = int(sys.argv[1]), sys.argv[2]
topics = ("council digital service users data open team website forms agile library bins parking permit "
          "housing benefit planning application consultation accessibility content design research school "
          "transport waste recycling payment account address register licence election budget procurement "
          "platform standard review peer network training skills apprentice cloud hosting security privacy "
          "mapping street lighting flooding social care adult children health wellbeing library museum park "
          "tree grant funding volunteer community event meeting survey feedback complaint chatbot phone email "
          "newsletter transparency spending contract supplier software licence code github").split()
# Another 900 made-up words (none ending in s, which the stemmer would fold), so that titles
# share two words about as rarely as real titles do.
syllables = "bran tel mor vik sal den pol rut gam fen lok dra sim hal ber cot mun zel".split()
made = sorted({a + b + c for a in syllables for b in syllables for c in ["", "a", "o", "er", "in"] if a != b})
random.seed(1)
topics += random.sample(made, 900)
filler = ("we our this that with from about how what why when where which there been have more some "
          "people team week month year work working worked make made making time first new next last "
          "good better best help helped helping find found show shows talk talked").split()
random.seed(2016)
weights = [1 / (rank + 1) ** 0.8 for rank in range(len(topics))]
random.shuffle(weights)
common = [word for _, word in sorted(zip(weights, topics), reverse=True)[:200]]
os.makedirs(os.path.join(folder, "content", "blog"), exist_ok=True)
with open(os.path.join(folder, "site.toml"), "w") as f:
    f.write('title = "Search corpus"\nbase_url = "https://search.example/"\n[blog]\npage_size = 50\n')
for i in range(n):
    # Two of the title's words are among the 200 that bodies use most; the rest from the whole
    # vocabulary. (Drawn evenly from those 200, so that no word is in an eighth of all titles.)
    frequent = random.sample(common, 2)
    title_words = frequent + random.sample([w for w in topics if w not in frequent], random.randint(2, 4))
    random.shuffle(title_words)
    body = []
    for _ in range(random.randint(250, 400)):
        body.append(random.choices(topics, weights)[0] if random.random() < 0.45 else random.choice(filler))
    if i % 5 == 0:
        for word in set(random.choices(topics, weights, k=3)):
            body += [word] * 15
    random.shuffle(body)
    paragraphs = [" ".join(body[k:k + 60]).capitalize() + "." for k in range(0, len(body), 60)]
    day = 1 + i % 28
    month = 1 + (i // 28) % 12
    year = 2015 + (i // 336) % 10
    with open(os.path.join(folder, "content", "blog", f"post-{i:05d}.md"), "w") as f:
        f.write(f'---\ntitle: "{" ".join(title_words).capitalize()} {i}"\ndate: {year}-{month:02d}-{day:02d}\n'
                f'summary: "Post {i}."\n---\n' + "\n\n".join(paragraphs) + "\n")
