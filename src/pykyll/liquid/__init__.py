"""Jekyll's dialect of Liquid on python-liquid.

The build talks to Liquid only through :class:`LiquidEngine` (parse once, render many)
and the :class:`SiteServices` protocol the engine uses to reach the site (configuration,
include folders, documents for `link`/`post_url`, markdown for `markdownify`, warnings).

Modules: `engine` (public API, error locations, warnings), `environment` (the
python-liquid Environment: tags, output, error modes, include loading and caching,
guard rails), `tags` (include, include_relative, link, post_url, highlight, render),
`filters` (Liquid 5.4's standard filters and Jekyll's 33), `conditions` (Ruby comparison
semantics), `ruby` (`to_s`, `inspect`, numbers, `strftime`, `Time.parse`) and
`ruby_syntax` (Ruby Liquid's strict-parser messages and lax recovery).
"""

from pykyll.liquid.engine import LiquidEngine, SiteServices, Template
from pykyll.liquid.filters import FILTERS

__all__ = ["FILTERS", "LiquidEngine", "SiteServices", "Template"]
