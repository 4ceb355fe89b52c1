# Thin wrapper over the CMake presets. `make run` and `make test` each do all the set-up.
#   make run      install packages, build, run a small main experiment, plot it (results/)
#   (SETUP_FLAGS=--slurm by default: the job tests need a local SLURM; SETUP_FLAGS= skips it)
#   make test     install packages, build, run the whole test suite (CTest + pytest)
#   make bench    build and run the Google Benchmark programs
# PRESET=release|debug|sanitize|ci selects the CMake preset (CI=true selects ci).
PRESET ?= $(if $(filter true,$(CI)),ci,release)
BUILD  := build/$(PRESET)
PYTHON := /usr/bin/python3
SETUP_FLAGS ?= --slurm

.PHONY: all setup configure build run test bench clean
all: build

setup:
	scripts/setup.sh $(SETUP_FLAGS)

configure: setup
	cmake --preset $(PRESET)

build: configure
	cmake --build --preset $(PRESET)

run: build
	scripts/run_main.sh $(BUILD)/src/igbench

test: build
	ctest --preset $(PRESET)

bench: build
	scripts/run_bench.sh $(BUILD)

clean:
	rm -rf build
