"""``python -m drillplanner``: the same as the ``drillplanner`` command."""

from __future__ import annotations

import sys

from drillplanner.launcher import main

if __name__ == "__main__":
    sys.exit(main())
