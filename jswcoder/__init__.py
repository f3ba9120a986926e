"""jswcoder: encrypted, offline qualitative coding for research teams.

The package is a Qt-free core; ``jswcoder.ui`` is the only part that may import PySide6,
and ``jswcoder.store`` is the only part that talks SQL.
"""

__version__ = "0.1.0"
