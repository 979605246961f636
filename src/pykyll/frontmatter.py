"""Front matter: Jekyll's detection and splitting rules on python-frontmatter's handler API.

Jekyll decides *whether* a file has front matter from its first line alone (read as bytes,
so a UTF-8 BOM hides it) and splits it with `Document::YAML_FRONT_MATTER_REGEXP`, which
also accepts `...` as the closing line. python-frontmatter's stock boundary is different
(it accepts `----`), so we plug Jekyll's rules into a handler of our own.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from pykyll import yamlload
from pykyll.errors import ContentError

_HEADER = re.compile(rb"\A---\s*\r?\n")
# re.ASCII: Ruby's `\s` is [ \t\r\n\f\v] only
_FRONT_MATTER = re.compile(
    r"\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)", re.DOTALL | re.MULTILINE | re.ASCII
)


class JekyllYAMLHandler(YAMLHandler):
    FM_BOUNDARY = _FRONT_MATTER

    def detect(self, text: str) -> bool:
        return _FRONT_MATTER.match(text) is not None

    def split(self, text: str) -> tuple[str, str]:
        match = _FRONT_MATTER.match(text)
        if match is None:
            return "", text
        # the YAML keeps its opening `---` line: Psych reads it as a document start
        return match.group(1), text[match.end() :]

    def load(self, fm: str, **kwargs: object) -> Any:
        return yamlload.load(fm)


HANDLER = JekyllYAMLHandler()


#: a file `has_yaml_header` found to have front matter and read whole (it was small), for
#: the `read_source` that comes next: opening every page and document twice was a sixth
#: of the read stage. Kept with the file's size and time, so that a later edit (`serve`
#: lives on) is never answered with the bytes read before it.
_READ_AHEAD = 1 << 16
_read_ahead: dict[str, tuple[tuple[int, int, int], bytes]] = {}


def _identity(info: os.stat_result) -> tuple[int, int, int]:
    return info.st_ino, info.st_size, info.st_mtime_ns


def has_yaml_header(path: Path) -> bool:
    """`Utils.has_yaml_header?`: the file's first line is `---`."""
    _read_ahead.clear()
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            head = os.read(fd, _READ_AHEAD)
            info = os.fstat(fd)
        finally:
            os.close(fd)
    except OSError:
        return False
    found = _HEADER.match(head) is not None
    if found and len(head) < _READ_AHEAD:  # short of the limit: the whole file
        _read_ahead[os.fspath(path)] = (_identity(info), head)
    return found


def _read_bytes(path: Path) -> bytes:
    kept = _read_ahead.pop(os.fspath(path), None)
    if kept is not None:
        with contextlib.suppress(OSError):
            if _identity(os.stat(path)) == kept[0]:
                return kept[1]
    return path.read_bytes()


@dataclass
class Parsed:
    data: Any
    content: str
    #: line of the source file where `content` begins (1-based)
    content_line: int
    has_front_matter: bool


def read_source(path: Path, encoding: str = "utf-8") -> str:
    """Read a source file as Jekyll does: `bom|utf-8`, universal newlines kept as written."""
    raw = _read_bytes(path)
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        return raw.decode("utf-8-sig")
    return raw.decode(encoding)


def parse(text: str, file: str) -> Parsed:
    """Split `text` into front matter data and content; YAML errors name the file and line."""
    if not HANDLER.detect(text):
        return Parsed({}, text, 1, False)
    fm, content = HANDLER.split(text)
    content_line = text.count("\n", 0, len(text) - len(content)) + 1
    try:
        data = HANDLER.load(fm)
    except yaml.YAMLError as err:
        raise yamlload.error(err, file, 0, ContentError) from err
    return Parsed(data, content, content_line, True)


def key_line(path: Path, key: str) -> int | None:
    """The line of `key:` in the front matter of the file at `path` (1-based), if it is there:
    messages about a front matter value (a missing layout) point at it."""
    try:
        text = read_source(path)
    except (OSError, UnicodeDecodeError):
        return None
    match = _FRONT_MATTER.match(text)
    if match is None:
        return None
    wanted = re.compile(rf"^{re.escape(key)}\s*:")
    for number, line in enumerate(match.group(1).splitlines(), start=1):
        if wanted.match(line):
            return number
    return None
