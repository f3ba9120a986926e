"""The desktop app (PySide6): the only package that may import Qt.

It adapts the core: widgets call the service API on :class:`jswcoder.project.Project`, models are thin
adapters over plain Python data, and nothing here holds SQL.
"""
