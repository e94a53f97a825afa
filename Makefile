# Everything sets itself up in .venv/ on first use; nothing is installed by hand.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PYTHON ?= python3

.PHONY: setup test run lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: setup
	$(PY) -m pytest -q

run: setup
	$(VENV)/bin/streamlit run app.py --server.headless true

lint: setup
	$(VENV)/bin/ruff check .

# The full benchmark: pyDatalog and clingo side by side at 10 to 10,000 persons, the step-through and the batch,
# then every target of issue 13 printed met or missed with its figure (~20-30 min; bench/results/bench.json).
# A quick one: make bench BENCH_ARGS="--sizes 50,100 --repeat 3 --no-steps --no-batch"
bench: setup
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
