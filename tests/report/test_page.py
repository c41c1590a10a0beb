"""The page shell: self-contained, printable A4, in Bahasa Indonesia."""

from iku_lib.report.page import CSS, external_resources, page


def test_page_shell():
    html = page("Laporan <x>", "<p>isi</p>")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="id">' in html
    assert '<meta charset="utf-8">' in html and "<title>Laporan &lt;x&gt;</title>" in html
    assert "@page { size: A4" in CSS and "@media print" in CSS
    assert external_resources(html) == []


def test_external_resources_are_found_but_plain_links_are_not():
    html = ('<script src="https://cdn.example/require.js"></script>'
            "<link rel=stylesheet href='//fonts.example/css'>"
            '<img src="data:image/png;base64,AAAA"><img src="http://x.example/a.png">'
            '<style>@import "https://y.example/s.css"; body { background: url(http://z.example/b.png) }</style>'
            '<a href="https://bappeda.example">tautan</a>')
    assert external_resources(html) == ["https://cdn.example/require.js", "//fonts.example/css",
                                        "http://x.example/a.png", "https://y.example/s.css", "http://z.example/b.png"]
