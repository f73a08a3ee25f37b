"""Estimates: benchmark figures with their sources, the metrics derived from them (reach by format, CPM,
expected clicks, orders and leads, risks) and the filter catalog over the blogger database."""
