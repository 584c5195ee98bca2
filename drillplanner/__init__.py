"""drillplanner: plan and run school safety drills and sports events."""

__version__ = "0.1.0"
