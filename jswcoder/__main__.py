from jswcoder.cli import main

raise SystemExit(main())
