# Everything a fresh machine needs: Python >= 3.11 and the package registries.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
QUERY ?= python, sql, нейросети

.PHONY: setup run test lint bench evaluate clean

$(BIN)/jobrec: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(BIN)/jobrec

setup: $(BIN)/jobrec

# The main job: answer a skills query (trains a bundle first when there is none).
run: setup
	$(BIN)/jobrec ask "$(QUERY)"

test: setup
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check recommender bot tests bench migrations
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python bench/bench_recommend.py
	$(BIN)/python bench/bench_salary.py

evaluate: setup
	$(BIN)/jobrec evaluate

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
