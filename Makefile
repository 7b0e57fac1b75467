# The README's two commands:
#   make serve   installs missing Debian packages, builds Release, starts overcast on 127.0.0.1:4566
#   make test    installs, builds with ASan+UBSan, runs every unit and integration test
# Extra: make build (Release only), make bench (benchmarks, see BENCHMARKS.md), make clean.

JOBS ?= $(shell nproc)
RELEASE_DIR := build/release
ASAN_DIR := build/asan
SERVE_ARGS ?=

.PHONY: serve test build build-asan unit integration bench deps deps-test clean

deps:
	@scripts/install-deps build

deps-test:
	@scripts/install-deps test

$(RELEASE_DIR)/build.ninja:
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DOVERCAST_BUILD_TESTS=OFF

$(ASAN_DIR)/build.ninja:
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DOVERCAST_SANITIZE=ON -DOVERCAST_BUILD_BENCH=OFF

build: deps $(RELEASE_DIR)/build.ninja
	cmake --build $(RELEASE_DIR) -j $(JOBS)

build-asan: deps-test $(ASAN_DIR)/build.ninja
	cmake --build $(ASAN_DIR) -j $(JOBS)

serve: build
	$(RELEASE_DIR)/overcast serve $(SERVE_ARGS)

unit: build-asan
	cd $(ASAN_DIR) && ctest --output-on-failure --timeout 300

integration: build-asan
	OVERCAST_BIN=$(CURDIR)/$(ASAN_DIR)/overcast tests/integration/run

test: build-asan
	cd $(ASAN_DIR) && ctest --output-on-failure --timeout 300
	OVERCAST_BIN=$(CURDIR)/$(ASAN_DIR)/overcast tests/integration/run

bench: build
	scripts/install-deps bench
	bench/run

clean:
	rm -rf build
