"""Outputs people read: tables, trend, narrative, charts, HTML pages, Excel exports, data
forms, provenance, and running the report notebooks.

Imports from `engine`, `ingest` and the shared modules; never from `cli`.
"""
