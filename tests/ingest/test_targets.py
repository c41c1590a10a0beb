"""Targets (target.csv): decimal commas, unknown indicators, non-numeric and duplicate targets."""

import pytest

from iku_lib.ingest.targets import read_targets, suggest_indicator

IDS = ["IKU-01", "IKU-02", "IKU-06", "IKU-09", "IKU-10", "IT-01"]


def read(tmp_path, text, areas=None):
    (tmp_path / "target.csv").write_text(text, encoding="utf-8")
    return read_targets(tmp_path, IDS, areas)


def test_decimal_commas_percent_and_dots(tmp_path):
    targets, problems = read(tmp_path, "indikator;tahun;target\nIKU-01;2022;97,5\nIKU-02;2022;97,5%\n"
                                       "IKU-06;2022.0;97.5\niku-09 ;2022;1.234\nIT-01;2022;1.234,5\n")
    assert problems == []
    assert targets["indikator"].tolist() == ["IKU-01", "IKU-02", "IKU-06", "IKU-09", "IT-01"]
    assert targets["target"].tolist() == [97.5, 97.5, 97.5, 1.234, 1234.5]
    assert targets["tahun"].tolist() == [2022] * 5
    assert targets["kode_wilayah"].isna().all()


def test_every_bad_row_is_reported(tmp_path):
    targets, problems = read(tmp_path, "indikator,tahun,target\nIKU-6,2022,90\nSS-01,2022,75\n"
                                       "IKU-01,22,80\nIKU-02,2022,sembilan puluh\nIKU-09,2022,-5\n"
                                       "IKU-10,2022,\nIT-01,2022,50\nIT-01,2022,60\n")
    known = "IKU-01, IKU-02, IKU-06, IKU-09, IKU-10, IT-01"
    assert [p.format() for p in problems] == [
        f'GALAT: target.csv, baris 2, kolom "indikator", nilai "IKU-6": indikator tidak dikenal; mungkin maksudnya IKU-06? Yang dikenal: {known}',
        f'GALAT: target.csv, baris 3, kolom "indikator", nilai "SS-01": indikator tidak dikenal; yang dikenal: {known}',
        'GALAT: target.csv, baris 4, kolom "tahun", nilai "22": tahun harus empat angka, misalnya 2023',
        'GALAT: target.csv, baris 5, kolom "target", nilai "sembilan puluh": target bukan angka; diharapkan angka, misalnya 97,5 atau 97,5%',
        'GALAT: target.csv, baris 6, kolom "target", nilai "-5": target tidak boleh negatif',
        'PERINGATAN: target.csv, baris 7, kolom "target", nilai "": target IKU-10 tahun 2022 kosong; capaian tidak dihitung',
        'GALAT: target.csv, baris 8, kolom "indikator", nilai "IT-01": target untuk IT-01 tahun 2022 tercantum lebih dari sekali (juga di baris 9)',
        'GALAT: target.csv, baris 9, kolom "indikator", nilai "IT-01": target untuk IT-01 tahun 2022 tercantum lebih dari sekali (juga di baris 8)',
    ]
    assert targets.to_dict("list") == {"indikator": ["IT-01"], "tahun": [2022], "kode_wilayah": [None],
                                       "target": [50.0]}


def test_area_codes_are_checked_when_known(tmp_path):
    text = "indikator,tahun,target,kode_wilayah\nIKU-01,2022,80,3323070\nIKU-02,2022,90,3323070001\n"
    targets, problems = read(tmp_path, text, areas={"3323070"})
    assert targets["kode_wilayah"].tolist() == ["3323070"]
    assert [(p.kode, p.baris, p.nilai) for p in problems] == [("wilayah_tidak_dikenal", 3, "3323070001")]
    targets, problems = read(tmp_path, text)  # no areas given: not checked
    assert problems == [] and len(targets) == 2


def test_missing_file_or_columns(tmp_path):
    targets, [problem] = read_targets(tmp_path, IDS)
    assert problem.kode == "berkas_target_tidak_ada" and targets.empty
    _, [problem] = read(tmp_path, "indikator,target\nIKU-01,5\n")
    assert (problem.kode, problem.baris) == ("kolom_wajib_tidak_ada", 1)
    assert problem.pesan.startswith("kolom wajib tidak ada: tahun")


@pytest.mark.parametrize("written, meant", [("IKU-1", "IKU-01"), ("iku 02", "IKU-02"), ("IT1", "IT-01"),
                                            ("IKU-010", "IKU-10"), ("IKU-11", None), ("apa", None)])
def test_suggest_indicator(written, meant):
    assert suggest_indicator(written, IDS) == meant


def test_a_general_target_beside_one_for_the_top_area_says_which_is_used(tmp_path):
    """Both could apply to the top area (3323): a warning at the area target's line says it is the
    one used there; a target for a lower area (332307) beside the general one needs no word (the
    general one is the top's). Both targets are kept (the general one serves other top areas)."""
    (tmp_path / "target.csv").write_text("indikator,tahun,target,kode_wilayah\nIKU-01,2023,90,\n"
                                         "IKU-01,2023,95,3323\nIKU-02,2023,80,\nIKU-02,2023,85,332307\n",
                                         encoding="utf-8")
    targets, problems = read_targets(tmp_path, IDS, {"332307", "3323"}, top_codes=["3323"])
    assert [p.format() for p in problems] == [
        'PERINGATAN: target.csv, baris 3, kolom "kode_wilayah", nilai "3323": IKU-01 tahun 2023 punya target umum '
        "(baris 2) dan target khusus wilayah 3323 (baris ini); untuk wilayah 3323 yang dipakai target khusus ini, "
        "target umum hanya untuk wilayah teratas lainnya"]
    assert len(targets) == 4


def test_an_unquoted_decimal_comma_is_refused_at_its_line(tmp_path):
    """`IKU-01,2023,97,5` was read as 97 with a warning at line 1 (issue 12): an error at line 3."""
    targets, problems = read(tmp_path, "indikator,tahun,target\nIKU-02,2023,90\nIKU-01,2023,97,5\n")
    assert [(p.tingkat, p.kode, p.baris, p.kolom, p.nilai) for p in problems] == [
        ("galat", "baris_terlalu_lebar", 3, "kolom ke-4", "5")]
    assert targets["indikator"].tolist() == ["IKU-02"]


def test_rows_written_otherwise_are_read_in_their_place(tmp_path):
    """Rows written plainly and rows that need a closer look (a fullwidth year, spaces around an
    area code, a decimal comma, an unknown indicator) keep the file's order."""
    targets, problems = read(tmp_path, "indikator,tahun,target,kode_wilayah\nIKU-01,2023,90,\n"
                                       "IKU-02,\uff12\uff10\uff12\uff13,80,\nIKU-06,2023,70, 3323 \n"
                                       "IKU-09,2023,\"97,5\",3323\nSS-01,2023,60,\nIT-01,2023,50,3323\n",
                             areas={"3323"})
    assert [(p.kode, p.baris) for p in problems] == [("indikator_tidak_dikenal", 6)]
    assert targets["indikator"].tolist() == ["IKU-01", "IKU-02", "IKU-06", "IKU-09", "IT-01"]
    assert targets["tahun"].tolist() == [2023] * 5  # ２０２３ is 2023
    assert targets["target"].tolist() == [90.0, 80.0, 70.0, 97.5, 50.0]  # "97,5" is 97.5
    assert targets["kode_wilayah"].tolist() == [None, None, "3323", "3323", "3323"]
