# Two commands do all set-up on a fresh machine (Python >= 3.11 and pip only):
#   make run    parse, typeset and read aloud the bundled examples into out/, preflight the PDFs, write
#               press (PDF/X-4) and archive (PDF/A-2u) PDFs of them, then publish them as a batch with its web edition (out/build/)
#   make test   run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench shared-previews clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("publish needs Python >= 3.11, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dask]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/publish parse examples --json --output out/examples.json
	$(BIN)/publish parse examples --output out/examples.txt
	$(BIN)/publish pdf examples --output out/issues
	$(BIN)/publish check out/issues/*.pdf --source examples
	$(BIN)/publish check --layout out/issues/*.pdf
	$(BIN)/publish pdf examples --output out/press --standard press --no-previews
	$(BIN)/publish pdf examples --output out/archive --standard archive --no-previews
	$(BIN)/publish check --press out/press/*.pdf
	$(BIN)/publish check --archive out/archive/*.pdf
	$(BIN)/publish audio examples --output out/audio --script
	$(BIN)/publish audio examples --output out/audio
	$(BIN)/publish build examples --output out/build
	@echo "wrote out/examples.json, out/examples.txt, out/issues/ (one PDF per issue, PNG previews of every page)"
	@echo "  and out/press/ (PDF/X-4 for a newspaper press), out/archive/ (PDF/A-2u)"
	@echo "  and out/audio/ (per issue: narration script, MP3s with chapters, subtitles, playlist, feed, manifest)"
	@echo "  and out/build/ (publish build: per issue PDF, previews and audio edition; the web edition 数字报: open out/build/index.html)"

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/parse_throughput.py
	$(BIN)/python -m pip install --quiet 'typst>=0.13'
	$(BIN)/python benchmarks/compose_pdf.py
	$(BIN)/python benchmarks/issue_pages.py
	$(BIN)/python benchmarks/page_search.py
	$(BIN)/python benchmarks/standards.py
	$(BIN)/python benchmarks/offline_engine.py
	$(BIN)/python benchmarks/audio_memory.py
	$(BIN)/python benchmarks/edit_rebuild.py
	$(BIN)/python benchmarks/audio_requests.py
	$(BIN)/python benchmarks/polyphones.py
	$(BIN)/python benchmarks/batch_build.py
	$(BIN)/python benchmarks/web_search.py

# page previews of the shared seed and 新民晚报 corpus (their text is not ours, so not committed)
shared-previews: $(STAMP)
	$(BIN)/publish pdf ../shared/seed/000_36692723417f63aa.txt -o out/shared/seed.pdf
	$(BIN)/publish pdf ../shared/corpus/xmwb -o out/shared/xmwb

clean:
	rm -rf $(VENV) out build *.egg-info
