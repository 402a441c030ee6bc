"""PDF → RawTable records. Knows PDFs; knows nothing about Parquet or Frictionless."""

import logging as _logging

# pdfminer logs a warning per glyph for fonts without a FontBBox (Chromium, LibreOffice
# PDFs): noise that buries the run's own output. Its errors still show.
_logging.getLogger("pdfminer").setLevel(_logging.ERROR)
