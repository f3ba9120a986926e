"""Helpers for the reliability tests: the crash test's child process and its model of a project."""
