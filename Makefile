# The two commands README gives for a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"

.PHONY: install sample test bench
install: $(PY)

# Install, then run the main job on the bundled sample documents (Prefect embedded mode).
sample: $(PY)
	$(VENV)/bin/opendisclosure run --out out

test: $(PY)
	$(PY) -m pytest

bench: $(PY)
	$(PY) bench/run_bench.py
