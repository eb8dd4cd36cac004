# deepq — the README's two commands.
#   make run   trains DQN on CartPole-v1 with the default preset and writes a run folder
#   make test  builds, runs the whole ctest suite, the unit tests under ASan+UBSan, then the
#              Python package's tests (pytest) in a virtual environment it creates
# Both first make sure the Debian packages deepq builds against are installed.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
DEB_PKGS   := build-essential cmake pkg-config libcjson-dev libyaml-dev libzip-dev libbox2d-dev \
              libcairo2-dev libsdl2-dev libavcodec-dev libavformat-dev libavutil-dev \
              libswscale-dev libgif-dev libopenblas-dev liblapack-dev ffmpeg xvfb python3-venv \
              clang protobuf-c-compiler libprotobuf-c-dev libonnx-dev \
              openmpi-bin libopenmpi-dev
RUN_ARGS   ?=
PYTHON     ?= python3
VENV       ?= $(BUILD)/venv
# `make fuzz` only (CI replays the fuzz corpora with gcc inside `make test`)
FUZZ_PKGS  := clang-14 libclang-rt-14-dev
FUZZ_SECONDS ?= 60

.PHONY: all deps build run test test-asan test-python wheel bench fuzz clean

all: build

deps:
	@bash tools/deps.sh $(DEB_PKGS)

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/deepq train $(RUN_ARGS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory test-asan
	$(MAKE) --no-print-directory test-python

test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DDQ_SANITIZE=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS) -L unit

# libFuzzer campaign: every harness of tests/fuzz for FUZZ_SECONDS each (docs/RELIABILITY.md)
fuzz: deps
	@bash tools/deps.sh $(FUZZ_PKGS)
	bash tests/fuzz/run.sh $(FUZZ_SECONDS)

# The Python package (pyproject.toml): a venv with the test requirements, the package installed
# from this checkout (scikit-build-core; its CMake build folder is kept for quick rebuilds),
# then pytest. DEEPQ_CLI lets the tests compare with the CLI's run folders.
test-python: build
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q -r tests/python/requirements.txt scikit-build-core cffi
	$(VENV)/bin/pip install -q --no-build-isolation -C build-dir=$(BUILD)/python .
	cd tests/python && DEEPQ_CLI=$(abspath $(BUILD))/deepq $(abspath $(VENV))/bin/python -m pytest -q

# A manylinux wheel in dist/ (auditwheel bundles the libraries), checked in a fresh venv
wheel: deps
	bash tools/wheel.sh dist

bench: build
	@echo "benchmarks: see bench/README.md"

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
