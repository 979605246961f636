"""Build the plugin golden sites of `tests/plugins/sites2/` with the real Jekyll 4.3.

Usage: python scripts/make_plugin_goldens2.py [CASE ...]
       python scripts/make_plugin_goldens2.py --emoji-data PATH/TO/gemoji/index.js

The second form regenerates `src/pykyll/plugins/builtin/jemoji_data.json` (emoji alias →
image file name, as gemoji's `Emoji::Character#image_filename`) from the npm package
`gemoji` (8.1.0 carries github/gemoji 4.1's list; `npm pack gemoji@8.1.0`), plus
gemoji's custom (non-Unicode) GitHub emoji. jemoji itself is not packaged by Debian, so
there is no golden site for it.

Each case folder is built with `jekyll build --disable-disk-cache` into
`tests/plugins/goldens2/<case>/`. The environment is made offline-friendly and
reproducible: no GitHub token, no `PAGES_*`/`GITHUB_*` variables, `JEKYLL_ENV` unset
(development), the build run from a scratch folder that is not a git repository.
A case may add variables in a `.golden-env` file (`KEY=VALUE` lines; Jekyll ignores dot
files); the test sets the same ones. Jekyll's log goes to `tests/plugins/goldens2/<case>.log`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "tests" / "plugins" / "sites2"
GOLDENS = ROOT / "tests" / "plugins" / "goldens2"
DROPPED_PREFIXES = ("PAGES_", "GITHUB_", "JEKYLL_")


def case_env(source: Path) -> dict[str, str]:
    """The extra environment variables of a case (its `.golden-env` file)."""
    path = source / ".golden-env"
    if not path.is_file():
        return {}
    pairs = [line.split("=", 1) for line in path.read_text().splitlines() if "=" in line]
    return {key.strip(): value.strip() for key, value in pairs}


def clean_env(source: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(DROPPED_PREFIXES)}
    env.pop("SSL", None)
    env["JEKYLL_NO_BUNDLER_REQUIRE"] = "true"
    env["TZ"] = "UTC"
    env.update(case_env(source))
    return env


def build(case: str) -> int:
    source = SITES / case
    dest = GOLDENS / case
    if dest.exists():
        shutil.rmtree(dest)
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run(
            ["jekyll", "build", "-s", str(source), "-d", str(dest), "--disable-disk-cache"],
            cwd=scratch,
            env=clean_env(source),
            capture_output=True,
            text=True,
            check=False,
        )
    (GOLDENS / f"{case}.log").write_text(
        (result.stdout + result.stderr).replace(str(ROOT), "<repo>")
    )
    print(f"{case}: exit {result.returncode}")
    return result.returncode


CUSTOM_EMOJI = (
    "atom",
    "basecamp",
    "basecampy",
    "bowtie",
    "dependabot",
    "electron",
    "feelsgood",
    "finnadie",
    "fishsticks",
    "goberserk",
    "godmode",
    "hurtrealbad",
    "neckbeard",
    "octocat",
    "rage1",
    "rage2",
    "rage3",
    "rage4",
    "shipit",
    "suspect",
    "trollface",
)


def image_filename(emoji: str) -> str:
    """gemoji: `unicode/<code points>.png`, without the FE0F/200D joiners."""
    hex_name = "-".join(f"{ord(ch):04x}" for ch in emoji)
    hex_name = re.sub(r"-(fe0f|200d)\b", "", hex_name)
    return f"unicode/{hex_name}.png"


def make_emoji_data(index_js: Path) -> int:
    text = index_js.read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for emoji, names in re.findall(r"emoji: '([^']+)',\s*names: \[([^\]]*)\]", text):
        for name in re.findall(r"'([^']+)'", names):
            table.setdefault(name, image_filename(emoji))
    for name in CUSTOM_EMOJI:
        table.setdefault(name, f"{name}.png")
    target = ROOT / "src" / "pykyll" / "plugins" / "builtin" / "jemoji_data.json"
    target.write_text(json.dumps(dict(sorted(table.items())), indent=0) + "\n")
    print(f"{len(table)} emoji aliases → {target.relative_to(ROOT)}")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--emoji-data"] and len(argv) == 2:
        return make_emoji_data(Path(argv[1]))
    GOLDENS.mkdir(parents=True, exist_ok=True)
    cases = argv or sorted(p.name for p in SITES.iterdir() if p.is_dir())
    return max((build(case) for case in cases), default=0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
