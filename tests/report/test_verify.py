"""provenance.json (the standalone record beside a report or a computed table) and the checks
of `iku verify` that need no report run: reading the record, finding the data, the files'
hashes, and comparing two workbooks cell by cell. The whole command on a real report:
tests/cli/test_verify_cli.py."""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import Workbook

from iku_lib import __version__, load_dataset
from iku_lib.cli import main as cli
from iku_lib.report import provenance as prov
from iku_lib.report import verify as ver

from ..conftest import KECIL, RAW, ROOT

KEYS = ["format", "kind", "iku", "python", "libraries", "created", "parameters", "catalog", "files", "store",
        "outputs"]
WHEN = datetime.datetime(2026, 11, 24, 17, 5, 9)


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --- the record -----------------------------------------------------------------------------------

def test_a_report_record_names_every_file_of_every_year_with_its_hash():
    dataset = load_dataset(RAW)
    record = prov.provenance_record(dataset, prov.ANNUAL, [2023], "kecamatan", None, WHEN)
    assert list(record) == KEYS
    assert record["format"] == "iku-provenance/1" and record["kind"] == "annual-report"
    assert record["iku"] == __version__ and record["created"] == "2026-11-24T17:05:09"
    assert record["parameters"] == {"years": [2023], "level": "kecamatan", "kode_wilayah": None,
                                    "data_dir": "data/raw", "data_dir_in_project": True}
    # data/raw has no iku.yaml: the package's default catalog is used.
    assert record["catalog"] == {"path": "iku_lib/data/iku.yaml", "default": True,
                                 "size": (ROOT / "iku_lib/data/iku.yaml").stat().st_size,
                                 "sha256": sha(ROOT / "iku_lib/data/iku.yaml")}
    # Every file the reader reads, all five years (the outlier check and the multi-year tables
    # use 2019-2022 for a 2023 report): at least the top-level CSV files and each year folder's
    # own files (README.md carries no data), sorted.
    paths = [f["path"] for f in record["files"]]
    top = [p for p in RAW.iterdir() if p.is_file() and p.name != "README.md"]
    years = [p for y in range(2019, 2024) for p in (RAW / str(y)).iterdir() if p.is_file()]
    assert {p.relative_to(RAW).as_posix() for p in top + years} <= set(paths) and paths == sorted(paths)
    assert "README.md" not in paths
    assert {f["path"][:4] for f in record["files"] if "/" in f["path"]} == {"2019", "2020", "2021", "2022", "2023"}
    for entry in record["files"]:
        assert entry == {"path": entry["path"], "size": (RAW / entry["path"]).stat().st_size,
                         "sha256": sha(RAW / entry["path"])}
    stored = dataset.store
    assert record["store"] == {"manifest": f"data/processed/{stored.folder.name}/manifest.json",
                               "sha256": sha(stored.manifest_path)}


def test_the_record_is_deterministic_json_in_its_documented_order(tmp_path):
    dataset = load_dataset(KECIL)
    record = prov.provenance_record(dataset, prov.ANNUAL, [2022], "kecamatan", None, WHEN)
    one = prov.write_provenance(tmp_path / "a.json", record).read_bytes()
    two = prov.write_provenance(tmp_path / "b.json", prov.provenance_record(
        load_dataset(KECIL), prov.ANNUAL, [2022], "kecamatan", None, WHEN)).read_bytes()
    assert one == two
    assert list(json.loads(one)) == KEYS
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # written atomically


def test_a_report_folder_gets_its_record_naming_the_files_before_it(tmp_path):
    dataset = load_dataset(KECIL)
    (tmp_path / "capaian-2022.xlsx").write_bytes(b"buku kerja")
    name = prov.write_report_provenance(dataset, 2022, tmp_path, WHEN, None, ["capaian-2022.xlsx"])
    record = json.loads((tmp_path / name).read_text(encoding="utf-8"))
    assert name == "provenance.json"
    assert record["outputs"] == [{"path": "capaian-2022.xlsx", "size": 10,  # len(b"buku kerja")
                                  "sha256": hashlib.sha256(b"buku kerja").hexdigest()}]
    assert record["parameters"]["level"] == "kecamatan" and record["parameters"]["data_dir"] == "tests/data/kecil"


def test_iku_compute_out_writes_its_record_beside_the_table(tmp_path, capsys):
    out = tmp_path / "iku-2022.csv"
    assert cli.main(["compute", "--year", "2022", "--data-dir", str(KECIL), "--out", str(out)]) == 0
    assert f"asal-usulnya: {out}.provenance.json" in capsys.readouterr().err
    record = json.loads((tmp_path / "iku-2022.csv.provenance.json").read_text(encoding="utf-8"))
    assert list(record) == KEYS and record["kind"] == "compute"
    assert record["parameters"] == {"years": [2022], "level": None, "kode_wilayah": None,
                                    "data_dir": "tests/data/kecil", "data_dir_in_project": True}
    assert [f["path"] for f in record["files"]] == ["2022/lainnya.csv", "2022/pemerintahan.csv", "2022/penduduk.csv",
                                                    "desa.csv", "target.csv"]
    assert record["outputs"] == [{"path": "iku-2022.csv", "size": out.stat().st_size, "sha256": sha(out)}]


def test_a_data_dir_in_no_project_is_recorded_by_its_name_only(tmp_path):
    data = tmp_path / "data-kecamatan"
    shutil.copytree(KECIL, data)
    record = prov.provenance_record(load_dataset(data), prov.COMPUTE, [2022], None, None, WHEN)
    assert record["parameters"]["data_dir"] == "data-kecamatan"
    assert record["parameters"]["data_dir_in_project"] is False
    assert str(tmp_path) not in prov.provenance_text(record)  # never a home folder


# --- reading it back ------------------------------------------------------------------------------

def _record(**changes) -> dict:
    record = {"format": "iku-provenance/1", "kind": "annual-report", "iku": __version__, "created": WHEN.isoformat(),
              "parameters": {"years": [2023], "level": "kecamatan", "kode_wilayah": None, "data_dir": "data/raw",
                             "data_dir_in_project": True},
              "catalog": {"path": "iku.yaml", "default": False, "size": 1, "sha256": "0" * 64},
              "files": [], "store": None, "outputs": []}
    record.update(changes)
    return record


def _folder(tmp_path: Path, record: dict | str) -> Path:
    folder = tmp_path / "outputs" / "2023"
    folder.mkdir(parents=True)
    text = record if isinstance(record, str) else json.dumps(record)
    (folder / "provenance.json").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("content, message", [
    (None, "provenance.json tidak ada: laporan ini tidak membawa catatan asal-usulnya"),
    ("{bukan json", "tidak dapat dibaca sebagai JSON"),
    (json.dumps({"format": "lain"}), "bukan berkas asal-usul laporan iku (format iku-provenance/1)"),
    (json.dumps(_record(format="iku-provenance/2")), "format iku-provenance/2 dibuat oleh iku yang lebih baru"),
    (json.dumps(_record(kind="compute")), "berasal dari `iku compute`"),
    (json.dumps(_record(files=None)), "isinya tidak lengkap"),
])
def test_a_record_that_cannot_be_used_is_said_plainly(tmp_path, content, message):
    folder = tmp_path / "2023"
    folder.mkdir()
    if content is not None:
        (folder / "provenance.json").write_text(content, encoding="utf-8")
    with pytest.raises(ver.VerifyError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ver.read_record(folder)


def test_a_folder_that_is_not_one(tmp_path):
    with pytest.raises(ver.VerifyError, match="tidak ada; berikan folder laporan"):
        ver.read_record(tmp_path / "tidak-ada")
    (tmp_path / "berkas.xlsx").write_text("x", encoding="utf-8")
    with pytest.raises(ver.VerifyError, match="bukan folder"):
        ver.read_record(tmp_path / "berkas.xlsx")


def test_the_data_dir_is_found_in_the_project_holding_the_report(tmp_path, monkeypatch):
    (tmp_path / "iku.toml").write_text('[proyek]\nnama = "Uji"\n', encoding="utf-8")
    (tmp_path / "data" / "raw").mkdir(parents=True)
    folder = _folder(tmp_path, _record())
    monkeypatch.chdir("/")
    assert ver.locate_data_dir(folder, _record()) == tmp_path / "data" / "raw"
    assert ver.locate_data_dir(folder, _record(), KECIL) == KECIL  # --data-dir wins
    with pytest.raises(ver.VerifyError, match="--data-dir .*tidak-ada: folder itu tidak ada"):
        ver.locate_data_dir(folder, _record(), tmp_path / "tidak-ada")
    moved = _record(parameters={**_record()["parameters"], "data_dir": "data/lama"})
    with pytest.raises(ver.VerifyError, match="folder data data/lama yang tercatat di provenance.json tidak "
                                              "ditemukan di .*; berikan folder datanya dengan --data-dir DIR"):
        ver.locate_data_dir(folder, moved)
    outside = _record(parameters={**_record()["parameters"], "data_dir": "kecil", "data_dir_in_project": False})
    with pytest.raises(ver.VerifyError, match="di luar proyek iku"):
        ver.locate_data_dir(folder, outside)


def test_file_changes_name_each_changed_missing_and_new_file(tmp_path):
    data = tmp_path / "raw"
    (data / "2023").mkdir(parents=True)
    for name in ("desa.csv", "2023/a.csv", "2023/b.csv"):
        (data / name).write_text(name, encoding="utf-8")
    record = _record(files=[{"path": n, "size": len(n), "sha256": sha(data / n)}
                            for n in ("desa.csv", "2023/a.csv", "2023/b.csv")])
    assert ver.file_changes(record, data) == []
    old_a = sha(data / "2023/a.csv")
    (data / "2023/a.csv").write_text("diubah", encoding="utf-8")
    old_b = sha(data / "2023/b.csv")
    (data / "2023/b.csv").unlink()
    (data / "2023/c.csv").write_text("baru", encoding="utf-8")
    now = SimpleNamespace(files=[data / "desa.csv", data / "2023/a.csv", data / "2023/c.csv"])
    assert ver.file_changes(record, data, now) == [
        ver.FileChange("2023/a.csv", "berubah", old_a, hashlib.sha256(b"diubah").hexdigest()),
        ver.FileChange("2023/b.csv", "hilang", old_b, None),
        ver.FileChange("2023/c.csv", "baru", None, hashlib.sha256(b"baru").hexdigest()),
    ]


def test_a_report_file_edited_after_it_was_made(tmp_path):
    (tmp_path / "capaian-2023.xlsx").write_bytes(b"asli")
    record = _record(outputs=[{"path": "capaian-2023.xlsx", "size": 4, "sha256": hashlib.sha256(b"asli").hexdigest()}])
    assert ver.edited_outputs(tmp_path, record) == []
    assert ver.workbook_name(record) == "capaian-2023.xlsx"
    (tmp_path / "capaian-2023.xlsx").write_bytes(b"diedit")
    assert ver.edited_outputs(tmp_path, record) == ["capaian-2023.xlsx"]


def test_version_note():
    assert ver.version_note(_record(), __version__) is None
    note = ver.version_note(_record(iku="0.2.0"), "0.2.1.dev5+g1a2b3c4d5")
    assert note.startswith("laporan dibuat dengan iku 0.2.0, yang terpasang iku 0.2.1.dev5+g1a2b3c4d5")
    assert "tidak diketahui" in ver.version_note(_record(iku="0.0.0+unknown"), "0.0.0+unknown")


# --- comparing workbooks --------------------------------------------------------------------------

HEADER = ["Kode Indikator", "Indikator Kinerja", "Realisasi", "Capaian (%)", "Predikat", "Kode Wilayah", "Wilayah"]
ROWS = [["IKU-01", "Cakupan KTP-el", 92.5, 102.77777777777779, "Sangat Baik", "3323070", "Kaloran"],
        ["IKU-02", "Perangkat tertib", 85.0, 94.44444444444444, "Baik", "3323070", "Kaloran"]]


def _book(path: Path, rows: list[list], source: str = "iku 0.2.0", extra_sheet: bool = False) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = "Capaian"
    ws.append(["Tabel Capaian Kinerja Tahun 2023"])
    ws.append([])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    if extra_sheet:
        book.create_sheet("Lain").append(["x"])
    book.create_sheet("Sumber").append(["Versi paket iku", source])
    book.save(path)
    return path


def test_equal_workbooks_and_rows_in_another_order(tmp_path):
    report = _book(tmp_path / "a.xlsx", ROWS)
    assert ver.compare_workbooks(report, _book(tmp_path / "b.xlsx", ROWS, source="iku 0.3.0")) == ([], 15)
    # 15 = the title + 2 rows x 7 columns; "Sumber" (the run's facts) is not compared
    assert ver.compare_workbooks(report, _book(tmp_path / "c.xlsx", ROWS[::-1])) == ([], 15)


def test_a_number_is_compared_at_full_precision_and_named_by_sheet_indicator_area_column(tmp_path):
    report = _book(tmp_path / "a.xlsx", ROWS)
    changed = [ROWS[0][:2] + [92.50000000000001] + ROWS[0][3:], ROWS[1]]
    found, compared = ver.compare_workbooks(report, _book(tmp_path / "b.xlsx", changed))
    assert compared == 15
    assert found == [ver.CellDifference("Capaian", "IKU-01", "3323070 Kaloran", "", "Realisasi", 92.5,
                                        92.50000000000001)]


def test_text_is_compared_as_text(tmp_path):
    report = _book(tmp_path / "a.xlsx", ROWS)
    changed = [ROWS[0], ROWS[1][:4] + ["Cukup"] + ROWS[1][5:]]
    found, _ = ver.compare_workbooks(report, _book(tmp_path / "b.xlsx", changed))
    assert [(d.indikator, d.column, d.in_report, d.recomputed) for d in found] == [("IKU-02", "Predikat", "Baik",
                                                                                   "Cukup")]
    as_text = [ROWS[0][:2] + ["92.5"] + ROWS[0][3:], ROWS[1]]  # the same digits, but text
    found, _ = ver.compare_workbooks(report, _book(tmp_path / "c.xlsx", as_text))
    assert [(d.column, d.in_report, d.recomputed) for d in found] == [("Realisasi", 92.5, "92.5")]


def test_a_row_or_a_sheet_on_one_side_only(tmp_path):
    report = _book(tmp_path / "a.xlsx", ROWS)
    found, compared = ver.compare_workbooks(report, _book(tmp_path / "b.xlsx", ROWS[:1], extra_sheet=True))
    assert compared == 8  # the title + the one row both have
    assert found == [ver.CellDifference("Lain", "", "", "", "(lembar)", "tidak ada", "ada"),
                     ver.CellDifference("Capaian", "IKU-02", "3323070 Kaloran", "", "(baris)", "ada", "tidak ada")]


def test_difference_lines_say_where_and_both_values_at_full_precision():
    from iku_lib.cli.verify import difference_line

    line = difference_line(ver.CellDifference("Multi Tahun", "IKU-02", "3323070 Kecamatan Kaloran", "tahun 2023",
                                              "Realisasi", 97.51498461040013, 97.27847075976025))
    assert line == ("  Multi Tahun · IKU-02 · 3323070 Kecamatan Kaloran · tahun 2023 · kolom Realisasi: di laporan "
                    "97,51498461040013, hitungan ulang 97,27847075976025")
    line = difference_line(ver.CellDifference("Capaian", "IKU-02", "3323070 Kaloran", "", "(baris)", "ada",
                                              "tidak ada"))
    assert line == "  Capaian · IKU-02 · 3323070 Kaloran: baris di laporan ada, hitungan ulang tidak ada"


# --- a per-area report, made without its notebook (the workbook and record are all verify reads) ---

def test_a_kecamatan_report_of_a_kabupaten_register(tmp_path):
    """Two kecamatan (tests/report_runs.py): the report of Kaloran (332307) in its own folder,
    checked against a copy of the data in no project (so --data-dir is needed)."""
    from iku_lib.report.runner import write_chapter_files

    from ..report_runs import make_two_kecamatan

    data = tmp_path / "data"
    make_two_kecamatan(data)
    dataset = load_dataset(data)
    folder = tmp_path / "out" / "kecamatan" / "332307" / "2023"
    folder.mkdir(parents=True)
    names = write_chapter_files(dataset, 2023, folder, WHEN, "332307")
    prov.write_report_provenance(dataset, 2023, folder, WHEN, "332307", names)
    record = ver.read_record(folder)
    assert record["parameters"] == {"years": [2023], "level": "kecamatan", "kode_wilayah": "332307",
                                    "data_dir": "data", "data_dir_in_project": False}
    with pytest.raises(ver.VerifyError, match="di luar proyek iku"):
        ver.verify(folder)
    result = ver.verify(folder, data)
    assert result.matches and result.file_changes == [] and result.compared > 0

    # Kandangan's desa Baledu (3323060002) is no part of Kaloran's report: its file changed, no figure did.
    path = data / "2023" / "data.csv"
    text = path.read_text(encoding="utf-8")
    old = "3323060002,505,400,380,"
    assert old in text
    path.write_text(text.replace(old, "3323060002,505,400,300,"), encoding="utf-8")
    result = ver.verify(folder, data)
    assert result.matches and [(c.path, c.status) for c in result.file_changes] == [("2023/data.csv", "berubah")]

    # Kaloran's Tegowanuh (3323070002): ktp_el 1350 -> 1300 of wajib_ktp 1500 (IKU-02 = ktp_el / wajib_ktp x 100).
    old = "3323070002,2020,1500,1350,"
    assert old in text
    path.write_text(text.replace(old, "3323070002,2020,1500,1300,"), encoding="utf-8")
    result = ver.verify(folder, data)
    assert not result.matches
    desa = [d for d in result.differences if d.sheet == "Rincian Desa"]
    assert [(d.indikator, d.wilayah, d.column, d.in_report, d.recomputed) for d in desa] == [
        ("IKU-02", "3323070002 Tegowanuh", "Pembilang", 1350, 1300),
        ("IKU-02", "3323070002 Tegowanuh", "Nilai", pytest.approx(1350 / 1500 * 100), pytest.approx(1300 / 1500 * 100)),
    ]  # 90.0 -> 86.666...
    realisasi = next(d for d in result.differences if d.sheet == "Capaian" and d.column == "Realisasi")
    # Kaloran: (690 + 1350) / (710 + 1500) x 100 = 92.307... -> (690 + 1300) / 2210 x 100 = 90.045...
    assert realisasi.indikator == "IKU-02" and realisasi.wilayah == "332307 Kaloran"
    assert (realisasi.in_report, realisasi.recomputed) == (pytest.approx(2040 / 2210 * 100),
                                                           pytest.approx(1990 / 2210 * 100))
    assert all(d.indikator == "IKU-02" for d in result.differences)
