"""`opendisclosure` command line: run the pipeline, inspect a page.

Typer turns these functions into commands with `--help` text a newcomer can follow.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flows.settings import DEFAULT_OUT, SAMPLES_DIR, configure_prefect_env

app = typer.Typer(
    help=(
        "opendisclosure turns Chinese government 部门决算 / 部门预算 PDFs into one checked open "
        "data package (Parquet + CSV + datapackage.json).\n\n"
        "Start with:  opendisclosure run   (runs on the bundled sample documents)"
    ),
    no_args_is_help=True,
    add_completion=False,
)
console = Console()


@app.command()
def run(
    source: Annotated[
        Path | None,
        typer.Option(help="Folder of PDFs to ingest (searched recursively). Default: the bundled samples."),
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder the data package is published to (replaced atomically).")] = DEFAULT_OUT,
    progress: Annotated[bool, typer.Option(help="Show a progress bar per document.")] = True,
) -> None:
    """Ingest every PDF under --source and publish the data package to --out.

    Bad files (corrupt, encrypted, scanned, not a disclosure, tables that do not
    parse) are recorded in the package's `documents` resource as quarantined, with
    the reason; the run goes on. If publishing fails, the previous package in --out
    is left untouched.
    """
    configure_prefect_env()
    from flows.run import run_flow

    src = source or SAMPLES_DIR
    if not src.exists():
        console.print(f"[red]--source {src} does not exist.[/red] Give a folder that contains PDF files.")
        raise typer.Exit(2)
    from core.errors import OpenDisclosureError

    try:
        summary = run_flow(source=src, out=out, show_progress=progress)
    except OpenDisclosureError as exc:
        console.print(f"[red]run failed:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(1) from exc
    table = Table(title="opendisclosure run", show_header=False)
    table.add_row("documents ok", str(summary.documents_ok))
    table.add_row("documents quarantined", str(summary.documents_quarantined))
    table.add_row("line items", str(summary.line_items))
    table.add_row("consistency findings", str(summary.findings))
    console.print(table)
    console.print(f"package: {(out / 'datapackage.json').resolve()}", soft_wrap=True)
    for name, reason in summary.quarantined:
        console.print(f"[yellow]quarantined[/yellow] {name}: {reason}")


@app.command("debug-page")
def debug_page(
    pdf: Annotated[Path, typer.Argument(help="The PDF file.")],
    page: Annotated[int, typer.Argument(help="1-based page number.")],
) -> None:
    """Show what the extractor sees on one page: text lines, titles, grids, header columns."""
    from extract.debug import describe_page

    console.print(describe_page(pdf, page))


if __name__ == "__main__":  # pragma: no cover
    app()
