"""Publishing stage: typed records → a Frictionless data package (CSV + Parquet).

Knows Frictionless, Arrow and CSV, nothing about PDFs. The one entry point is
`datapackage.publish.publish_package`; the modules each do one job:

    resources.py       the three tabular resources as data (fields, types, constraints)
    fdp.py             Fiscal Data Package annotations (direction, phase) as data
    columns.py         records → checked column lists (the only place values are checked)
    parquet_writer.py  columns → Arrow table → Parquet (decimal128, never float)
    csv_writer.py      columns → UTF-8-with-BOM CSV for Excel (exact decimals, formula guard)
    descriptor.py      datapackage.json builder
    validation.py      frictionless + Parquet read-back checks of a written package
    atomic.py          write-to-temporary-sibling-then-swap directory publishing
    publish.py         PackageContent / publish_package / PublishedPackage
"""
