"""Generate a realistic academic Jekyll site of N documents for benchmarks.

    python benchmarks/make_site.py N OUT_DIR

About 85% publications (a collection, 3-5 KB of markdown each, with a paper box),
10% posts (news) and 5% pages, a layout chain, includes with parameters inside loops,
`_data` navigation and a publication list page that loops over everything.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

WORDS = [
    "graph",
    "neural",
    "network",
    "learning",
    "robust",
    "efficient",
    "language",
    "model",
    "vision",
    "benchmark",
    "data",
    "training",
    "inference",
    "scalable",
    "sparse",
    "attention",
    "transformer",
    "retrieval",
    "causal",
    "theory",
    "optimization",
    "convex",
    "stochastic",
    "gradient",
    "analysis",
    "empirical",
    "study",
    "method",
    "novel",
    "approach",
]

LAYOUT_DEFAULT = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ page.title }} | {{ site.title }}</title>
<link rel="stylesheet" href="{{ '/assets/main.css' | relative_url }}"></head>
<body>{% include nav.html %}<main>{{ content }}</main>
<footer>&copy; {{ site.author.name }}</footer></body></html>
"""

LAYOUT_PAPER = """---
layout: default
---
<article class="paper"><h1>{{ page.title }}</h1>
<p class="venue">{{ page.venue }}, {{ page.date | date: "%Y" }}</p>
{{ content }}
{% include cite.html authors=page.authors title=page.title venue=page.venue %}
</article>
"""

NAV = (
    "<nav>{% for item in site.data.navigation %}"
    '<a href="{{ item.url | relative_url }}">{{ item.title }}</a>'
    "{% endfor %}</nav>\n"
)

CITE = """<pre class="bibtex">@inproceedings{ {{- include.title | slugify -}},
  title={ {{- include.title -}} }, author={ {{- include.authors | join: " and " -}} },
  booktitle={ {{- include.venue -}} } }</pre>
"""


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(3, 6)))


def publication(rng: random.Random, i: int) -> str:
    title = sentence(rng, 6)[:-1]
    authors = [f"Author {rng.randint(1, 200)}" for _ in range(rng.randint(2, 6))]
    body = [f"## Abstract\n\n{paragraph(rng)}\n"]
    body.append(
        "<div class='paper-box'><div class='paper-box-image'><div class=\"badge\">VENUE</div>"
        f"<img src='images/p{i}.png' alt='teaser' width='100%'></div>\n"
        "<div class='paper-box-text' markdown=\"1\">\n\n"
        f"[**{title}**](https://example.org/p{i})\n\n**Me**, {', '.join(authors)}\n\n"
        f"[**Code**](https://example.org/c{i}) <strong><span class='show_paper_citations' "
        f"data='ID{i}'></span></strong>\n\n- {sentence(rng, 10)}\n- {sentence(rng, 12)}\n"
        "</div>\n</div>\n"
    )
    for _ in range(rng.randint(3, 5)):
        body.append(
            f"### {sentence(rng, 3)[:-1]}\n\n{paragraph(rng)}\n\n- *{sentence(rng, 6)}*\n"
            f"- `code {i}` and **bold** text\n"
        )
    front = (
        f'---\ntitle: "{title}"\nvenue: Conference {i % 17}\n'
        f"date: {2000 + i % 25}-{1 + i % 12:02d}-{1 + i % 28:02d}\n"
        f"authors: [{', '.join(authors)}]\n---\n"
    )
    return front + "\n".join(body)


def make_site(n: int, out: Path) -> None:
    rng = random.Random(n)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "_config.yml": (
            "title: Benchmark Lab\nauthor:\n  name: Dr. Bench\nurl: https://example.org\n"
            "collections:\n  publications:\n    output: true\n    permalink: /:collection/:path/\n"
            "defaults:\n  - scope: {path: '', type: publications}\n    values: {layout: paper}\n"
            "  - scope: {path: ''}\n    values: {layout: default}\n"
        ),
        "_layouts/default.html": LAYOUT_DEFAULT,
        "_layouts/paper.html": LAYOUT_PAPER,
        "_includes/nav.html": NAV,
        "_includes/cite.html": CITE,
        "_data/navigation.yml": "".join(
            f"- title: {t}\n  url: /{t.lower()}/\n" for t in ("About", "Publications", "News")
        ),
        "assets/main.css": "body { font-family: sans-serif }\n",
        "publications.md": (
            "---\ntitle: Publications\npermalink: /publications/\n---\n"
            "{% for p in site.publications reversed %}- [{{ p.title }}]({{ p.url | relative_url }})"
            ", {{ p.venue }}\n{% endfor %}"
        ),
        "news.md": (
            "---\ntitle: News\npermalink: /news/\n---\n"
            "{% for post in site.posts %}- {{ post.date | date: '%Y-%m-%d' }} "
            "[{{ post.title }}]({{ post.url }})\n{% endfor %}"
        ),
    }
    n_posts, n_pages = max(1, n // 10), max(1, n // 20)
    n_pubs = max(1, n - n_posts - n_pages - 2)
    for i in range(n_pubs):
        files[f"_publications/paper-{i:05d}.md"] = publication(rng, i)
    for i in range(n_posts):
        files[f"_posts/{2000 + i % 25}-{1 + i % 12:02d}-{1 + i % 28:02d}-news-{i}.md"] = (
            f"---\ntitle: News {i}\n---\n{paragraph(rng)}\n\n{paragraph(rng)}\n"
        )
    for i in range(n_pages):
        files[f"pages/page-{i}.md"] = f"---\ntitle: Page {i}\n---\n# Page {i}\n\n{paragraph(rng)}\n"
    for name, text in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    make_site(int(sys.argv[1]), Path(sys.argv[2]))
