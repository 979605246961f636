"""LaTeX in BibTeX fields → Unicode text or HTML.

Handles what bibliographies contain: accents in every form (`\\"o`, `{\\"o}`, `\\"{o}`,
`\\'{\\i}`, `\\c{c}`, `\\v s`), the special letters (`\\ss`, `\\o`, `\\aa`, `\\l`, …),
escaped characters (`\\&`, `\\%`, `\\_`), dashes and quotes (`--`, `---`, ``` `` ```,
`''`), `~`, protective braces (removed), the font commands (`\\emph`, `\\textit`,
`\\textbf`, `\\textsc`, `\\texttt`, `{\\em …}`, `{\\bf …}` → `<em>`, `<strong>`, … in HTML,
plain text otherwise), `\\url`/`\\href` (their text) and simple math (`$\\alpha$` → α; math
that cannot be written in Unicode is kept as `$…$` for MathJax). An unknown command is
kept as written, so it can be noticed and fixed.
"""

from __future__ import annotations

import html as _html
import re
import unicodedata

_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
    "t": "\u0361",
}

_SYMBOLS = {
    "ss": "ß",
    "SS": "SS",
    "o": "ø",
    "O": "Ø",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "textendash": "–",
    "textemdash": "—",
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "BibTeX": "BibTeX",
    "textregistered": "®",
    "texttrademark": "™",
    "copyright": "©",
    "textcopyright": "©",
    "S": "§",
    "P": "¶",
    "textdegree": "°",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "guillemotleft": "«",
    "guillemotright": "»",
    "textbullet": "•",
    "dag": "†",
    "ddag": "‡",
    "textdagger": "†",
    "textdaggerdbl": "‡",
    "pounds": "£",
    "euro": "€",
    "texteuro": "€",
    "textasciitilde": "~",
    "textbackslash": "\\",
    "textunderscore": "_",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "quad": " ",
    "qquad": "  ",
    "relax": "",
    "protect": "",
    "noopsort": "",
}

_MATH = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ϵ",
    "varepsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "vartheta": "ϑ",
    "iota": "ι",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "upsilon": "υ",
    "phi": "ϕ",
    "varphi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Xi": "Ξ",
    "Pi": "Π",
    "Sigma": "Σ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "Omega": "Ω",
    "times": "×",
    "cdot": "·",
    "pm": "±",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "neq": "≠",
    "approx": "≈",
    "sim": "∼",
    "infty": "∞",
    "to": "→",
    "rightarrow": "→",
    "leftarrow": "←",
    "in": "∈",
    "ell": "ℓ",
    "partial": "∂",
    "nabla": "∇",
    "sqrt": "√",
    "circ": "∘",
}

_STYLES = {
    "emph": "em",
    "textit": "em",
    "textsl": "em",
    "textbf": "strong",
    "textsc": "smallcaps",
    "texttt": "code",
    "textsuperscript": "sup",
    "textsubscript": "sub",
    "underline": "u",
    "uline": "u",
    "textup": "",
    "textrm": "",
    "textsf": "",
    "textnormal": "",
    "textmd": "",
    "mbox": "",
    "text": "",
    "url": "",
    "hbox": "",
    "NoCaseChange": "",
}

_DECLARATIONS = {
    "em": "em",
    "it": "em",
    "itshape": "em",
    "sl": "em",
    "slshape": "em",
    "bf": "strong",
    "bfseries": "strong",
    "sc": "smallcaps",
    "scshape": "smallcaps",
    "tt": "code",
    "ttfamily": "code",
    "rm": "",
    "sf": "",
    "normalfont": "",
    "upshape": "",
    "small": "",
    "footnotesize": "",
    "large": "",
    "Large": "",
}

_ESCAPED = {"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " "}
_SPACES = {",": "\u2009", ";": " ", ":": " ", "!": "", "/": "", "-": ""}
_WHITESPACE = re.compile(r"\s+")
_COMMAND = re.compile(r"[A-Za-z]+|.", re.S)


class _Decoder:
    def __init__(self, source: str, html: bool) -> None:
        self.s = source
        self.html = html
        self.i = 0

    # -- output helpers ------------------------------------------------------------------
    def text(self, value: str) -> str:
        return _html.escape(value, quote=False) if self.html else value

    def wrap(self, style: str, inner: str) -> str:
        if not self.html or not style or not inner:
            return inner
        if style == "smallcaps":
            return f'<span class="smallcaps">{inner}</span>'
        return f"<{style}>{inner}</{style}>"

    # -- parsing -------------------------------------------------------------------------
    def group(self, in_braces: bool) -> str:
        """Render until the closing brace of the current group (or the end)."""
        out: list[str] = []
        s = self.s
        while self.i < len(s):
            ch = s[self.i]
            if ch == "}":
                self.i += 1
                if in_braces:
                    return "".join(out)
                continue  # an unbalanced brace: dropped
            if ch == "{":
                self.i += 1
                out.append(self.group(True))
            elif ch == "\\":
                self.i += 1
                rest = self.command(in_braces)
                if rest is None:
                    continue
                out.append(rest[0])
                if rest[1]:  # a declaration consumed the rest of the group
                    return "".join(out)
            elif ch == "$":
                out.append(self.math())
            elif ch == "~":
                self.i += 1
                out.append("\u00a0")
            elif s.startswith("---", self.i):
                self.i += 3
                out.append("—")
            elif s.startswith("--", self.i):
                self.i += 2
                out.append("–")
            elif s.startswith("``", self.i):
                self.i += 2
                out.append("“")
            elif s.startswith("''", self.i):
                self.i += 2
                out.append("”")
            elif ch.isspace():
                m = _WHITESPACE.match(s, self.i)
                assert m is not None
                self.i = m.end()
                out.append(" ")
            else:
                out.append(self.text(ch))
                self.i += 1
        return "".join(out)

    def argument(self) -> str:
        """One argument: a `{group}`, a command or a single character (spaces skipped)."""
        s = self.s
        while self.i < len(s) and s[self.i].isspace():
            self.i += 1
        if self.i >= len(s):
            return ""
        ch = s[self.i]
        if ch == "{":
            self.i += 1
            return self.group(True)
        if ch == "\\":
            self.i += 1
            rest = self.command(False)
            return rest[0] if rest else ""
        self.i += 1
        return self.text(ch)

    def command(self, in_braces: bool) -> tuple[str, bool] | None:
        """After a backslash: (rendered text, whether the rest of the group was used)."""
        m = _COMMAND.match(self.s, self.i)
        if m is None:
            return ("\\", False)
        name = m.group(0)
        self.i = m.end()
        if name == "\\":
            return (" ", False)
        if name in _ESCAPED:
            return (self.text(_ESCAPED[name]), False)
        if name in _SPACES:
            return (_SPACES[name], False)
        if name in _ACCENTS:
            return (self._accent(name), False)
        if not name.isalpha():
            return (self.text(name), False)
        self._skip_space_after_word()
        if name in _SYMBOLS:
            if self.s.startswith("{}", self.i):
                self.i += 2
            return (self.text(_SYMBOLS[name]), False)
        if name in _STYLES:
            inner = self.argument()
            return (self.wrap(_STYLES[name], inner), False)
        if name == "href":
            self.argument()  # the URL
            return (self.argument(), False)
        if name in _DECLARATIONS:
            inner = self.group(in_braces)
            return (self.wrap(_DECLARATIONS[name], inner), True)
        if name in _MATH:
            return (self.text(_MATH[name]), False)
        return (self.text("\\" + name), False)

    def _skip_space_after_word(self) -> None:
        s = self.s
        while self.i < len(s) and s[self.i] in " \t\n\r":
            self.i += 1

    def _accent(self, name: str) -> str:
        base = self.argument()
        plain = _html.unescape(base) if self.html else base
        if not plain:
            return self.text(_ACCENTS[name])
        if plain[0] == "ı":
            plain = "i" + plain[1:]
        elif plain[0] == "ȷ":
            plain = "j" + plain[1:]
        combined = unicodedata.normalize("NFC", plain[0] + _ACCENTS[name] + plain[1:])
        return self.text(combined)

    def math(self) -> str:
        s = self.s
        display = s.startswith("$$", self.i)
        delimiter = "$$" if display else "$"
        start = self.i + len(delimiter)
        end = start
        while True:
            end = s.find(delimiter, end)
            if end < 0 or s[end - 1] != "\\":
                break
            end += 1
        if end < 0:
            self.i += len(delimiter)
            return self.text(delimiter)
        inner = s[start:end]
        self.i = end + len(delimiter)
        converted = _convert_math(inner)
        if converted is not None:
            return self.text(converted)
        return self.text(delimiter + inner + delimiter)


def _convert_math(inner: str) -> str | None:
    """Math written in Unicode when it is only letters, digits and known symbols."""

    def symbol(m: re.Match[str]) -> str:
        return _MATH.get(m.group(1), m.group(0))

    out = re.sub(r"\\([A-Za-z]+)\s*", symbol, inner)
    out = re.sub(r"[{}]", "", out)
    if "\\" in out or "^" in out or "_" in out:
        return None
    return out


def to_text(value: str) -> str:
    """A BibTeX field's LaTeX as plain Unicode text."""
    return _Decoder(value, html=False).group(False).strip()


def to_html(value: str) -> str:
    """A BibTeX field's LaTeX as HTML (text escaped, font commands as elements)."""
    return _Decoder(value, html=True).group(False).strip()


def strip_braces(value: str) -> str:
    """A field used verbatim (URLs, identifiers): only its outer braces removed."""
    value = value.strip()
    while value.startswith("{") and value.endswith("}") and _balanced(value[1:-1]):
        value = value[1:-1].strip()
    return value


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0
