"""jobrisk: an open, reproducible AI job-risk index over public evidence."""

__version__ = "0.1.0"

__all__ = ["__version__"]
