# careerbot: `make chat` serves the web chat, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_DISABLE_PROGRESS_BARS := 1
export TRANSFORMERS_VERBOSITY := error
# llama.cpp is built from source: a portable x86-64 build (AVX2), since a native
# build can emit instructions (AVX-512/AMX) that a virtual machine refuses at run time.
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_BMI2=ON

.PHONY: install chat test lint eval bench clean browser

install: $(STAMP)

# torch first, pinned to the CPU build: anything unpinned would pull a CUDA build.
$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

chat: install
	$(BIN)/careerbot chat --ingest-if-empty corpus

# The browser tests drive Debian's Chromium (never a browser Playwright downloads): installed here when it
# is missing and we are root; elsewhere the browser tests skip, saying why.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; fi
	@test -x /usr/bin/chromium || echo "make test: /usr/bin/chromium is missing and cannot be installed here (not root, or no apt-get): the browser tests will skip"

# Two pytest-xdist workers, one test file each at a time (a file's fixtures are built once); a store several
# files need is still ingested once (tests/conftest.py's built_once). TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
test: install browser
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: install
	$(BIN)/ruff check bot ingest tests scripts
	$(BIN)/mypy

eval: install
	$(BIN)/careerbot eval tests/prompts/guide.yaml --report eval-out --json eval-out/guide.json

clean:
	rm -rf $(VENV) .careerbot eval-out
