"""Themes shipped inside pykyll (each a folder with `_layouts`, `_includes`, `_sass`, `assets`)."""
