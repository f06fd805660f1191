"""Reproducible analysis of chapter 2 of the Maassluis Beleidsvisie Integratie (2019)."""

__version__ = "0.1.0"
