# zwgk-auditor developer tasks. Needs python3 (>= 3.11) with venv and pip; nothing else.
#   make venv   create .venv (if missing) and install -e .[test] (again when pyproject.toml changes)
#   make test   run the test suite in two processes (pytest-xdist; installs headless Chromium and a CJK
#               font first, as root)
#   make lint   ruff check .
#   make demo   serve the bundled sample site on 127.0.0.1, scan and audit it (offline)
#   make bench  accuracy and speed benchmarks against the shared corpus (CORPUS=...), if present

PYTHON ?= python3
VENV   := .venv
VPY    := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
CORPUS ?= ../shared/corpus

.PHONY: venv test lint demo bench browser

venv: $(STAMP)

$(VPY):
	$(PYTHON) -m venv $(VENV)

# Reinstall when pyproject.toml (dependencies, entry points) is newer than the last install.
$(STAMP): pyproject.toml | $(VPY)
	$(VPY) -m pip install -e '.[test]'
	touch $(STAMP)

test: venv browser
	$(VPY) -m pytest -n 2

# Headless Chromium and a CJK font for the browser tests (tests/test_people_reports.py,
# tests/test_table_picture.py look at the HTML report as a person would; without the font the
# labels are drawn as boxes). Installed with apt-get when missing and we are root; otherwise
# the tests skip themselves and say why.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=zh family 2>/dev/null | grep -q .; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium and fonts-noto-cjk for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium fonts-noto-cjk >/dev/null) \
	      || echo "could not install chromium / fonts-noto-cjk: the browser tests will be skipped"; \
	  else \
	    echo "no chromium or CJK font, and not root: the browser tests will be skipped"; \
	  fi; \
	fi

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
