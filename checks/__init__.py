"""Consistency checks: rules registry (schemas/data/rules.csv) → one function per rule → Finding records.

Modules: `registry` (rule_id → function), `view` (one document's line items indexed
by table, row and code), `tolerance` (rounding tolerance and severity), `compare`
(one comparison → a Finding or nothing), `arithmetic` and `cross_table` (the
rules), `document_rules` (the public entry point `check_document`).
"""
