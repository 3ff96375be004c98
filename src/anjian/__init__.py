"""anjian (安监): an Internet + Supervision platform for work-safety regulators."""

__version__ = "0.1.0"
