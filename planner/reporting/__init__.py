"""Reporting: Altair chart specs and CSV/XLSX exports. Formats results; never computes them."""
