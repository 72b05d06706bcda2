# zwgk-auditor developer tasks. Needs python3 (>= 3.11) with venv and pip; nothing else.
#   make venv   create .venv (if missing) and install -e .[test] (again when pyproject.toml changes)
#   make test   run the test suite
#   make lint   ruff check .
#   make demo   serve the bundled sample site on 127.0.0.1, scan and audit it (offline)
#   make bench  accuracy and speed benchmarks against the shared corpus (CORPUS=...), if present

PYTHON ?= python3
VENV   := .venv
VPY    := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
CORPUS ?= ../shared/corpus

.PHONY: venv test lint demo bench

venv: $(STAMP)

$(VPY):
	$(PYTHON) -m venv $(VENV)

# Reinstall when pyproject.toml (dependencies, entry points) is newer than the last install.
$(STAMP): pyproject.toml | $(VPY)
	$(VPY) -m pip install -e '.[test]'
	touch $(STAMP)

test: venv
	$(VPY) -m pytest

lint: venv
	$(VENV)/bin/ruff check .

demo: venv
	$(VENV)/bin/auditor demo

bench: venv
	@if [ -d "$(CORPUS)" ]; then \
	  echo "== accuracy ($(CORPUS))"; \
	  $(VPY) bench/accuracy.py $(CORPUS)/gold $(CORPUS)/reports $(CORPUS)/html $(CORPUS)/pdf; \
	  echo; echo "== parse speed"; \
	  $(VPY) bench/parse_speed.py $(wildcard $(CORPUS)/html/*.html) $(wildcard $(CORPUS)/reports/*.txt); \
	  echo; echo "== coverage honesty (replicas of $(CORPUS)/pages)"; \
	  $(VPY) bench/coverage.py $(CORPUS)/pages; \
	else \
	  echo "no corpus at $(CORPUS): skipping benchmarks (make bench CORPUS=/path/to/corpus)"; \
	fi
