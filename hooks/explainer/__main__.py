"""`python -m explainer`, the same as the `explainer` command."""

import sys

from explainer.commands.cli import main

sys.exit(main())
