"""argparse's own words (usage, options, its error messages) in Bahasa Indonesia.

argparse looks its strings up through gettext (`argparse._`); `install` puts this catalogue
in that place, so every parser of the `iku` command speaks Indonesian.
"""

from __future__ import annotations

import argparse
import sys

CATALOGUE = {
    "usage: ": "cara pakai: ",
    "options": "opsi",
    "positional arguments": "argumen",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "show program's version number and exit": "tampilkan versi program lalu keluar",
    "%(prog)s: error: %(message)s\n": "%(prog)s: galat: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "one of the arguments %s is required": "salah satu dari %s wajib diberikan",
    "the following arguments are required: %s": "argumen berikut wajib diberikan: %s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "not allowed with argument %s": "tidak boleh dipakai bersama %s",
    "expected one argument": "perlu satu nilai",
    "expected at least one argument": "perlu paling sedikit satu nilai",
    "expected at most one argument": "paling banyak satu nilai",
    "invalid %(type)s value: %(value)r": "nilai %(type)s tidak sah: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "pilihan tidak sah: %(value)r (pilih dari %(choices)s)",
    "ambiguous option: %(option)s could match %(matches)s": "opsi ambigu: %(option)s bisa berarti %(matches)s",
    "ignored explicit argument %r": "argumen %r diabaikan",
}


def translate(text: str) -> str:
    """The Indonesian form of one of argparse's strings (the string itself when not listed).

    >>> translate("usage: ")
    'cara pakai: '
    """
    return CATALOGUE.get(text, text)


def install() -> None:
    """Make argparse use this catalogue."""
    argparse._ = translate


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors exit with status 1, as every user mistake does."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(1, translate("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message})
