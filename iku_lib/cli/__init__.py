"""The `iku` command (`main`), its Indonesian argparse texts (`text`) and `iku init` (`scaffold`).
"""
