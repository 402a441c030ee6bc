# The two commands README gives for a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# (Re)install whenever pyproject.toml changes: new packages and dependencies are picked up.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"
	touch $(STAMP)

.PHONY: install sample test bench bench-corpus
install: $(STAMP)

# Install, then run the main job on the bundled sample documents (Prefect embedded mode).
sample: $(STAMP)
	$(VENV)/bin/opendisclosure run --out out

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/run_bench.py

# The whole pipeline (cold, warm, growth) against the plain pdfplumber loop on a replicated corpus
# of DOCUMENTS files (bench/truth.py, bench/README.md); 20–40 min at 300 on 2 cores.
DOCUMENTS ?= 300
bench-corpus: $(STAMP)
	$(PY) bench/truth.py --documents $(DOCUMENTS)
