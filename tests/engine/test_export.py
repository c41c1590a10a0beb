"""`iku compute`'s files: the CSV DuckDB writes is byte for byte the CSV pandas writes of
`compute`'s table; Parquet holds the same table; an unknown extension is refused."""

from __future__ import annotations

import hashlib
import io

import duckdb
import pandas as pd
import pytest

from iku_lib import COLUMNS, compute, load_dataset
from iku_lib.engine.export import export_table, output_format
from iku_lib.exceptions import ParameterError

from ..conftest import DATA, KECIL, RAW


@pytest.mark.parametrize("data_dir", [KECIL, DATA / "hierarki", RAW], ids=lambda p: p.name)
@pytest.mark.parametrize("level", [None, "desa", "kecamatan"])
def test_duckdb_csv_is_pandas_csv(tmp_path, data_dir, level):
    dataset = load_dataset(data_dir, store=False)
    table = compute(dataset, dataset.years, level)
    expected = io.StringIO()
    table.to_csv(expected, columns=COLUMNS, index=False, lineterminator="\n")
    out = tmp_path / "hasil.csv"
    rows, notes, digest = export_table(dataset, dataset.years, level, out)
    assert out.read_text(encoding="utf-8") == expected.getvalue()
    assert (rows, notes) == (len(table), int((table["catatan"] != "").sum()))
    assert digest == hashlib.sha256(expected.getvalue().encode("utf-8")).hexdigest()  # hashed as it was written


def test_parquet_holds_the_table(tmp_path):
    dataset = load_dataset(DATA / "hierarki", store=False)
    out = tmp_path / "hasil.parquet"
    export_table(dataset, dataset.years, None, out)
    back = duckdb.connect().execute(f"SELECT * FROM read_parquet('{out}')").df()
    table = compute(dataset)[COLUMNS]
    assert list(back.columns) == COLUMNS
    assert len(back) == len(table)
    for column in ("pembilang", "penyebut", "nilai", "target", "capaian"):
        pd.testing.assert_series_equal(back[column].astype(float), table[column].astype(float), check_names=False)
    assert back["kode_wilayah"].tolist() == table["kode_wilayah"].tolist()


def test_unknown_extension_is_refused():
    assert output_format(None) == "csv"
    assert output_format(DATA / "x.PARQUET") == "parquet"
    with pytest.raises(ParameterError, match=r"\.csv atau \.parquet"):
        output_format(DATA / "x.xlsx")


def test_formula_like_names_are_written_as_text(tmp_path):
    """CSV injection (OWASP): a desa named `=1+2`, `@SUM(A1)` or `-Beta` is written with a leading
    apostrophe by both writers (DuckDB's and the screen's), numbers stay numbers, and Parquet
    keeps the names as they are."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(KECIL, data)
    for path in data.rglob("*.csv"):  # the register and the data files name the desa
        text = path.read_text(encoding="utf-8")
        text = text.replace("Alpha", "=1+2").replace("Beta", "@SUM(A1)").replace("Gamma", "-Gamma")
        path.write_text(text, encoding="utf-8")
    dataset = load_dataset(data, store=False)
    out = tmp_path / "hasil.csv"
    export_table(dataset, dataset.years, "desa", out)
    names = pd.read_csv(out, dtype=str, keep_default_na=False)["nama_wilayah"]
    assert set(names) == {"'=1+2", "'@SUM(A1)", "'-Gamma"}
    screen = io.StringIO()
    export_table(dataset, dataset.years, "desa", None, screen)
    assert screen.getvalue() == out.read_text(encoding="utf-8")
    assert pd.read_csv(out)["nilai"].dtype == float  # numbers stay numbers
    parquet = tmp_path / "hasil.parquet"
    export_table(dataset, dataset.years, "desa", parquet)
    kept = duckdb.connect().execute(f"SELECT DISTINCT nama_wilayah FROM read_parquet('{parquet}')").fetchall()
    assert {n for (n,) in kept} == {"=1+2", "@SUM(A1)", "-Gamma"}


def test_only_the_texts_of_the_levels_written_are_judged_like_formulas():
    """A desa named like a formula makes `nama_wilayah` need the apostrophe rule where desa rows
    are written, not in a table of kecamatan, whose names are all plain (and the other way
    round)."""
    from iku_lib.engine.export import _formula_columns

    catalog = load_dataset(KECIL, store=False).catalog
    register = pd.DataFrame({"kode_desa": ["1", "2"], "nama_desa": ["=1+2", "Beta"],
                             "kode_kecamatan": ["10", "10"], "nama_kecamatan": ["Kaloran", "Kaloran"]}, dtype=object)
    levels = ["desa", "kecamatan"]
    assert _formula_columns(catalog, register, levels, ["desa"]) == {"nama_wilayah"}
    assert _formula_columns(catalog, register, levels, levels) == {"nama_wilayah"}
    assert _formula_columns(catalog, register, levels, ["kecamatan"]) == set()
    register["nama_kecamatan"] = "-Kaloran"
    assert _formula_columns(catalog, register, levels, ["kecamatan"]) == {"nama_wilayah"}


@pytest.mark.parametrize("level", [None, "desa", "kecamatan", "kabupaten", "provinsi"])
def test_the_rows_and_notes_counted_are_those_of_the_table(tmp_path, level):
    """`iku compute` says how many rows it wrote and how many have a note: counted from the area
    tables, not from the rows written, they are those of `compute`'s table for the same years
    and level (tests/data/hierarki, four levels, with a denominator missing or 0 at each)."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATA / "hierarki", data)
    # wajib_ktp given by Borobudur only, as 0: no data in Temanggung, a denominator of 0 elsewhere
    (data / "2022" / "data.csv").write_text(
        "desa,wajib_ktp,ktp_el,rkp_tepat_waktu\nGandulan,,90,1\nTegowanuh,,240,0\nKandangan,,200,1\n"
        "Baledu,,380,\nSalaman,,45,1\nKalisalak,,70,1\nBorobudur,0,0,0\n", encoding="utf-8")
    dataset = load_dataset(data, store=False)
    table = compute(dataset, dataset.years, level)
    exported = export_table(dataset, dataset.years, level, tmp_path / "hasil.csv")
    assert (exported.rows, exported.notes) == (len(table), int((table["catatan"] != "").sum()))
    assert exported.notes > 0 and (table["catatan"] != "").sum() < len(table)


def test_a_large_table_is_written_in_its_order(tmp_path):
    """30.000 desa (330.000 desa rows, several of DuckDB's row groups, written by as many threads
    as the machine has): the file keeps the table's order (level, indicator, then the register's
    order), which a query wrapped around the ordered one once lost (interleaved chunks)."""
    from ..test_outputs import big_data_dir

    n = 30_000
    big_data_dir(tmp_path / "data", n_desa=n)
    dataset = load_dataset(tmp_path / "data", store=False)
    out = tmp_path / "hasil.csv"
    export_table(dataset, [2022], None, out)
    got = duckdb.connect().execute(f"SELECT indikator, level, kode_wilayah FROM read_csv('{out}', all_varchar=true)"
                                   ).fetchall()
    ids = list(dataset.catalog.indicators.index)
    codes = [str(3300000000 + i) for i in range(n)]  # desa.csv's order (big_data_dir)
    expected = ([(i, "desa", c) for i in ids for c in codes]
                + [(i, "kecamatan", dataset.catalog.meta["wilayah"]["kode"]) for i in ids])
    assert got == expected


def test_areas_of_several_years_are_written_in_their_order(tmp_path):
    """Without desa rows, several years are summed in one pass (`year_passes`): 3 years of 60.000
    desa, each its own kecamatan (360.000 kecamatan rows, three of DuckDB's row groups), one of
    them named like a formula so that every row goes through the apostrophe rule. DuckDB 2.0.1
    wrote such a table out of order without PRESERVE_ORDER (this test failed then); the file
    must keep the table's order (year, indicator, then each kecamatan at its first desa) and
    hold the apostrophe."""
    import shutil

    n, per = 60_000, 1
    data = tmp_path / "data"
    shutil.copytree(DATA / "hierarki", data, ignore=shutil.ignore_patterns("20*", "desa.csv", "target.csv"))
    kec = [f"9{(n // per - 1 - k):05d}" for k in range(n // per)]  # codes against the register's order
    lines = ["kode_desa,nama_desa,kode_kecamatan,nama_kecamatan,kode_kabupaten,nama_kabupaten,kode_provinsi,"
             "nama_provinsi"]
    lines += [f"{3300000000 + i},Desa {i},{kec[i // per]},{'=Kec' if i // per == 7 else 'Kec'} {i // per},"
              f"33{(i // per) % 90:02d},Kab {(i // per) % 90},33,Jawa Tengah" for i in range(n)]
    (data / "desa.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (data / "target.csv").write_text("indikator,tahun,target,kode_wilayah\nIKU-02,2020,96,\n", encoding="utf-8")
    header = (DATA / "hierarki" / "2022" / "data.csv").read_text(encoding="utf-8").splitlines()[0]
    variables = header.split(",")[1:]
    years = [2020, 2021, 2022]
    for y in years:
        (data / str(y)).mkdir()
        rows = [f"{3300000000 + i}," + ",".join(str((i * 7 + y + j) % 50 + 1) if v != "rkp_tepat_waktu" else "1"
                                                 for j, v in enumerate(variables)) for i in range(n)]
        (data / str(y) / "data.csv").write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    dataset = load_dataset(data, store=False)
    assert not dataset.errors
    out = tmp_path / "hasil.csv"
    rows = export_table(dataset, years, "kecamatan", out).rows
    got = duckdb.connect().execute(
        f"SELECT indikator, tahun, kode_wilayah, nama_wilayah FROM read_csv('{out}', all_varchar=true)").fetchall()
    ids = list(dataset.catalog.indicators.index)
    expected = [(i, str(y), kec[k], ("'=Kec" if k == 7 else "Kec") + f" {k}")
                for y in years for i in ids for k in range(n // per)]
    assert rows == len(expected) == 3 * len(ids) * 60_000
    assert got == expected


@pytest.mark.parametrize("level", [None, "desa"])
def test_desa_rows_by_position_only_where_every_desa_has_its_row(tmp_path, monkeypatch, level):
    """A year in which every register desa has values is read by position (`_nilai_by_position`);
    2023 here lacks the third desa, so its rows would pair with the wrong desa by position, and
    it is read the general way. Both years give the CSV pandas writes of `compute`'s table."""
    import shutil

    from iku_lib.engine import query

    data = tmp_path / "data"
    shutil.copytree(DATA / "hierarki", data)
    lines = (data / "2022" / "data.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (data / "2023").mkdir()
    (data / "2023" / "data.csv").write_text("".join(lines[:3] + lines[4:]), encoding="utf-8")
    taken = []
    by_position = query._nilai_by_position

    def spy(*args):
        taken.append(by_position(*args))
        return taken[-1]

    monkeypatch.setattr(query, "_nilai_by_position", spy)
    dataset = load_dataset(data, store=False)
    assert dataset.years == [2022, 2023] and not dataset.errors
    table = compute(dataset, dataset.years, level)
    expected = io.StringIO()
    table.to_csv(expected, columns=COLUMNS, index=False, lineterminator="\n")
    taken.clear()  # `compute` makes `_nilai` for both years at once, never by position
    out = tmp_path / "hasil.csv"
    export_table(dataset, dataset.years, level, out)
    assert taken == [True, False]
    assert out.read_text(encoding="utf-8") == expected.getvalue()
