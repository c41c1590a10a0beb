"""Raw data in: reading delivered files (text and spreadsheets), parsing cells, the catalog,
the desa register, targets, directly reported values, the optional inputs of the LKjIP chapter
(analisis, standar, anggaran), outlier checks, and the checked `Dataset`,
kept in the processed store (`store`: data/processed) so that the raw files are parsed once.

Imports only from the top-level shared modules of iku_lib.
"""
