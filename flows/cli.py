"""`opendisclosure` command line: run the pipeline, inspect a page.

Typer turns these functions into commands with `--help` text a newcomer can follow.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from flows.settings import DEFAULT_OUT, SAMPLES_DIR, configure_prefect_env

if TYPE_CHECKING:
    from crawl.registry import Source
    from crawl.store import Store
    from flows.isolation import Limits
    from flows.runners import RunnerOptions
    from flows.summary import RunSummary
    from flows.unchanged import InputFacts

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

TimeoutOption = Annotated[
    float, typer.Option("--timeout", help="Seconds one document may take before it is stopped (quarantined: timeout).")
]
MemoryOption = Annotated[
    str,
    typer.Option(
        "--memory-limit",
        help="Memory one document's process may use, e.g. 2G, 512M (plain number: MiB); beyond it: memory_limit.",
    ),
]
PagesOption = Annotated[int, typer.Option("--max-pages", help="Pages a document may have (more: too_many_pages).")]
ObjectsOption = Annotated[
    int, typer.Option("--max-page-objects", help="Objects one page may hold (more: too_many_objects).")
]
WorkersOption = Annotated[
    int, typer.Option("--workers", help="Documents processed at once, each in a limited worker process. 0 = one per CPU.")
]


class RunnerKind(StrEnum):
    threads = "threads"
    dask = "dask"


RunnerOption = Annotated[
    RunnerKind,
    typer.Option(
        "--runner",
        help="Where documents run: threads (a thread pool in this process) or dask (a Dask cluster: a local one"
        " of --workers processes, or --dask-address). Each document still runs in a limited worker process.",
    ),
]
DaskAddressOption = Annotated[
    str | None,
    typer.Option(
        "--dask-address",
        help="An existing Dask scheduler for --runner dask, e.g. tcp://10.0.0.5:8786 (workers need this package,"
        " the input files at the same path and DASK_DISTRIBUTED__WORKER__DAEMON=False). Default: a local cluster.",
    ),
]
AllowEmptyOption = Annotated[
    bool, typer.Option("--allow-empty", help="Publish even when the source holds no PDF (replaces the package).")
]
AllowShrinkOption = Annotated[
    bool,
    typer.Option(
        "--allow-shrink", help="Publish even when the source has fewer than half the documents of the package in --out."
    ),
]


def parse_memory(text: str) -> int:
    """'2G', '1.5g', '512M', '512MiB', '4096' (MiB) → bytes."""
    units = {"k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}
    value = text.strip().lower().removesuffix("ib").removesuffix("b")
    factor = units.get(value[-1:], 0) if value else 0
    number = value[:-1] if factor else value
    try:
        return int(float(number) * (factor or 2**20))
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not a size such as 2G or 512M", param_hint="--memory-limit") from exc


def make_limits(timeout: float, memory_limit: str, max_pages: int, workers: int, max_page_objects: int = 50_000) -> Limits:
    from flows.isolation import Limits

    try:
        return Limits(timeout_s=timeout, memory_bytes=parse_memory(memory_limit), max_pages=max_pages, workers=workers,
                      max_page_objects=max_page_objects)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


def make_runner(runner: RunnerKind, dask_address: str | None) -> RunnerOptions:
    """--runner / --dask-address → RunnerOptions; exit 2 when they cannot work (before Prefect starts)."""
    from flows.runners import RunnerOptions, worker_api_problem

    try:
        options = RunnerOptions(runner.value, dask_address)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--dask-address") from exc
    if options.dask_address:
        configure_prefect_env()  # before Prefect reads its settings (PREFECT_API_URL may come from a profile)
    if problem := worker_api_problem(options):
        raise typer.BadParameter(problem, param_hint="--dask-address")
    return options


def _check_out(out: Path) -> None:
    """Exit 1 with one line, before any work, when --out can never be published to."""
    from core.errors import PublishError
    from datapackage.atomic import check_publishable

    try:
        check_publishable(out)
    except PublishError as exc:
        console.print(f"[red]cannot publish:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(1) from exc


@app.command()
def run(
    source: Annotated[
        Path | None,
        typer.Option(help="Folder of PDFs to ingest (searched recursively). Default: the bundled samples."),
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder the data package is published to (replaced atomically).")] = DEFAULT_OUT,
    progress: Annotated[bool, typer.Option(help="Show a progress bar per document.")] = True,
    timeout: TimeoutOption = 300.0,
    memory_limit: MemoryOption = "2G",
    max_pages: PagesOption = 2000,
    max_page_objects: ObjectsOption = 50_000,
    workers: WorkersOption = 0,
    allow_empty: AllowEmptyOption = False,
    allow_shrink: AllowShrinkOption = False,
    runner: RunnerOption = RunnerKind.threads,
    dask_address: DaskAddressOption = None,
    force: Annotated[
        bool,
        typer.Option(help="Publish again even when --out already holds the package of these files, limits and code."),
    ] = False,
) -> None:
    """Ingest every PDF under --source and publish the data package to --out.

    Bad files (corrupt, encrypted, scanned, not a disclosure, tables that do not
    parse, over a limit: --timeout, --memory-limit, --max-pages) are recorded in the
    package's `documents` resource as quarantined, with the reason; the run goes on.
    A source with no PDF, or with fewer than half the documents of the package in
    --out, is refused (exit 3) unless --allow-empty / --allow-shrink. If publishing
    fails (exit 1) or the run is interrupted (Ctrl-C: exit 130, SIGTERM: 143), the
    previous package in --out is left untouched. --runner dask runs the documents on a Dask
    cluster (a local one of --workers processes, or the scheduler at --dask-address). When
    --out already holds the package of exactly these files, limits and code, nothing is
    republished (no Prefect start-up either) unless --force.
    """
    from flows.embedded_server import embedded_server, using

    configure_prefect_env()
    # Prefect's server starts first and boots while this process checks the options, discovers
    # the files and imports (flows/embedded_server.py); a refused or unchanged run stops it unused
    with embedded_server() as server:
        limits = make_limits(timeout, memory_limit, max_pages, workers, max_page_objects)
        runner_options = make_runner(runner, dask_address)
        src = source or SAMPLES_DIR
        if not src.exists():
            console.print(f"[red]--source {src} does not exist.[/red] Give a folder that contains PDF files.")
            raise typer.Exit(2)
        from flows.guard import check_source
        from flows.interrupt import clean_interruption

        _check_out(out)
        with clean_interruption(out), _exit_on_failure("run"):
            from flows.discover import discover_sources

            entries = discover_sources(src)
            check_source(len(entries), sum(e.problem is None for e in entries), out, f"--source {src}",
                         allow_empty=allow_empty, allow_shrink=allow_shrink)
            from flows.inputs import inputs_from
            from flows.unchanged import extracted_already, folder_facts

            facts = folder_facts(inputs_from(src, entries))  # hashed once: the flow asks again (memoized)
            if not force and _answered_unchanged(src, out, limits, facts):
                return
            from flows import isolation

            # Dask workers start their own forkservers; a run the cache answers wholly needs none
            if runner_options.kind == "threads" and not extracted_already(out, facts):
                isolation.warm_up()
            from flows.run import run_flow

            with using(server):
                summary = run_flow(source=src, out=out, show_progress=progress, limits=limits,
                                   allow_empty=allow_empty, allow_shrink=allow_shrink, runner=runner_options)
        _print_run_summary(summary, out)  # while the server stops (told to by `using`)


@contextlib.contextmanager
def _exit_on_failure(command: str) -> Iterator[None]:
    """A refused source ends the command with EXIT_REFUSED (3), any other failure of ours with 1,
    each with its one-line reason (run and nightly)."""
    from core.errors import OpenDisclosureError
    from flows.guard import EXIT_REFUSED, SourceRefused

    try:
        yield
    except SourceRefused as exc:
        console.print(f"[red]refused:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(EXIT_REFUSED) from exc
    except OpenDisclosureError as exc:
        console.print(f"[red]{command} failed:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(1) from exc


def _answered_unchanged(src: Path, out: Path, limits: Limits, facts: list[InputFacts]) -> bool:
    """Print the package in --out and say so when it is already this run's (flows/unchanged.py)."""
    from flows.names import publishable_name
    from flows.summary import unchanged_summary
    from flows.unchanged import run_fingerprint, unchanged_package

    fingerprint = run_fingerprint(publishable_name(str(src)), facts, limits)
    state = unchanged_package(out, fingerprint)
    if state is None:
        return False
    console.print(
        f"nothing changed since the package of {state.created} (the same files, limits and code):"
        " kept as it is, nothing extracted or published; --force publishes it again", soft_wrap=True,
    )
    _print_run_summary(unchanged_summary(out, state), out)
    return True


def _print_run_summary(summary: RunSummary, out: Path) -> None:
    table = Table(title="opendisclosure run", show_header=False)
    table.add_row("documents ok", str(summary.documents_ok))
    table.add_row("documents partial", str(summary.documents_partial))
    table.add_row("documents quarantined", str(summary.documents_quarantined))
    coverage = summary.coverage
    table.add_row(
        "amounts read / printed",
        f"{summary.amounts_read} / {summary.amounts_printed}"
        + (f" ({coverage:.2%} coverage)" if coverage is not None else ""),
    )
    table.add_row("line items", str(summary.line_items))
    table.add_row("consistency findings", str(summary.findings))
    console.print(table)
    console.print(f"package: {(out / 'datapackage.json').resolve()}", soft_wrap=True)
    console.print(f"report: {(out / 'report' / 'index.html').resolve()}", soft_wrap=True)
    # one print per kind: a print per document cost 0.35 ms (0.1 s for a 300-document run's quarantines);
    # names and reasons escaped, so a file named `[b]x.pdf` is printed as it is, not as markup
    lines = [f"[yellow]partial[/yellow] {escape(name)}: {escape(what)}" for name, what in summary.partial]
    if lines:
        console.print("\n".join(lines), soft_wrap=True)
    lines = [f"[yellow]quarantined[/yellow] {escape(name)}: {escape(reason)}" for name, reason in summary.quarantined]
    if lines:
        console.print("\n".join(lines))


@app.command()
def crawl(
    registry: Annotated[Path | None, typer.Option(help="Source registry (TOML). Default: crawl/sources.toml.")] = None,
    store: Annotated[Path, typer.Option(help="Raw store folder: raw/<sha256>.pdf files + manifest.sqlite.")] = Path(
        "store"
    ),
    source: Annotated[str | None, typer.Option(help="Crawl only the source with this name.")] = None,
) -> None:
    """Crawl the portals of the registry into --store (new and changed files only; no extraction).

    Every refused, rejected or failed URL is recorded with its reason in the store's manifest
    (table `events`) and listed here.
    """
    from core.errors import OpenDisclosureError
    from crawl.crawler import new_crawl_id
    from crawl.registry import DEFAULT_REGISTRY, load_registry
    from crawl.store import Store

    try:
        sources = load_registry(registry or DEFAULT_REGISTRY, only=source)
    except OpenDisclosureError as exc:
        console.print(f"[red]registry:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(2) from exc
    crawl_id = new_crawl_id()
    table = Table(title=f"crawl {crawl_id}")
    for column in ("source", "candidates", "downloaded", "changed", "not modified", "rejected/refused/failed"):
        table.add_column(column)
    with Store(store) as st:
        st.start_crawl(crawl_id)
        totals: dict[str, int] = {}
        try:
            _crawl_sources(sources, st, crawl_id, table, totals)
        finally:  # a crawl is always closed, also when a source fails or the run is interrupted
            st.finish_crawl(crawl_id, totals)
    console.print(table)
    console.print(f"store: {store.resolve()}", soft_wrap=True)


def _crawl_sources(
    sources: list[Source], st: Store, crawl_id: str, table: Table, totals: dict[str, int]
) -> None:
    """Crawl each source into the store, filling the summary table and the totals."""
    from crawl.crawler import crawl_source

    for src in sources:
        if not src.tested:
            console.print(f"[yellow]{src.name}: untested against the live site[/yellow] (tested = false)")
        report = crawl_source(src, st, crawl_id)
        c = report.counts
        bad = c["rejected"] + c["refused"] + c["failed"] + c["listing_problems"]
        table.add_row(src.name, *(str(c[k]) for k in ("candidates", "downloaded", "changed", "not_modified")), str(bad))
        for url, code, reason in report.problems:
            console.print(f"[yellow]{code}[/yellow] {url}: {reason}", soft_wrap=True)
        for key, value in c.items():
            totals[key] = totals.get(key, 0) + value


@app.command()
def nightly(
    registry: Annotated[Path | None, typer.Option(help="Source registry (TOML). Default: crawl/sources.toml.")] = None,
    store: Annotated[Path, typer.Option(help="Raw store folder (kept between runs).")] = Path("store"),
    out: Annotated[Path, typer.Option(help="Folder the data package is published to (replaced atomically).")] = DEFAULT_OUT,
    source: Annotated[str | None, typer.Option(help="Crawl only the source with this name.")] = None,
    timeout: TimeoutOption = 300.0,
    memory_limit: MemoryOption = "2G",
    max_pages: PagesOption = 2000,
    max_page_objects: ObjectsOption = 50_000,
    workers: WorkersOption = 0,
    allow_empty: AllowEmptyOption = False,
    allow_shrink: AllowShrinkOption = False,
    runner: RunnerOption = RunnerKind.threads,
    dask_address: DaskAddressOption = None,
) -> None:
    """Crawl, extract only new or changed files, publish the package from every stored document.

    The package's run info (`opendisclosure:run` in datapackage.json) names the crawl that produced
    it. If the run fails (exit 1), is refused (an empty store or one with fewer than half the
    documents of the package: exit 3, unless --allow-empty / --allow-shrink) or is interrupted
    (exit 130 / 143), nothing is published and the previous package in --out stays.
    --runner dask / --dask-address: as for `run`.
    """
    from flows.embedded_server import embedded_server, using

    configure_prefect_env()
    with embedded_server() as server:  # as in `run`: it boots while we check the options and import
        limits = make_limits(timeout, memory_limit, max_pages, workers, max_page_objects)
        runner_options = make_runner(runner, dask_address)
        from flows import isolation
        from flows.interrupt import clean_interruption

        _check_out(out)
        with clean_interruption(out), _exit_on_failure("nightly"):
            if runner_options.kind == "threads":
                isolation.warm_up()
            from crawl.registry import DEFAULT_REGISTRY
            from flows.nightly import nightly as nightly_flow

            with using(server):
                summary = nightly_flow(registry=registry or DEFAULT_REGISTRY, store=store, out=out,
                                       source=source, limits=limits, allow_empty=allow_empty,
                                       allow_shrink=allow_shrink, runner=runner_options)
    for name, counts in summary.crawl.items():
        console.print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if summary.run is not None:
        console.print(
            f"crawl {summary.crawl_id}: documents ok {summary.run.documents_ok}, "
            f"quarantined {summary.run.documents_quarantined}, line items {summary.run.line_items}"
        )
    console.print(f"package: {(out / 'datapackage.json').resolve()}", soft_wrap=True)


CRON_FIELD = r"^[0-9*/,\-A-Za-z?]+$"


@app.command()
def serve(
    cron: Annotated[str, typer.Option(help='Schedule as a 5-field cron expression, e.g. "0 2 * * *" (02:00 daily).')] = (
        "0 2 * * *"
    ),
    registry: Annotated[Path | None, typer.Option(help="Source registry (TOML). Default: crawl/sources.toml.")] = None,
    store: Annotated[Path, typer.Option(help="Raw store folder (kept between runs).")] = Path("store"),
    out: Annotated[Path, typer.Option(help="Folder the data package is published to.")] = DEFAULT_OUT,
    name: Annotated[str, typer.Option(help="Name of the Prefect deployment.")] = "nightly",
) -> None:
    """Serve the nightly flow as a Prefect deployment on a cron schedule (runs until stopped).

    Needs a real Prefect server: start one with `prefect server start` and set
    PREFECT_API_URL=http://127.0.0.1:4200/api in this shell. Without a server, use plain cron:
    `0 2 * * * cd /path/to/project && .venv/bin/opendisclosure nightly`.
    """
    import re

    fields = cron.split()
    if len(fields) != 5 or not all(re.match(CRON_FIELD, f) for f in fields):
        console.print(f"[red]--cron {cron!r} is not a 5-field cron expression[/red] (minute hour day month weekday)")
        raise typer.Exit(2)
    configure_prefect_env()
    from crawl.registry import DEFAULT_REGISTRY
    from flows.nightly import nightly as nightly_flow

    nightly_flow.serve(
        name=name,
        cron=cron,
        parameters={"registry": str((registry or DEFAULT_REGISTRY).resolve()), "store": str(store.resolve()),
                    "out": str(out.resolve())},
    )


@app.command("import-subjects")
def import_subjects(
    file: Annotated[Path, typer.Argument(help="Official code list: .csv (UTF-8) or .xlsx; columns code, name, …")],
    into: Annotated[
        Path | None, typer.Option(help="Official list to merge into. Default: schemas/data/subjects_official.csv.")
    ] = None,
) -> None:
    """Import an official 政府收支分类科目 list; its entries then take precedence over observed ones.

    Columns (English or Chinese names): code/科目编码, name/科目名称, and optionally level/级次,
    system/科目体系, fiscal_year/年度, valid_from, valid_to, variants/别名.
    Written to schemas/data/subjects_official.csv.
    """
    from schemas.official_import import import_official
    from schemas.reference import OFFICIAL_CSV

    if not file.is_file():
        console.print(f"[red]{file} does not exist.[/red] Give a .csv or .xlsx file.", soft_wrap=True)
        raise typer.Exit(2)
    console.print(import_official(file, into or OFFICIAL_CSV), soft_wrap=True)


@app.command("debug-page")
def debug_page(
    pdf: Annotated[Path, typer.Argument(help="The PDF file.")],
    page: Annotated[int, typer.Argument(help="1-based page number.")],
) -> None:
    """Show what the extractor sees on one page: text lines, titles, grids, header columns."""
    from extract.debug import describe_page

    console.print(describe_page(pdf, page))


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The earlier package folder (holds datapackage.json).")],
    new: Annotated[Path, typer.Argument(help="The later package folder.")],
    limit: Annotated[int, typer.Option(help="Changed figures to list, largest difference first (0: all).")] = 200,
) -> None:
    """Print what changed from package OLD to package NEW: documents added / removed / revised, figures.

    The same summary as the CHANGELOG.md each published package carries. Exit 2 when a folder holds
    no package.
    """
    from core.errors import ConfigurationError
    from datapackage.changelog import render_changes
    from datapackage.changes import compare_packages

    try:
        changes = compare_packages(old, new)
    except ConfigurationError as exc:
        console.print(f"[red]diff:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(2) from exc
    typer.echo(render_changes(changes, limit))


def main() -> None:
    """The `opendisclosure` console script: `app`, then the process ends without Python's
    teardown (flows/fast_exit.py: exit handlers run, output flushed, status kept)."""
    from flows.fast_exit import exit_after

    exit_after(app)


if __name__ == "__main__":  # pragma: no cover
    main()
