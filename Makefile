# Thin wrapper over the CMake presets. `make run` and `make test` each do all the set-up.
#   make run      install packages, build, run a small main experiment, plot it (results/)
#   make test     install packages (and a local SLURM for the job tests: SETUP_FLAGS=--slurm unless
#                 given), build, run the whole test suite (CTest + pytest)
#   make bench    build and run the Google Benchmark programs
# PRESET=release|debug|sanitize|ci selects the CMake preset (CI=true selects ci).
PRESET ?= $(if $(filter true,$(CI)),ci,release)
BUILD  := build/$(PRESET)
PYTHON := /usr/bin/python3

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

# The job tests need a local SLURM: `make test` installs it (and its prerequisites see the flag).
test: SETUP_FLAGS ?= --slurm
test: build
	ctest --preset $(PRESET)

bench: build
	scripts/run_bench.sh $(BUILD)

clean:
	rm -rf build
