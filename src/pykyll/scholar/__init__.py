"""Publications for academic homepages.

* `bibtex`: reading `.bib` files (pybtex), entries as plain data with LaTeX turned into
  Unicode, and the file and line of every entry;
* `latex`: the LaTeX → Unicode/HTML decoder used for titles, names and abstracts;
* `query`: jekyll-scholar's (bibtex-ruby's) `@type[field=value]` queries, sorting and
  grouping;
* `update`: `pykyll scholar update`, which writes the Google Scholar JSON files
  AcadHomepage's crawler writes.

The `{% bibliography %}` tag itself is the built-in plugin `jekyll-scholar`
(`pykyll.plugins.builtin.jekyll_scholar`).
"""
