"""Indicators from a `Dataset`: values per desa and every area above, targets, capaian and
predikat, and the data-quality warnings that come from the computed table.

Imports from `ingest` and the shared modules; never from `report` or `cli`.
"""
