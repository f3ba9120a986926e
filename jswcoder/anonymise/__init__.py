"""Anonymisation: find register entries in a text, replace them with descriptors, remap codings."""
