"""Markdown speed: pykyll.markdown.to_html vs plain mistune vs kramdown (one Ruby process).

    PYTHONPATH=src python benchmarks/bench_markdown.py [--docs 1000]

Converts the same set of distinct ~4 KB academic-homepage-style documents with each and
prints ms/document and the ratio to plain mistune (target: at most 1.3x).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import mistune

from pykyll.markdown import jekyll_options, to_html

_WORDS = [
    "model",
    "pruning",
    "diffusion",
    "graph",
    "neural",
    "network",
    "vision",
    "language",
    "federated",
    "learning",
    "radiance",
    "field",
    "inference",
    "quantization",
    "efficient",
    "robust",
    "benchmark",
    "dataset",
]
_EMOJI = ["🔥", "📝", "🎉", "🚀", "🏆", "📖"]

_RUBY = r"""
require "kramdown"; require "kramdown-parser-gfm"
opts = {auto_ids: true, toc_levels: [1,2,3,4,5,6], entity_output: :as_char,
        smart_quotes: "lsquo,rsquo,ldquo,rdquo", input: "GFM", hard_wrap: false,
        guess_lang: true, footnote_nr: 1, show_warnings: false, syntax_highlighter: "rouge",
        syntax_highlighter_opts: {default_lang: "plaintext", guess_lang: true}}
texts = ARGV.map { |p| File.read(p, encoding: "UTF-8") }
start = Process.clock_gettime(Process::CLOCK_MONOTONIC)
texts.each { |t| Kramdown::Document.new(t, opts).to_html }
puts Process.clock_gettime(Process::CLOCK_MONOTONIC) - start
"""


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n))


def make_document(seed: int) -> str:
    """One distinct ~4 KB page: news, a paper box, a table, code, a footnote."""
    rng = random.Random(seed)
    parts = [f"# {rng.choice(_EMOJI)} News {seed}\n"]
    for i in range(8):
        parts.append(
            f"- *2024.{i + 1:02d}*: &nbsp;🎉 Paper on **{_sentence(rng, 3)}** accepted -- "
            f'"{_sentence(rng, 4)}" [link](https://x.org/{seed}/{i}).'
        )
    parts.append(f"\n# 📝 Publications {seed}\n")
    for i in range(3):
        parts.append(
            f"<div class='paper-box'><div class='paper-box-image'><div>"
            f'<div class="badge">CVPR {2020 + i}</div></div></div>\n'
            f"<div class='paper-box-text' markdown=\"1\">\n\n[{_sentence(rng, 6)}]"
            f"(https://arxiv.org/abs/{seed}.{i})\n\nA. Author<sup>*</sup>, **Me**<sup>*</sup>\n\n"
            f"- {_sentence(rng, 10)}\n- {_sentence(rng, 9)}\n</div>\n</div>\n"
        )
    parts.append(
        "| Method | Score |\n|:--|--:|\n"
        + "\n".join(f"| {_sentence(rng, 2)} | {rng.randint(1, 99)} |" for _ in range(5))
        + "\n"
    )
    parts.append(f"It's {_sentence(rng, 12)}[^1] and `code` with $$x^{seed % 7}$$.\n")
    parts.append("```python\ndef f(x):\n    return x * 2\n```\n")
    parts.append(f"[^1]: {_sentence(rng, 8)}\n")
    parts.append(f"## More {seed}\n\n" + "\n\n".join(_sentence(rng, 40) for _ in range(3)) + "\n")
    return "\n".join(parts)


def time_per_doc(convert: Callable[[str], object], docs: list[str]) -> float:
    """ms/document for one pass over all documents."""
    start = time.perf_counter()
    for doc in docs:
        convert(doc)
    return (time.perf_counter() - start) * 1000 / len(docs)


def best_times(
    converters: dict[str, Callable[[str], object]], docs: list[str], rounds: int
) -> dict[str, float]:
    """Alternate the converters round by round and keep each one's best round, so that
    load from other processes on a shared machine does not favour either side."""
    best = {name: float("inf") for name in converters}
    for _ in range(rounds):
        for name, convert in converters.items():
            best[name] = min(best[name], time_per_doc(convert, docs))
    return best


def kramdown_per_doc(docs: list[str]) -> float | None:
    """ms/doc for kramdown in one Ruby process (load time excluded), or None without Ruby."""
    if not shutil.which("ruby"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, doc in enumerate(docs):
            path = Path(tmp) / f"{i}.md"
            path.write_text(doc, encoding="utf-8")
            paths.append(str(path))
        result = subprocess.run(
            ["ruby", "-e", _RUBY, *paths], capture_output=True, text=True, check=False
        )
    if result.returncode != 0:
        return None
    return float(result.stdout.strip()) * 1000 / len(docs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds; best is kept")
    args = ap.parse_args(argv)
    docs = [make_document(i) for i in range(args.docs)]
    size = sum(len(d.encode()) for d in docs) / len(docs)
    options = jekyll_options(None)
    plain = mistune.create_markdown(escape=False, plugins=["strikethrough", "table", "footnotes"])
    to_html(docs[0], options)  # build and cache the Markdown instance first
    plain(docs[0])
    times = best_times(
        {"pykyll": lambda d: to_html(d, options), "mistune": plain}, docs, args.rounds
    )
    ours, base = times["pykyll"], times["mistune"]
    print(f"documents: {len(docs)} (mean {size / 1024:.1f} KB)")
    print(f"pykyll.markdown: {ours:.2f} ms/doc")
    print(f"plain mistune:   {base:.2f} ms/doc")
    print(f"ratio pykyll/mistune: {ours / base:.2f}x (target <= 1.3x)")
    kd = kramdown_per_doc(docs)
    if kd is None:
        print("kramdown: not available")
    else:
        print(f"kramdown (ruby): {kd:.2f} ms/doc; pykyll is {kd / ours:.2f}x kramdown's speed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
