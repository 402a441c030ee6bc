"""Producer-matrix fixtures: the sample departments printed the way other producers print them.

    python -m samples.producers [--only NAME ...]

Why: real 部门决算 booklets are made by LibreOffice/Excel, browsers, Word/WPS and
report engines, and each draws the same table differently (DESIGN §1: merged code
cells, repeated `<thead>`, borders as filled rectangles, no rules, Kangxi text).
Each fixture here prints one sample's figures (samples/data/*.toml) with one
producer and a combination of options (samples/producers/matrix.py, documented in
MATRIX.md), and is committed with its ground truth so CI needs neither tool.

Modules, one job each:
- logical.py  — Sample → the tables as printed (code style, separators, nothing mark, unit, Kangxi)
- workbook.py — tables → .xlsx with real merged cells; calc.py prints it with `soffice`
- html.py     — tables → HTML with colspan/rowspan; chromium.py prints it headless
- word.py     — tables drawn with filled-rectangle borders (reportlab)
- locate.py   — after rendering, the page each table and row landed on (reads the PDF text)
- output.py   — ground-truth CSVs; fixed dates and /ID via qpdf
- matrix.py   — the fixtures as data; __main__.py renders them and MATRIX.md's table

Outputs in samples/producers/pdfs/: `<name>.pdf`, `<name>.csv` (table_code, page,
subject_code, line_label, measure, value, unit) and `<name>.tables.csv`.
"""
