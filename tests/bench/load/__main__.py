"""``python -m tests.bench.load [--serve-only | --load-only] [--only REGEX]``."""

from tests.bench.load.cli import main

raise SystemExit(main())
