"""pykyll: Jekyll, in Python."""

__version__ = "0.1.0"
