"""gapcheck: turn a privacy policy into an evidence-backed compliance gap analysis.

The library is importable without the CLI::

    from gapcheck import analyze
    report = analyze("policy.txt", laws=["ccpa"])
"""

__version__ = "0.1.0"


def analyze(*args, **kwargs):  # noqa: ANN002, ANN003 - thin lazy re-export
    """Lazy re-export of :func:`gapcheck.pipeline.analyze` to keep `import gapcheck` cheap."""
    from gapcheck.pipeline import analyze as _analyze

    return _analyze(*args, **kwargs)
