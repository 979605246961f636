import sys

from pykyll.cli import main

sys.exit(main())
