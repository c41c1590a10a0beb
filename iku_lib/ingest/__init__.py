"""Raw data in: reading delivered files (text and spreadsheets), parsing cells, the catalog,
the desa register, targets, directly reported values, outlier checks, and the checked `Dataset`.

Imports only from the top-level shared modules of iku_lib.
"""
