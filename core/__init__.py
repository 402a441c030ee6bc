"""Core records shared by every stage: documents, raw tables, line items, findings.

Every stage imports from here; nothing here imports a stage.
"""
