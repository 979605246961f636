"""Built-in plugins: pykyll's equivalents of the Jekyll gems GitHub Pages offers.

Each module defines its Plugin subclasses and lists them in `PLUGINS`.
"""
