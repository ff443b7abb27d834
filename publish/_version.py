"""The version of publish: in every digest of what an output is made from, so a new version
remakes what an older one made."""

__version__ = "0.1.0"
