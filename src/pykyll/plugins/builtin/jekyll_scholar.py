"""jekyll-scholar's `{% bibliography %}` for academic homepages, rendered like al-folio.

Enabled by `plugins: [jekyll-scholar]`. Tags:

* `{% bibliography [options] %}` — the entries of the `.bib` file(s), filtered, sorted,
  grouped and rendered with a template;
* `{% bibliography_count [options] %}` — how many entries the same options select;
* `{% paper_box KEY [--file F] %}` — one entry as AcadHomepage's paper box (teaser image
  with a venue badge, title, authors with the owner in bold, links, citation count);
  the same as `{% bibliography --query KEY --template paper_box %}` without the list.

Tag options (jekyll-scholar's): `-f/--file NAME` (repeatable; `.bib` is added when the
name has no extension), `-q/--query QUERY` (see `pykyll.scholar.query`), `-g/--group_by`,
`-G/--group_order`, `-O/--type_order`, `-T/--template NAME`, `-m/--max N`,
`-o/--offset N`, `-p/--prefix P` (prefix of the entries' ids), `-h/--bibliography_list_tag`,
`-s/--style` (accepted, ignored: there is no CSL). Values but the template's may use
`{{ … }}`. The options that need citations (`--cited`, `--cited_in_order`, `--text`,
`--locator`, `--label`, `--suppress_author`, `--clear`) and `--remove_duplicates` are an
error: pykyll has no `{% cite %}`. Entries without the grouping field are grouped last,
under "Other"; entries that sort equal keep their order in the file.

Configuration (`scholar:` in `_config.yml`, jekyll-scholar's names and defaults):
`source` (`./_bibliography`), `bibliography` (`references.bib`, may be a glob like
`*.bib`), `query` (`@*`), `sort_by` (`none`; e.g. `year,month`), `order` (`ascending`,
per key: `descending,ascending`), `group_by` (`none`; e.g. `year`), `group_order`,
`bibliography_group_tag` (`h2,h3,h4,h5`), `bibliography_list_tag` (`ol`),
`bibliography_item_tag` (`li`), `bibliography_class`, `bibliography_list_attributes`,
`bibliography_item_attributes`, `type_names`, `type_aliases`, `type_order`, `month_names`,
`bibtex_skip_fields`, `bibliography_template`. al-folio's: `last_name`, `first_name` (the
owner, in bold), `max_author_limit` (or the top-level key; "and N more authors" after it),
`filtered_bibtex_keywords` (top level), `site.data.venues` (badge colour/link),
`site.data.coauthors` (links to co-authors), `enable_publication_thumbnails`.
pykyll's own: `bibtex_show` (true: a "Bib" button on every entry; otherwise only on
entries with `bibtex_show = {true}`, as al-folio), `preview_dir`
(`/assets/img/publication_preview/`), `pdf_dir` (`/assets/pdf/`), `html_dir`
(`/assets/html/`), `scholar_userid` (also `site.scholar_userid`, for `google_scholar_id`
fields that hold only the paper's part), `assets` (true: link the toggles' small CSS and
JS, written to `/assets/css/pykyll-scholar.css` and `/assets/js/pykyll-scholar.js`).

Templates: `bibliography_template` (or `--template`) names a layout of the site, as in
jekyll-scholar (al-folio's `bib` layout keeps working), else one of the built-in templates
`bib` (al-folio's look; the default) and `paper_box`, else it is Liquid source
(`"{{reference}}"`). A template sees `entry` (the fields as jekyll-scholar gives them:
LaTeX decoded, `key`, `type`, `bibtex`, `author_array`, …), `paper` (what pykyll computed
for display: `id`, `authors` HTML, `venue`, `links`, `preview`, `citations_id`, …),
`reference` (a plain APA-like reference), `key`, `type`, `index`, with `site` and `page`.

Errors: a malformed `.bib` entry stops the build with the file and line (bibtex-ruby,
jekyll-scholar's parser, raises on one); a repeated key is a warning and the first entry
is kept; a missing `.bib` file is an error; `{% paper_box %}` of an unknown key is a
warning and writes jekyll-scholar's `missing_reference` text.
"""

from __future__ import annotations

import glob
import html
import io
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from liquid.ast import Node
from liquid.exceptions import LiquidError, LiquidSyntaxError
from liquid.tag import Tag
from liquid.token import Token

from pykyll.errors import ContentError
from pykyll.liquid.tags import IncludeError, markup_of
from pykyll.plugins import Plugin
from pykyll.plugins.builtin._gemkit import PluginPage, finish_plugin_page
from pykyll.plugins.builtin._ghpages_support import relative_url, site_of
from pykyll.scholar import bibtex
from pykyll.scholar.bibtex import Entry, Name
from pykyll.scholar.query import (
    UNSUPPORTED,
    Group,
    Options,
    QueryError,
    grouping,
    matches,
    parse_options,
    sort_entries,
    split_list,
)

if TYPE_CHECKING:
    from liquid import BoundTemplate
    from liquid.context import RenderContext
    from liquid.stream import TokenStream

    from pykyll.site import Site

TEMPLATES = Path(__file__).with_name("templates") / "scholar"
BUILTIN_TEMPLATES = ("bib", "paper_box")
CSS_URL = "/assets/css/pykyll-scholar.css"
JS_URL = "/assets/js/pykyll-scholar.js"

DEFAULTS: dict[str, Any] = {
    "source": "./_bibliography",
    "bibliography": "references.bib",
    "query": "@*",
    "sort_by": "none",
    "order": "ascending",
    "group_by": "none",
    "group_order": "ascending",
    "bibliography_group_tag": "h2,h3,h4,h5",
    "bibliography_list_tag": "ol",
    "bibliography_item_tag": "li",
    "bibliography_class": "bibliography",
    "bibliography_list_attributes": {},
    "bibliography_item_attributes": {},
    "bibliography_template": "bib",
    "missing_reference": "(missing reference)",
    "bibtex_show": False,
    "preview_dir": "/assets/img/publication_preview/",
    "pdf_dir": "/assets/pdf/",
    "html_dir": "/assets/html/",
    "assets": True,
}

#: what the "Bib" toggle leaves out: jekyll-scholar's `bibtex_skip_fields` and al-folio's
#: `filtered_bibtex_keywords`
SKIPPED_BIBTEX_FIELDS = (
    "abbr",
    "abstract",
    "additional_info",
    "altmetric",
    "annotation",
    "arxiv",
    "award",
    "award_name",
    "bibtex_show",
    "blog",
    "code",
    "dimensions",
    "google_scholar_id",
    "html",
    "inspirehep_id",
    "month_numeric",
    "pdf",
    "poster",
    "preview",
    "selected",
    "slides",
    "supp",
    "video",
    "website",
)

#: the link buttons, in al-folio's order: (field, label, folder config key for paths)
LINK_FIELDS = (
    ("arxiv", "arXiv", None),
    ("html", "HTML", "html_dir"),
    ("pdf", "PDF", "pdf_dir"),
    ("supp", "Supp", "pdf_dir"),
    ("video", "Video", None),
    ("blog", "Blog", None),
    ("code", "Code", None),
    ("poster", "Poster", "pdf_dir"),
    ("slides", "Slides", "pdf_dir"),
    ("website", "Website", None),
    ("doi", "DOI", None),
)
#: the fields the built-in templates test: always present in `entry`, nil when missing
TEMPLATE_FIELDS = ("title", "abbr", "note", "abstract")
_PROCEEDINGS = ("inproceedings", "incollection", "conference")
_THESES = ("thesis", "phdthesis", "mastersthesis")
_TRUE = ("true", "yes", "1")


def _config(site: Site) -> dict[str, Any]:
    config = dict(DEFAULTS)
    own = site.config.get("scholar")
    if isinstance(own, Mapping):
        config.update(own)
    return config


# -- reading the bibliography ---------------------------------------------------------------


def _cache(site: Site) -> dict[Path, tuple[int, int, list[Entry]]]:
    cache: dict[Path, tuple[int, int, list[Entry]]] | None = getattr(
        site, "_pykyll_scholar_cache", None
    )
    if cache is None:
        cache = {}
        site._pykyll_scholar_cache = cache  # type: ignore[attr-defined]
    return cache


def _source_dir(site: Site, config: Mapping[str, Any]) -> Path:
    source = str(config.get("source") or "./_bibliography")
    if source.startswith("/") and Path(source).exists():
        return Path(source)
    return site.source / source.lstrip("/")


def bib_paths(site: Site, config: Mapping[str, Any], files: list[str]) -> list[Path]:
    """jekyll-scholar's `bibtex_paths`: `--file` names or `bibliography`, in `source`."""
    folder = _source_dir(site, config)
    names = list(files)
    if not names:
        configured = str(config.get("bibliography") or "references.bib")
        if "*" in configured:
            found = sorted(glob.glob(str(folder / configured)))
            return [Path(p) for p in found]
        names = [configured]
    paths: list[Path] = []
    for name in names:
        if name.startswith("/") and Path(name).exists():
            paths.append(Path(name))
            continue
        path = folder / name
        if not Path(name).suffix and not path.exists():
            path = path.with_name(path.name + ".bib")
        paths.append(path)
    return paths


def load_entries(site: Site, paths: list[Path]) -> list[Entry]:
    cache = _cache(site)
    entries: list[Entry] = []
    seen: set[str] = set()
    for path in paths:
        display = site.display_path(path)
        try:
            stat = path.stat()
        except OSError:
            raise ContentError(
                f"the bibliography file {display} does not exist",
                hint="check `scholar: source:` and `bibliography:`, or the tag's --file",
            ) from None
        cached = cache.get(path)
        if cached is None or cached[:2] != (stat.st_mtime_ns, stat.st_size):

            def warn(message: str) -> None:
                site.logger.warn("Scholar Warning:", message)

            cached = (stat.st_mtime_ns, stat.st_size, bibtex.load(path, display, warn))
            cache[path] = cached
        for entry in cached[2]:
            if entry.key not in seen:  # bibtex-ruby keeps the first of a repeated key
                seen.add(entry.key)
                entries.append(entry)
    return entries


# -- what templates see -------------------------------------------------------------------


def _is_true(value: str | None) -> bool:
    return value is not None and value.strip().lower() in _TRUE


def _contains(collection: Any, value: str) -> bool:
    """Liquid's `contains`: membership in a list, a substring of a string."""
    if not value:
        return False
    if isinstance(collection, list):
        return any(str(item).strip() == value for item in collection)
    if isinstance(collection, str):
        return value in collection
    return False


def _is_self(name: Name, config: Mapping[str, Any]) -> bool:
    last = re.sub(r"[*∗†‡§¶‖&^]", "", name.last)
    return _contains(config.get("last_name"), last) and _contains(
        config.get("first_name"), name.first
    )


def _coauthor_url(name: Name, data: Mapping[str, Any]) -> str | None:
    coauthors = data.get("coauthors")
    if not isinstance(coauthors, Mapping):
        return None
    last = re.sub(r"[*∗†‡§¶‖&^]", "", name.last).lower()
    for person in coauthors.get(last) or []:
        if isinstance(person, Mapping) and _contains(person.get("firstname"), name.first):
            url = person.get("url")
            return str(url) if url else None
    return None


def entry_data(entry: Entry, skip: set[str]) -> dict[str, Any]:
    """jekyll-scholar's `liquidify`: the fields (LaTeX → Unicode, as HTML), `key`, `type`,
    `bibtex`, and `<name>_array` lists of `{first, last, prefix, suffix}`."""
    data: dict[str, Any] = {
        "key": entry.key,
        "type": entry.type,
        "bibtex": entry.bibtex(skip),
    }
    for name in entry.order:
        data[name] = entry.html(name)
    for role, names in entry.names.items():
        data[f"{role}_array"] = [
            {"first": n.first, "last": n.last, "prefix": n.von, "suffix": n.jr}
            for n in names
            if not n.others
        ]
    if entry.month_numeric is not None:
        data["month_numeric"] = entry.month_numeric
    for name in TEMPLATE_FIELDS:  # defined (nil) for `strict_variables`
        data.setdefault(name, None)
    return data


def _link(site: Site, value: str, folder: str | None) -> str:
    if "://" in value or value.startswith(("mailto:", "#")):
        return value
    if value.startswith("/") or folder is None:
        return relative_url(site, value)
    return relative_url(site, folder.rstrip("/") + "/" + value)


def _authors_html(
    entry: Entry, paper_id: str, config: Mapping[str, Any], site: Site
) -> tuple[str, list[dict[str, Any]]]:
    names = entry.names.get("author") or entry.names.get("editor") or []
    et_al = any(n.others for n in names)
    people = [n for n in names if not n.others]
    listed: list[dict[str, Any]] = []
    pieces: list[str] = []
    for name in people:
        own = _is_self(name, config)
        url = _coauthor_url(name, site.data) if not own else None
        text = html.escape(name.full, quote=False)
        if own:
            piece = f'<strong class="author-self">{text}</strong>'
        elif url:
            piece = f'<a class="author-link" href="{html.escape(url)}">{text}</a>'
        else:
            piece = f'<span class="author-name">{text}</span>'
        pieces.append(piece)
        listed.append({"name": name.full, "self": own, "url": url})
    limit_value = config.get("max_author_limit", site.config.get("max_author_limit"))
    try:
        limit = int(limit_value) if limit_value not in (None, "", False) else None
    except (TypeError, ValueError):
        limit = None
    if limit is not None and limit < 1:
        limit = None
    hidden: list[str] = []
    if limit is not None and len(pieces) > limit:
        # as al-folio: the first `limit` names, the rest behind "N more authors"
        hidden = pieces[limit:]
        pieces = pieces[:limit]
    if not pieces:
        return "", listed
    if hidden:
        count = len(hidden)
        label = f"{count} more author{'s' if count > 1 else ''}"
        more_id = f"{paper_id}-more-authors"
        out = ", ".join(pieces)
        out += (
            f', and <button type="button" class="more-authors" aria-expanded="false" '
            f'aria-controls="{more_id}" data-more-authors>{label}</button>'
            f'<span class="more-authors-list" id="{more_id}" tabindex="-1" hidden>'
            f"{', '.join(hidden)}</span>"
        )
        if et_al:
            out += ", et al."
        return out, listed
    if et_al:
        return ", ".join(pieces) + ", et al.", listed
    if len(pieces) == 1:
        return pieces[0], listed
    if len(pieces) == 2:
        return f"{pieces[0]} and {pieces[1]}", listed
    return ", ".join(pieces[:-1]) + ", and " + pieces[-1], listed


def _venue_html(entry: Entry) -> str:
    if entry.type == "article":
        place = entry.html("journal")
        venue = f"<em>{place}</em>" if place else ""
    elif entry.type in _PROCEEDINGS:
        place = entry.html("booktitle")
        venue = f"<em>In {place}</em>" if place else ""
    elif entry.type in _THESES:
        place = entry.html("school")
        venue = f"<em>{place}</em>" if place else ""
    elif entry.type in ("book", "inbook"):
        venue = entry.html("publisher") or ""
    elif entry.type == "techreport":
        venue = entry.html("institution") or ""
    else:
        how = entry.html("howpublished") or ""
        venue = "" if "://" in how else how
    location = entry.html("location") or entry.html("address")
    if location and venue:
        venue += f", {location}"
    date = " ".join(p for p in (entry.html("month") or "", entry.html("year") or "") if p)
    if venue and date:
        return f"{venue}, {date}"
    return venue or date


def _citations_id(entry: Entry, config: Mapping[str, Any], site: Site) -> str | None:
    paper = entry.text("google_scholar_id")
    if not paper:
        return None
    if ":" in paper:
        return paper
    user = config.get("scholar_userid") or site.config.get("scholar_userid")
    return f"{user}:{paper}" if user else paper


def paper_data(
    entry: Entry, paper_id: str, config: Mapping[str, Any], site: Site
) -> dict[str, Any]:
    """What pykyll's templates show, computed once in Python."""
    authors, listed = _authors_html(entry, paper_id, config, site)
    links: list[dict[str, str]] = []
    for name, label, folder in LINK_FIELDS:
        value = entry.text(name)
        if not value:
            continue
        if name == "arxiv":
            url = value if "://" in value else f"https://arxiv.org/abs/{value}"
        elif name == "doi":
            url = value if "://" in value else f"https://doi.org/{value}"
        else:
            url = _link(site, value, str(config.get(folder)) if folder else None)
        links.append({"kind": name, "label": label, "url": url})
    abbr = entry.text("abbr")
    venues = site.data.get("venues")
    venue_style = venues.get(abbr) if isinstance(venues, Mapping) and abbr else None
    preview = entry.text("preview")
    preview_url = _link(site, preview, str(config.get("preview_dir"))) if preview else None
    title_url = None
    for name in ("html", "website", "url", "pdf", "arxiv"):
        found = next((link["url"] for link in links if link["kind"] == name), None)
        if found is None and name == "url" and entry.text("url"):
            found = entry.text("url")
        if found:
            title_url = found
            break
    bibtex_show = bool(config.get("bibtex_show")) or _is_true(entry.text("bibtex_show"))
    thumbnails = config.get("thumbnails", site.config.get("enable_publication_thumbnails"))
    return {
        "id": paper_id,
        "authors": authors,
        "author_list": listed,
        "venue": _venue_html(entry),
        "venue_name": next(
            (v for v in map(entry.text, ("journal", "booktitle", "school")) if v), None
        ),
        "links": links,
        "abbr_color": (venue_style or {}).get("color") if venue_style else None,
        "abbr_url": (venue_style or {}).get("url") if venue_style else None,
        "preview": preview_url,
        "thumbnails": bool(thumbnails),
        "title_url": title_url,
        "selected": _is_true(entry.text("selected")),
        "bibtex_show": bibtex_show,
        "citations_id": _citations_id(entry, config, site),
        "year": entry.text("year"),
    }


def reference_html(entry: Entry) -> str:
    """A short APA-like reference (what jekyll-scholar's `{{reference}}` gives via CSL)."""
    names = entry.names.get("author") or entry.names.get("editor") or []

    def short(name: Name) -> str:
        if name.others:
            return "et al."
        initials = " ".join(f"{part[0]}." for part in name.first.split() if part)
        last = " ".join(p for p in (name.von, name.last) if p)
        return f"{last}, {initials}" if initials else last

    people = [html.escape(short(n), quote=False) for n in names]
    if people and people[-1] == "et al.":
        authors = ", ".join(people[:-1]) + " et al."
    elif len(people) > 1:
        authors = ", ".join(people[:-1]) + ", &amp; " + people[-1]
    else:
        authors = "".join(people)
    year = entry.html("year") or "n.d."
    parts = [f"{authors} ({year})." if authors else f"({year})."]
    title = entry.html("title")
    if title:
        parts.append(f"{title}.")
    venue = entry.html("journal") or entry.html("booktitle") or entry.html("publisher")
    if venue:
        parts.append(f"<i>{venue}</i>.")
    return " ".join(parts)


# -- templates --------------------------------------------------------------------------------


@dataclass
class _Template:
    template: BoundTemplate
    label: str


def _template(context: RenderContext, site: Site, name: str) -> _Template:
    env: Any = context.env
    cache: dict[tuple[str, str], _Template] | None = getattr(env, "_pykyll_scholar_tpl", None)
    if cache is None:
        cache = {}
        env._pykyll_scholar_tpl = cache
    layout = site.layouts.get(name) if name else None
    if layout is not None:
        source, label = layout.content, layout.relative_path
    elif name in BUILTIN_TEMPLATES:
        source = (TEMPLATES / f"{name}.liquid").read_text(encoding="utf-8")
        label = f"(jekyll-scholar) {name}.liquid"
    else:
        source, label = name or "{{reference}}", "bibliography_template"
    found = cache.get((label, source))
    if found is None:
        try:
            parsed = env.from_string(source, name=label, path=label)
        except LiquidError as err:
            err.pykyll_file = label  # type: ignore[attr-defined]
            raise
        found = _Template(parsed, label)
        cache[(label, source)] = found
    return found


def _render(context: RenderContext, template: _Template, namespace: dict[str, Any]) -> str:
    buffer = io.StringIO()
    try:
        with context.extend(namespace, template=template.template):
            template.template.render_with_context(context, buffer, partial=True)
    except LiquidError as err:
        if getattr(err, "pykyll_file", None) is None:
            err.pykyll_file = template.label  # type: ignore[attr-defined]
        raise
    # no blank lines: the output often lands in Markdown, where one would end the HTML block
    return "\n".join(line for line in buffer.getvalue().splitlines() if line.strip())


def _attributes(values: Any) -> str:
    if not isinstance(values, Mapping):
        return ""
    return "".join(f' {k}="{html.escape(str(v))}"' for k, v in values.items())


class _State:
    """Per render (page): ids given out, whether the CSS/JS were linked."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()
        self.assets = False

    def unique(self, base: str) -> str:
        base = re.sub(r"[^\w\-:.]", "-", base)
        self.ids[base] += 1
        count = self.ids[base]
        return base if count == 1 else f"{base}-{count}"


def _state(context: RenderContext) -> _State:
    namespace = context.tag_namespace
    state = namespace.get("pykyll_scholar")
    if not isinstance(state, _State):
        state = _State()
        namespace["pykyll_scholar"] = state
    return state


def _assets(context: RenderContext, site: Site, config: Mapping[str, Any]) -> str:
    state = _state(context)
    if not config.get("assets") or state.assets:
        return ""
    state.assets = True
    css, js = relative_url(site, CSS_URL), relative_url(site, JS_URL)
    return f'<link rel="stylesheet" href="{css}">\n<script src="{js}" defer></script>\n'


# -- the tags -------------------------------------------------------------------------------


class _Selection:
    """What a tag's options select, ready to render."""

    def __init__(self, context: RenderContext, options: Options, token: Token) -> None:
        site = site_of(context)
        if site is None:
            raise LiquidSyntaxError("the bibliography needs a site", token=token)
        self.site = site
        self.config = _config(site)
        self.options = options
        values = options.values
        paths = bib_paths(site, self.config, options.files)
        entries = load_entries(site, paths)
        query = values.get("query") or str(self.config.get("query") or "@*")
        try:
            chosen = [e for e in entries if matches(e, query)]
        except QueryError as err:
            raise ContentError(str(err)) from err
        chosen = sort_entries(chosen, self.config.get("sort_by"), self.config.get("order"))
        offset = _int(values.get("offset"), 0)
        limit = _int(values.get("max"), None)
        chosen = chosen[offset:]
        if limit is not None:
            chosen = chosen[:limit]
        self.entries = chosen
        skip = set(split_list(self.config.get("bibtex_skip_fields"))) or set(SKIPPED_BIBTEX_FIELDS)
        skip |= set(split_list(site.config.get("filtered_bibtex_keywords")))
        self.skip = skip

    def namespace(self, context: RenderContext, entry: Entry, index: int) -> dict[str, Any]:
        prefix = self.options.values.get("prefix")
        paper_id = _state(context).unique("-".join(p for p in (prefix, entry.key) if p))
        return {
            "entry": entry_data(entry, self.skip),
            "paper": paper_data(entry, paper_id, self.config, self.site),
            "reference": f'<span id="{paper_id}">{reference_html(entry)}</span>',
            "key": entry.key,
            "type": entry.type,
            "index": index,
            "link": None,
            "links": {},
        }


def _int(value: str | None, default: int | None) -> int | None:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        return default


def _markup(context: RenderContext, markup: str) -> str:
    if "{{" in markup or "{%" in markup:
        env: Any = context.env
        return str(env.render_fragment(markup, context))
    return markup


class ScholarSyntaxError(IncludeError, LiquidSyntaxError):
    """A bad `{% bibliography %}` option: fails the build in every error mode (Ruby's
    OptionParser raises out of the tag)."""


class _OptionsNode(Node):
    __slots__ = ("options",)

    def __init__(self, token: Token, options: Options) -> None:
        super().__init__(token)
        self.options = options
        self.blank = False

    def interpolated(self, context: RenderContext) -> Options:
        """The options with `{{ … }}` rendered (all but --template, as jekyll-scholar)."""
        values = {
            k: (v if k == "template" else _markup(context, v))
            for k, v in self.options.values.items()
        }
        return Options([_markup(context, f) for f in self.options.files], values)

    def selection(self, context: RenderContext) -> _Selection:
        return _Selection(context, self.interpolated(context), self.token)


def _parse(markup: str, token: Token) -> Options:
    def error(message: str) -> Exception:
        return ScholarSyntaxError(f"bibliography: {message}", token=token)

    options = parse_options(markup.strip(), error)
    for name in sorted(UNSUPPORTED):
        if name in options.values:
            raise ScholarSyntaxError(
                f"the bibliography option --{name} is not supported by pykyll "
                "(it has no {% cite %}); remove it",
                token=token,
            )
    return options


class BibliographyNode(_OptionsNode):
    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        chosen = self.selection(context)
        config = chosen.config
        values = chosen.options.values
        template = _template(
            context,
            chosen.site,
            values.get("template") or str(config.get("bibliography_template") or ""),
        )
        config_grouping = dict(config)
        if "type_order" in values:
            config_grouping["type_order"] = values["type_order"]
        groups = grouping(
            config_grouping,
            values.get("group_by", config.get("group_by")),
            values.get("group_order", config.get("group_order")),
        )
        list_tag = values.get("bibliography_list_tag") or str(config["bibliography_list_tag"])
        item_tag = str(config.get("bibliography_item_tag") or "li")
        css_class = html.escape(str(config.get("bibliography_class") or "bibliography"))
        counter = [0]

        def items(entries: list[Entry]) -> str:
            out = []
            for entry in entries:
                counter[0] += 1
                body = _render(context, template, chosen.namespace(context, entry, counter[0]))
                attrs = _attributes(config.get("bibliography_item_attributes"))
                out.append(f"<{item_tag}{attrs}>{body}</{item_tag}>")
            attrs = _attributes(config.get("bibliography_list_attributes"))
            inner = "\n".join(out)
            return f'<{list_tag} class="{css_class}"{attrs}>\n{inner}\n</{list_tag}>'

        group_tags = split_list(config.get("bibliography_group_tag")) or ["h2"]

        def render_groups(found: list[Group], level: int) -> str:
            tag = group_tags[level] if level < len(group_tags) else group_tags[-1]
            out = []
            for group in found:
                out.append(f'<{tag} class="{css_class}">{html.escape(group.name)}</{tag}>')
                if group.children:
                    out.append(render_groups(group.children, level + 1))
                else:
                    out.append(items(group.entries))
            return "\n".join(out)

        if groups is None:
            body = items(chosen.entries)
        else:
            body = render_groups(groups.group(chosen.entries), 0)
        return buffer.write(_assets(context, chosen.site, config) + body)


class _OptionsTag(Tag):
    """A tag whose whole markup is jekyll-scholar's command-line style options."""

    block = False
    node: type[_OptionsNode]

    def parse(self, stream: TokenStream) -> Node:
        token, markup = markup_of(stream)
        return self.node(token, _parse(markup or "", token))


class BibliographyTag(_OptionsTag):
    name = "bibliography"
    node = BibliographyNode


class BibliographyCountNode(_OptionsNode):
    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        return buffer.write(str(len(self.selection(context).entries)))


class BibliographyCountTag(_OptionsTag):
    name = "bibliography_count"
    node = BibliographyCountNode


class PaperBoxNode(_OptionsNode):
    __slots__ = ("key",)

    def __init__(self, token: Token, key: str, options: Options) -> None:
        super().__init__(token, options)
        self.key = key

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        key = _markup(context, self.key).strip()
        options = self.interpolated(context)
        options.values["query"] = key
        chosen = _Selection(context, options, self.token)
        found = next((e for e in chosen.entries if e.key == key), None)
        config = chosen.config
        if found is None:
            offset = getattr(context.template, "pykyll_line_offset", 0) or 0
            line = self.token.source.count("\n", 0, self.token.start_index) + 1 + offset
            page = context.resolve("page", default=None)
            where = page.get("path") if isinstance(page, Mapping) else None
            chosen.site.logger.warn(
                "Scholar Warning:",
                f"{where or ''}{':' + str(line) if where else ''} {{% paper_box {key} %}}: "
                "no BibTeX entry has this key".strip(),
            )
            return buffer.write(str(config.get("missing_reference") or ""))
        template = _template(
            context, chosen.site, chosen.options.values.get("template") or "paper_box"
        )
        body = _render(context, template, chosen.namespace(context, found, 1))
        return buffer.write(_assets(context, chosen.site, config) + body)


class PaperBoxTag(Tag):
    name = "paper_box"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, markup = markup_of(stream)
        key, _, rest = (markup or "").strip().partition(" ")
        if not key or key.startswith("-"):
            raise ScholarSyntaxError(
                "paper_box: the BibTeX key is missing — {% paper_box KEY [--file NAME] %}",
                token=token,
            )
        options = _parse(rest, token)
        if "query" in options.values:
            raise ScholarSyntaxError("paper_box: --query is not an option here", token=token)
        return PaperBoxNode(token, key, options)


def _asset_text(name: str) -> Callable[[PluginPage], str]:
    text = (TEMPLATES / name).read_text(encoding="utf-8")

    def produce(page: PluginPage) -> str:
        return text

    return produce


class JekyllScholar(Plugin):
    name = "jekyll-scholar"

    def tags(self) -> list[type[Tag]]:
        return [BibliographyTag, BibliographyCountTag, PaperBoxTag]

    def generate(self) -> None:
        config = _config(self.site)
        if not config.get("assets"):
            return
        taken = {p.url for p in self.site.pages} | {f.url for f in self.site.static_files}
        for url, name in ((CSS_URL, "scholar.css"), (JS_URL, "scholar.js")):
            if url in taken:
                continue
            folder, _, filename = url.rpartition("/")
            page = PluginPage(
                self.site, folder, filename, {"layout": None}, self, _asset_text(name)
            )
            self.site.pages.append(page)

    def post_render(self, item: Any) -> None:
        finish_plugin_page(self, item)


PLUGINS = [JekyllScholar]
