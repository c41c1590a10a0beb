"""The desa register (desa.csv) and finding a desa from what a data file wrote."""

import pandas as pd
import pytest

from iku_lib.ingest.register import DesaLookup, code_text, desa_key, desa_keys, read_register, read_register_keys

REGISTER = pd.DataFrame({"kode_desa": ["3323070001", "3323070002", "3323070007"],
                         "nama_desa": ["Gandulan", "Tegowanuh", "Tleter"]})


@pytest.mark.parametrize("written, code", [
    ("Gandulan", "3323070001"), ("GANDULAN", "3323070001"), ("  gandulan ", "3323070001"),
    ("Desa Gandulan", "3323070001"), ("desa   GANDULAN", "3323070001"), ("Ds. Tleter", "3323070007"),
    ("Ds Tleter", "3323070007"), ("Desa\u00a0Tegowanuh", "3323070002"),
    ("3323070002", "3323070002"), (" 3323070002 ", "3323070002"), ("3323070002.0", "3323070002"),
    (3323070002, "3323070002"), (3323070002.0, "3323070002"),
    ("Gandul", None), ("Kaloran", None), ("3323070009", None), ("Desa", None), ("Kelurahan Tleter", None),
])
def test_find_desa_by_name_or_code(written, code):
    assert DesaLookup(REGISTER).find(written) == code


def test_suggest_closest_name():
    lookup = DesaLookup(REGISTER)
    assert lookup.suggest("Gandulann") == "Gandulan"
    assert lookup.suggest("Tegowanu") == "Tegowanuh"
    assert lookup.suggest("Kaloran") is None


def test_keys():
    assert desa_key("  Desa  Tleter ") == "tleter"
    assert code_text(3323070001.0) == "3323070001"
    assert code_text("3323070001.000") == "3323070001"
    assert code_text("33.2307") == "33.2307"  # not an Excel whole float: left as written


def write(tmp_path, text):
    (tmp_path / "desa.csv").write_text(text, encoding="utf-8")
    return tmp_path


def test_read_register_as_text_in_file_order(tmp_path):
    register, problems = read_register(write(tmp_path, "Kode Desa;Nama Desa\n3323070002.0;Tegowanuh \n3323070001;Gandulan\n"))
    assert problems == []
    assert register.to_dict("list") == {"kode_desa": ["3323070002", "3323070001"],
                                        "nama_desa": ["Tegowanuh", "Gandulan"]}


def test_duplicate_code_and_name_are_errors_naming_both_rows(tmp_path):
    register, problems = read_register(write(
        tmp_path, "kode_desa,nama_desa\n3323070001,Gandulan\n3323070002,Tegowanuh\n3323070001,Kemiri\n"
                  "3323070004,desa gandulan\n"))
    assert [p.format() for p in problems] == [
        'GALAT: desa.csv, baris 2, kolom "kode_desa", nilai "3323070001": kode desa tercantum lebih dari sekali (juga di baris 4)',
        'GALAT: desa.csv, baris 4, kolom "kode_desa", nilai "3323070001": kode desa tercantum lebih dari sekali (juga di baris 2)',
        'GALAT: desa.csv, baris 2, kolom "nama_desa", nilai "Gandulan": nama desa tercantum lebih dari sekali (juga di baris 5)',
        'GALAT: desa.csv, baris 5, kolom "nama_desa", nilai "desa gandulan": nama desa tercantum lebih dari sekali (juga di baris 2)',
    ]
    lookup = DesaLookup(register)
    assert lookup.is_ambiguous("3323070001") and lookup.is_ambiguous("Kemiri") and lookup.is_ambiguous("Gandulan")
    assert not lookup.is_ambiguous("Tegowanuh")


def test_the_name_keys_come_with_the_register_and_the_lookup_takes_them(tmp_path):
    """The keys the duplicate check works out (a blank name None, a prefix and stray spaces gone)
    are those of the register's rows, and a lookup made with them finds what one without does."""
    data = write(tmp_path, "kode_desa,nama_desa,kode_kecamatan,nama_kecamatan\n"
                           "3323070001,Desa  Gandulan ,332307,Kaloran\n3323070002,,332307,Kaloran\n"
                           "3323080001,Gandulan,332308,Kandangan\n3323070003,Ds. Tleter,332307,Kaloran\n")
    register, problems, keys = read_register_keys(data)
    assert [p.kode for p in problems] == ["register_sel_kosong"]
    assert keys.tolist() == ["gandulan", None, "gandulan", "tleter"]
    assert keys.index.tolist() == register.index.tolist() == [0, 1, 2, 3]
    given, worked_out = DesaLookup(register, keys), DesaLookup(register)
    for name in ("by_code", "by_name", "names", "ambiguous_codes", "ambiguous_names", "shared_names"):
        assert getattr(given, name) == getattr(worked_out, name), name
    assert given.shared_names == {"gandulan": ["3323070001", "3323080001"]}
    assert read_register_keys(tmp_path / "tidak-ada")[2] is None


@pytest.mark.parametrize("rows, codes, names", [
    # (codes, names) of each register row -> the ambiguous codes and name keys
    ([("1", "A"), ("2", "B"), (None, "C")], set(), set()),  # a blank code is no second code
    ([("1", "A"), ("1", "B"), (None, "C"), (None, "D")], {"1"}, set()),
    ([("1", "A"), ("2", "Desa a"), ("3", None), ("4", None)], set(), {"a"}),  # blank names are no second name
])
def test_codes_and_names_listed_twice_are_ambiguous(rows, codes, names):
    register = pd.DataFrame({"kode_desa": [c for c, _ in rows], "nama_desa": [n for _, n in rows]}, dtype=object)
    lookup = DesaLookup(register)
    assert (lookup.ambiguous_codes, lookup.ambiguous_names) == (codes, names)


@pytest.mark.parametrize("cells, code, plain", [
    (["Alpha", "Beta Gamma", "(Kaloran)"], False, True),
    (["3323070001", "3323070002"], True, True),
    (["A|B", "C"], False, True),
    (["A|", "B"], False, False),  # looks like an empty cell between separators: read cell by cell (same result)
    (["", "B"], False, False), (["A", ""], False, False), (["A", "", "C"], False, False), ([""], False, False),
    ([" A", "B"], False, False), (["A ", "B"], False, False), (["A", " B"], False, False), (["A", "B "], False, False),
    (["A", None], False, False), (["A", 3.0], False, False), ([], False, False),
    (["Gandulan\u200b"], False, False), (["Tleter\x1b"], False, False), (["A\nB"], False, False),
    (["３３２３"], True, False), (["3323070001.0"], True, False), (["Kec. Kaloran"], False, True),
])
def test_a_column_is_plain_when_every_cell_is_as_read(cells, code, plain):
    """`_plain_column` lets a column through in one look only when every cell is already what
    reading it cell by cell would make of it (printable ASCII text, not empty, no spaces around
    it, a code without a dot)."""
    from iku_lib.ingest.register import _plain_column

    assert _plain_column(pd.Series(cells, dtype=object), code) is plain


def test_blank_register_cell(tmp_path):
    _, problems = read_register(write(tmp_path, "kode_desa,nama_desa\n3323070001,\n"))
    assert [(p.kode, p.baris, p.kolom) for p in problems] == [("register_sel_kosong", 2, "nama_desa")]


def test_missing_empty_or_headerless_register(tmp_path):
    register, [problem] = read_register(tmp_path)
    assert problem.kode == "register_tidak_ada" and register.empty
    (tmp_path / "desa.xlsx").write_bytes(b"")
    _, [problem] = read_register(tmp_path)
    assert "ada desa.xlsx: simpan ulang sebagai CSV bernama desa.csv" in problem.pesan
    _, problems = read_register(write(tmp_path, "kode_desa,nama_desa\n"))
    assert [p.kode for p in problems] == ["tanpa_baris_data", "register_kosong"]
    _, [problem] = read_register(write(tmp_path, "kode,nama\n1,Alpha\n"))
    assert problem.kode == "tanpa_kolom_kunci"
    _, [problem] = read_register(write(tmp_path, "kode_desa,desa\n1,Alpha\n"))
    assert (problem.kode, problem.pesan) == ("kolom_wajib_tidak_ada", 'kolom "nama_desa" tidak ada')


def test_same_name_in_two_kecamatan_is_valid_and_names_must_then_be_codes(tmp_path):
    """Many desa across Indonesia share a name; only within one kecamatan is that an error."""
    import shutil

    from iku_lib import compute, load_dataset

    from ..conftest import DATA

    case = DATA / "register-same-name-two-kecamatan"
    data = load_dataset(case)
    assert not [p for p in data.problems if p.kode.startswith("register_")]
    assert [(p.baris, p.nilai, p.kode) for p in data.errors] == [(5, "Sukamaju", "nama_desa_tidak_unik")]
    assert "kode 3323070001, 3323060001); tulis kode desanya" in data.errors[0].pesan

    clean = tmp_path / "d"
    shutil.copytree(case, clean)
    lines = (clean / "2022" / "data.csv").read_text().splitlines()
    (clean / "2022" / "data.csv").write_text("\n".join(lines[:-1]) + "\n")  # drop the row named "Sukamaju"
    kec = compute(load_dataset(clean), 2022, level="kecamatan").set_index(["indikator", "kode_wilayah"])
    assert kec.loc[("IKU-02", "332307"), "nilai"] == 90.0                  # 90 / 100
    assert kec.loc[("IKU-02", "332306"), "nilai"] == 420 / 500 * 100       # (150 + 270) / (200 + 300)


def test_same_name_twice_in_one_kecamatan_is_an_error(tmp_path):
    from iku_lib.ingest.register import read_register

    (tmp_path / "desa.csv").write_text("kode_desa,nama_desa,kode_kecamatan,nama_kecamatan\n"
                                       "1,Sukamaju,10,A\n2,sukamaju,10,A\n3,Sukamaju,20,B\n")
    _, problems = read_register(tmp_path)
    assert [(p.baris, p.kode) for p in problems] == [(2, "register_nama_ganda"), (3, "register_nama_ganda")]


def test_names_that_differ_only_by_invisible_characters_are_one_name(tmp_path):
    """A zero-width space (U+200B) or a soft hyphen pasted into a name makes no second desa: the
    register refuses the pair as one name given twice, and a data file's name with one is found."""
    register, problems = read_register(write(
        tmp_path, "kode_desa,nama_desa\n3323070001,Gandon\n3323070002,Gan\u200bdon\n3323070003,Te\u00adgowanuh\n"))
    assert [(p.kode, p.baris) for p in problems] == [("register_nama_ganda", 2), ("register_nama_ganda", 3)]
    assert DesaLookup(register).resolve("Tegowanuh") == (False, "3323070003")


@pytest.mark.parametrize("names, keys", [
    # plain ASCII names (read all at once): case, a `Desa`/`Ds.` prefix and stray spaces do not matter,
    # also where the prefix comes only after spaces
    (["Kaloran", " Desa Kubu", "DS. Banjar", "ds  Tleter ", "Desa", "Dsun"],
     ["kaloran", "kubu", "banjar", "tleter", "desa", "dsun"]),
    ([" Desa Kubu", "Kaloran  "], ["kubu", "kaloran"]),  # no name starts with the prefix until its spaces go
    # one name that is not plain ASCII (a no-break space, a zero-width space): every name by itself
    (["Desa\u00a0Tleter", "Gan\u200bdon", "Kaloran", None], ["tleter", "gandon", "kaloran", None]),
])
def test_keys_of_a_whole_column_are_the_keys_of_its_names(names, keys):
    found = desa_keys(pd.Series(names, dtype=object))
    assert found.tolist() == keys
    assert [desa_key(n) for n in names if n is not None] == [k for k in keys if k is not None]


def test_quoted_names_and_excel_codes_are_read_as_written(tmp_path):
    """A name with a comma is quoted in CSV (as the national register writes "Banjar (Banjar,
    Buleleng)"); a code Excel wrote as a float loses its `.0`; spaces around a cell go."""
    register, problems = read_register(write(
        tmp_path, 'kode_desa,nama_desa\n3323070001.0,"Banjar (Banjar, Buleleng)"\n 3323070002 ,Kubu \n'))
    assert problems == []
    assert register.to_dict("list") == {"kode_desa": ["3323070001", "3323070002"],
                                        "nama_desa": ["Banjar (Banjar, Buleleng)", "Kubu"]}
