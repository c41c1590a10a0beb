"""The indicator table of `iku compute --all-years` (every level), computed by DuckDB SQL
straight from the raw files: the baseline of the national benchmark.

    python benchmarks/duckdb_compute.py DATA_DIR OUT.csv [--print-sql]

The SQL is generated from the catalog (iku_lib/data/iku.yaml, or DATA_DIR/iku.yaml): one
SELECT per indicator at desa level, sums of numerators and denominators per parent level,
targets (the area's own, else the general one for the top level), capaian and predikat.
It assumes clean files in the shape benchmarks/make_national.py writes (CSV, `desa` =
kode_desa, numbers in plain notation, empty = missing): it does none of the checking
`iku` does, which is the point of the comparison.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
LEVELS = ["kecamatan", "kabupaten", "provinsi"]


def load_catalog(data_dir: Path) -> dict:
    own = data_dir / "iku.yaml"
    return yaml.safe_load((own if own.is_file() else REPO / "iku_lib" / "data" / "iku.yaml").read_text("utf-8"))


def sql(data_dir: Path, out: Path, catalog: dict) -> str:
    variables = list(catalog["variabel"])
    files = f"'{data_dir}/[0-9][0-9][0-9][0-9]/*.csv'"

    desa_parts = []
    for ind in catalog["indikator"]:
        num = f"v.{ind['pembilang']}"
        den = "1.0" if ind["penyebut"] == "jumlah_desa" else f"v.{ind['penyebut']}"
        as_zero = (f"({num} IS NULL AND {den} IS NOT NULL)" if ind.get("kosong") == "tidak_tercapai" else "FALSE")
        desa_parts.append(f"""
SELECT '{ind['id']}' AS indikator, v.tahun, r.kode_desa, r.nama_desa, r.kode_kecamatan, r.nama_kecamatan,
       r.kode_kabupaten, r.nama_kabupaten, r.kode_provinsi, r.nama_provinsi,
       CAST({num} AS DOUBLE) AS pembilang, CAST({den} AS DOUBLE) AS penyebut, {float(ind['faktor'])} AS faktor,
       '{ind['satuan']}' AS satuan, '{ind['polaritas']}' AS polaritas,
       (({num} IS NOT NULL AND {den} IS NOT NULL) OR {as_zero}) AS dihitung
FROM vals v JOIN reg r ON r.kode_desa = v.kode_desa""")
    levels = []
    for lvl in LEVELS:
        levels.append(f"""
SELECT indikator, tahun, '{lvl}' AS level, kode_{lvl} AS kode_wilayah, first(nama_{lvl}) AS nama_wilayah,
       CASE WHEN count_if(dihitung) = 0 THEN NULL
            ELSE sum(CASE WHEN dihitung THEN coalesce(pembilang, 0) ELSE 0 END) END AS pembilang,
       CASE WHEN count_if(dihitung) = 0 THEN NULL ELSE sum(CASE WHEN dihitung THEN penyebut ELSE 0 END) END AS penyebut,
       first(faktor) AS faktor, first(satuan) AS satuan, first(polaritas) AS polaritas
FROM desa GROUP BY indikator, tahun, kode_{lvl}""")
    neg = catalog.get("capaian", {}).get("negatif", "2t-r")
    neg_sql = ("greatest(0.0, (2 * target - nilai) / target * 100)" if neg == "2t-r"
               else "CASE WHEN nilai = 0 THEN NULL ELSE target / nilai * 100 END")
    cap = catalog.get("capaian", {}).get("batas_atas")
    grades = catalog["predikat"]
    grade_sql = "CASE " + " ".join(
        (f"WHEN capaian >= {g['min']} - 1e-9 THEN '{g['label']}'" if g["min"] is not None
         else f"WHEN capaian IS NOT NULL THEN '{g['label']}'") for g in grades) + " END"
    casts = ", ".join(f"TRY_CAST({v} AS DOUBLE) AS {v}" for v in variables)
    maxes = ", ".join(f"max({v}) AS {v}" for v in variables)
    return f"""
SET preserve_insertion_order = false;
CREATE TEMP TABLE reg AS SELECT * FROM read_csv('{data_dir}/desa.csv', all_varchar = true, header = true);
CREATE TEMP TABLE raw AS SELECT * FROM read_csv({files}, union_by_name = true, filename = true, header = true,
                                                all_varchar = true);
CREATE TEMP TABLE vals AS
  SELECT CAST(regexp_extract(filename, '/(\\d{{4}})/[^/]*$', 1) AS INTEGER) AS tahun, desa AS kode_desa, {maxes}
  FROM (SELECT filename, desa, {casts} FROM raw) GROUP BY ALL;
CREATE TEMP TABLE desa AS {' UNION ALL '.join(desa_parts)};
CREATE TEMP TABLE tgt AS SELECT indikator, CAST(tahun AS INTEGER) AS tahun, CAST(target AS DOUBLE) AS target,
                                nullif(trim(kode_wilayah), '') AS kode_wilayah
  FROM read_csv('{data_dir}/target.csv', all_varchar = true, header = true);
CREATE TEMP TABLE agg AS {' UNION ALL '.join(levels)};
CREATE TEMP TABLE allrows AS
  SELECT indikator, tahun, 'desa' AS level, kode_desa AS kode_wilayah, nama_desa AS nama_wilayah,
         pembilang, penyebut, CASE WHEN penyebut > 0 THEN pembilang / penyebut * faktor END AS nilai,
         satuan, polaritas, CAST(NULL AS DOUBLE) AS target
  FROM desa
  UNION ALL
  SELECT a.indikator, a.tahun, a.level, a.kode_wilayah, a.nama_wilayah, a.pembilang, a.penyebut,
         CASE WHEN a.penyebut > 0 THEN a.pembilang / a.penyebut * a.faktor END, a.satuan, a.polaritas,
         coalesce(o.target, CASE WHEN a.level = 'provinsi' THEN g.target END)
  FROM agg a
  LEFT JOIN tgt o ON o.indikator = a.indikator AND o.tahun = a.tahun AND o.kode_wilayah = a.kode_wilayah
  LEFT JOIN tgt g ON g.indikator = a.indikator AND g.tahun = a.tahun AND g.kode_wilayah IS NULL;
CREATE TEMP TABLE scored AS
  SELECT *, CASE WHEN target IS NULL OR nilai IS NULL THEN NULL
                 WHEN target = 0 THEN CASE WHEN nilai = 0 THEN 100.0 END
                 WHEN polaritas = 'negatif' THEN {neg_sql}
                 ELSE nilai / target * 100 END AS capaian0
  FROM allrows;
COPY (
  SELECT indikator, tahun, level, kode_wilayah, nama_wilayah, pembilang, penyebut, nilai, satuan, target,
         capaian, {grade_sql} AS predikat
  FROM (SELECT *, {f'least(capaian0, {cap})' if cap is not None else 'capaian0'} AS capaian FROM scored)
  ORDER BY tahun, level, indikator, kode_wilayah
) TO '{out}' (HEADER, DELIMITER ',');
"""


def main(argv: list[str] | None = None) -> int:
    import duckdb

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir")
    parser.add_argument("out")
    parser.add_argument("--print-sql", action="store_true")
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir).resolve()
    text = sql(data_dir, Path(args.out).resolve(), load_catalog(data_dir))
    if args.print_sql:
        print(text)
    duckdb.connect().execute(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
