# hcpartner: two commands for a new machine.
#   make demo   the Partner Center tour against the embedded emulator (Rust, then Python)
#   make test   every check and test (Rust, Python, C, Node), after installing what they need
#   make install PREFIX=/usr/local   the C library: lib/libhcpartner.{so,a}, include/, lib/pkgconfig/
#   make dist   dist/: the wheel, the sdist, the npm tarball, the C tarball, the emulator, SHA256SUMS
# Rust (cargo, clippy, rustfmt), python3 and node/npm come with the machine image; the rest is
# installed here: Python packages into build/venv, npm packages by `npm ci`, Rust crates by cargo.

# bash: the suites' output goes through tee, and a failure must not be lost in the pipe.
SHELL := /bin/bash
CARGO ?= cargo
PYTHON ?= python3
VENV := build/venv
PY := $(VENV)/bin/python
NPM ?= npm
NODE ?= node
NODE_PKG := bindings-node
export CARGO_TERM_COLOR ?= never
# The secrets check (tests/secrets/scan.py, run by test-secrets): the suites run with the core's
# events at debug (Rust: the soak's subscriber; Python: logging; Node: a logger) into SECRETS,
# their whole output is kept there too, and every emulator records the secrets it holds and issues.
SECRETS := $(abspath build/secrets)
SECRETS_ENV := HCP_SECRETS_DIR=$(SECRETS) HCP_EMULATOR_SECRETS=$(SECRETS)/emulator-secrets.txt
KEEP = 2>&1 | tee $(SECRETS)/$(1).out; exit $${PIPESTATUS[0]}

.PHONY: demo test test-secrets secrets-clean test-rust test-python test-c test-node lint fmt check-tools venv wheel emulator addon bench bench-signer bench-python bench-c bench-node start-order wheel-release vectors generate header lib-c install fuzz dist dist-check

demo: check-tools wheel emulator
	$(CARGO) run -q -p hcpartner-emulator --example partner_tour
	@echo; echo "=== the same tour from Python ==="
	HCP_EMULATOR=target/debug/hcpartner-emulator $(PY) bindings-python/examples/partner_tour.py

test: check-tools secrets-clean lint test-rust test-python test-c test-node test-secrets dist-check

secrets-clean:
	rm -rf $(SECRETS)

test-rust:
	mkdir -p $(SECRETS)
	$(SECRETS_ENV) $(CARGO) test --workspace --all-targets $(call KEEP,rust)
	$(CARGO) test --workspace --doc

# The demo at debug (Rust: RUST_LOG; Python: logging at DEBUG), then the scan of everything the
# demo and the suites printed, logged and raised for the secrets they used: any hit fails.
test-secrets: wheel emulator
	mkdir -p $(SECRETS)
	RUST_LOG=hcpartner=debug,hcpartner_emulator=debug $(SECRETS_ENV) \
		$(CARGO) run -q -p hcpartner-emulator --example partner_tour > $(SECRETS)/demo-rust.out 2>&1
	$(SECRETS_ENV) HCP_EMULATOR=target/debug/hcpartner-emulator $(PY) -c 'import logging, runpy, sys; \
		logging.basicConfig(level=logging.DEBUG); sys.argv[0] = "partner_tour.py"; \
		runpy.run_path("bindings-python/examples/partner_tour.py", run_name="__main__")' > $(SECRETS)/demo-python.out 2>&1
	$(PYTHON) tests/secrets/scan.py $(SECRETS) --require demo-rust.out --require demo-python.out \
		--require rust.out --require rust-soak.log --require python.out --require python-debug.log \
		--require c.out --require c-errors.log --require node.out --require 'node-debug.*.log'

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps -q
	@# TLS is rustls on ring (core/src/tls.rs); aws-lc does not cross-build for glibc 2.17 as simply.
	@if $(CARGO) tree --workspace --target all -e normal,build,dev --prefix none | grep '^aws-lc'; then \
		echo "aws-lc is back in the dependency tree (cargo tree -i aws-lc-sys says who brings it)"; exit 1; fi

fmt:
	$(CARGO) fmt --all

check-tools:
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install Rust (https://rustup.rs)"; exit 1; }
	@$(CARGO) clippy --version >/dev/null 2>&1 || rustup component add clippy
	@$(CARGO) fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found"; exit 1; }
	@command -v $(NODE) >/dev/null && command -v $(NPM) >/dev/null || { echo "node and npm not found (Node.js 18 or later)"; exit 1; }

$(VENV)/.installed: bindings-python/requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r bindings-python/requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# The wheel (debug profile for tests: shares the build with `cargo test`), installed in the venv.
wheel: venv
	rm -rf build/wheels
	$(VENV)/bin/maturin build -q -m bindings-python/Cargo.toml -o build/wheels
	$(PY) -m pip install -q --force-reinstall --no-deps build/wheels/*.whl

emulator:
	$(CARGO) build -q -p hcpartner-emulator

test-python: wheel emulator
	mkdir -p $(SECRETS)
	$(SECRETS_ENV) HCP_EMULATOR=target/debug/hcpartner-emulator $(PY) -m pytest -c tests/python/pytest.ini tests/python -q -p no:cacheprovider $(call KEEP,python)
	HCP_TYPING_VENV=$(abspath $(VENV)) PYTHON=$(abspath $(PY)) bash bindings-python/tests/check_types.sh

# The C library. `make install PREFIX=DIR` builds it (release; C_PROFILE=debug shares the test
# build) and installs lib/libhcpartner.so (soname libhcpartner.so), lib/libhcpartner.a,
# include/hcpartner.h, include/hcpartner.hpp and lib/pkgconfig/hcpartner.pc.
PREFIX ?= /usr/local
C_PROFILE ?= release
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

lib-c:
	$(CARGO) build -q -p hcpartner-c $(if $(filter release,$(C_PROFILE)),--release)

install: lib-c
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 target/$(C_PROFILE)/libhcpartner_c.so $(DESTDIR)$(PREFIX)/lib/libhcpartner.so
	install -m 644 target/$(C_PROFILE)/libhcpartner_c.a $(DESTDIR)$(PREFIX)/lib/libhcpartner.a
	install -m 644 include/hcpartner.h include/hcpartner.hpp $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' bindings-c/hcpartner.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/hcpartner.pc

# Rewrites include/hcpartner.h with the pinned cbindgen (bindings-c/tests/header.rs checks it).
header:
	HCP_BLESS=1 $(CARGO) test -q -p hcpartner-c --test header header_is_current

# The C suite: C programs built with gcc -Wall -Wextra -Werror against the installed header and
# library (pkg-config), run under valgrind and once more built with ASan/UBSan; the C and C++
# examples. Installs gcc's friends from Debian when missing (valgrind, pkg-config, cJSON).
test-c: emulator
	@command -v valgrind >/dev/null && command -v pkg-config >/dev/null && pkg-config --exists libcjson || \
		{ apt-get update -qq && apt-get install -y -qq valgrind pkg-config libcjson-dev g++ >/dev/null; }
	$(MAKE) -s install PREFIX=$(abspath build/c/prefix) C_PROFILE=debug
	mkdir -p $(SECRETS)
	$(SECRETS_ENV) HCP_EMULATOR=$(abspath target/debug/hcpartner-emulator) bash tests/c/run.sh $(call KEEP,c)

# The npm dependencies (@napi-rs/cli, typescript) exactly as locked.
$(NODE_PKG)/node_modules/.installed: $(NODE_PKG)/package-lock.json
	cd $(NODE_PKG) && $(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

# The addon (debug profile for tests), built by @napi-rs/cli next to package.json. Its debug
# info is stripped: the package test packs it, and 90 MB take npm four times as long as 22.
addon: $(NODE_PKG)/node_modules/.installed
	cd $(NODE_PKG) && $(NPM) exec --offline -- napi build --platform --no-js --dts native.d.ts
	if command -v strip >/dev/null; then strip --strip-debug $(NODE_PKG)/hcpartner.*.node; fi

test-node: addon emulator
	mkdir -p $(SECRETS)
	$(SECRETS_ENV) HCP_EMULATOR=target/debug/hcpartner-emulator $(NODE) --test tests/node/ $(call KEEP,node)

# Side-by-side benchmarks against the official SDKs (release builds; not part of `make test`).
bench: bench-signer bench-python bench-c bench-node

bench-signer:
	bash benches/signer.sh

# The release wheel, installed in the venv: what the Python bench and the start-up order measure.
wheel-release: venv
	rm -rf build/wheels-release
	$(VENV)/bin/maturin build -q --release -m bindings-python/Cargo.toml -o build/wheels-release
	$(PY) -m pip install -q --force-reinstall --no-deps build/wheels-release/*.whl

# One table: wrk floor, the core, Python vs the official SDK and bare http.client, one run.
bench-python: wheel-release
	$(PY) -m pip install -q huaweicloudsdkbss==3.1.219
	command -v wrk >/dev/null || (apt-get install -y -q wrk >/dev/null 2>&1 || echo "wrk not installable: no wire floor row")
	$(CARGO) build -q --release -p hcpartner-emulator -p hcpartner-benches
	$(PY) bindings-python/link/order.py --check || echo "bindings-python/link/start.ld is stale: make start-order"
	$(PY) benches/python_bench.py

# Rewrites bindings-python/link/start.ld (see link/order.py) from two builds run under callgrind:
# the release wheel (thin LTO, as benched) and the dist profile's (no LTO, as shipped; linked here
# by rust-lld, which keeps the symbols that zig's link in `make dist` drops).
start-order: wheel-release
	rm -rf build/wheels-order
	$(CARGO) build -q --release -p hcpartner-benches --bin static_server
	$(PY) bindings-python/link/order.py
	$(VENV)/bin/maturin build -q --profile dist -m bindings-python/Cargo.toml -o build/wheels-order
	rm -rf build/order-venv && $(PYTHON) -m venv build/order-venv
	build/order-venv/bin/pip install -q --no-index build/wheels-order/*.whl
	build/order-venv/bin/python bindings-python/link/order.py --add

# A C call (hcp_call) against the Rust core's call, both on one static local server.
bench-c:
	bash benches/c_call.sh

# The Node bench: the release addon, the official @huaweicloud/huaweicloud-sdk-core from npm,
# the benchmark server (benches/src/bin/static_server.rs) and one table.
benches/node/node_modules/.installed: benches/node/package-lock.json
	cd benches/node && $(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

bench-node: $(NODE_PKG)/node_modules/.installed benches/node/node_modules/.installed
	$(CARGO) build -q --release -p hcpartner-benches --bin static_server
	cd $(NODE_PKG) && $(NPM) exec --offline -- napi build --platform --release --no-js --dts native.d.ts
	$(NODE) benches/node/bench.js

# cargo fuzz over the core's parsers (core/src/fuzzing.rs), FUZZ_SECONDS each. The committed
# seeds are fuzz/corpus/ (replayed by `make test`); what the fuzzer finds goes to build/fuzz/, a
# crash to fuzz/artifacts/. cargo-fuzz passes nightly flags: RUSTC_BOOTSTRAP lets the machine's
# stable rustc take them (no sanitizer: its runtime ships with nightly only).
FUZZ_SECONDS ?= 300
FUZZ_TARGETS := error_body response_decode signer params options h1_response
fuzz:
	command -v cargo-fuzz >/dev/null || $(CARGO) install -q cargo-fuzz --locked
	for t in $(FUZZ_TARGETS); do \
		mkdir -p build/fuzz/$$t && \
		RUSTC_BOOTSTRAP=1 $(CARGO) fuzz run -s none $$t build/fuzz/$$t fuzz/corpus/$$t -- \
			-max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -print_final_stats=1 \
			> build/fuzz/$$t.log 2>&1 || { tail -40 build/fuzz/$$t.log; exit 1; }; \
		grep -E '^(Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb)' build/fuzz/$$t.log \
			| sed "s/^/$$t: /"; \
	done

# What users download, for x86_64 Linux with glibc 2.17 or later (packaging/dist.sh): the abi3
# wheel (manylinux2014) and the sdist, the npm tarball with the linux-x64-gnu addon, the C tarball
# (hcpartner-c-VERSION-linux-x86_64.tar.gz) and the emulator binary, built with zig from PyPI (no
# container) in the `dist` profile; reruns rebuild only what changed.
dist: venv
	VENV=$(VENV) bash packaging/dist.sh

# Each artifact of dist/ installed in a clean place and used against the emulator from dist/
# (tests/dist/run.sh): venvs from the wheel and the sdist, an npm project, the C tarball by pkg-config.
dist-check: dist $(NODE_PKG)/node_modules/.installed
	VENV=$(VENV) PYTHON=$(PYTHON) bash tests/dist/run.sh

# Regenerate the signing vectors with the official huaweicloudsdkcore (installs it in a venv).
vectors:
	$(PYTHON) tests/vectors/make_vectors.py

# Regenerate core/src/generated and the Python layer from core/api.
generate:
	$(CARGO) run -q -p codegen
