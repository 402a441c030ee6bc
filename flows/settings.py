"""Run settings and the Prefect environment, set before Prefect is imported.

Prefect's embedded mode starts a local server per process; its state lives under a
project-local folder unless the user set PREFECT_HOME, and telemetry is off because
the machines we run on are often offline (DESIGN.md §5).
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = PROJECT_ROOT / "samples" / "pdfs"
DEFAULT_OUT = Path("out")
#: Where the published package can be downloaded, named in its README.md ("how to cite").
PACKAGE_URL = os.environ.get("OPENDISCLOSURE_PACKAGE_URL", "<URL of this package>")
_CODE_DIRS = ("core", "extract", "schemas", "normalize")


def configure_prefect_env() -> None:
    os.environ.setdefault("PREFECT_HOME", str(PROJECT_ROOT / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@cache
def code_version() -> str:
    """Hash of the code and data that decide what a document extracts to.

    Part of the per-document cache key: change the extractor or a spec, and every
    document is read again; change only the publisher, and none is.
    """
    digest = hashlib.sha256()
    digest.update(os.environ.get("OPENDISCLOSURE_GEOMETRY", "pdfium").strip().lower().encode())
    for folder in _CODE_DIRS:
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".toml", ".csv") and path.is_file():
                digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
