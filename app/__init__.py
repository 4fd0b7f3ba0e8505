"""precheck: a pre-publication checker for WeChat posts."""

__version__ = "0.1.0"
