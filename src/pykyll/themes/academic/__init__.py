"""pykyll-academic: the researcher-homepage theme (AcadHomepage and academicpages pages).

Sites use it with `theme: pykyll-academic`; the entry point in pyproject.toml names this
package, whose folder holds the theme's `_layouts`, `_includes`, `_sass`, `assets` and
`_config.yml`. README.md next to this file documents it.
"""
