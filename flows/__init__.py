"""Thin Prefect flows and the CLI. Nothing imports flows/."""
