import sys

from ingester.cli import main

sys.exit(main())
