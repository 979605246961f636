"""Small sites with one defect each, written into a temporary folder."""

from __future__ import annotations

from pathlib import Path

LAYOUT = """\
<!doctype html>
<html>
<head><title>{{ page.title }}</title></head>
<body>
{{ content }}
</body>
</html>
"""


def write_site(root: Path, files: dict[str, str]) -> Path:
    files = {
        "_config.yml": 'url: "https://example.org"\n',
        "_layouts/default.html": LAYOUT,
        **files,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def page(body: str, **front: str) -> str:
    front = {"layout": "default", "title": "A page", **front}
    head = "".join(f"{key}: {value}\n" for key, value in front.items())
    return f"---\n{head}---\n{body}"
