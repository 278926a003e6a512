import sys

from publishing.cli import main

sys.exit(main())
