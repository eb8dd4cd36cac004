# deepq — the README's two commands.
#   make run   trains DQN on CartPole-v1 with the default preset and writes a run folder
#   make test  builds, runs the whole ctest suite, then the unit tests under ASan+UBSan
# Both first make sure the Debian packages deepq builds against are installed.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
DEB_PKGS   := build-essential cmake pkg-config libcjson-dev libyaml-dev libzip-dev libbox2d-dev \
              libcairo2-dev libsdl2-dev libavcodec-dev libavformat-dev libavutil-dev \
              libswscale-dev libgif-dev libopenblas-dev liblapack-dev ffmpeg xvfb \
              openmpi-bin libopenmpi-dev
RUN_ARGS   ?=

.PHONY: all deps build run test test-asan bench clean

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

test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DDQ_SANITIZE=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS) -L unit

bench: build
	@echo "benchmarks: see bench/README.md"

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
