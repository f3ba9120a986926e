"""The bundle's entry point: the same ``jswcoder`` command as a source install."""

from jswcoder.cli import main

raise SystemExit(main())
