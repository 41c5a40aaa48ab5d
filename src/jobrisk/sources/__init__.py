"""The public datasets jobrisk reads: the registry, file checks, and the per-source loaders."""

from jobrisk.sources.registry import REGISTRY, Source, SourceFile, get_source

__all__ = ["REGISTRY", "Source", "SourceFile", "get_source"]
