"""PDF → RawTable records. Knows PDFs; knows nothing about Parquet or Frictionless."""
