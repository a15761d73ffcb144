# hcpartner: two commands for a new machine.
#   make demo   the Partner Center flow against a local server
#   make test   every check and test
# Each installs what it needs; Rust (cargo, clippy, rustfmt) comes with the machine image.

CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: demo test lint fmt check-tools bench bench-signer vectors generate

demo: check-tools
	$(CARGO) run -q -p hcpartner --example sign_and_send

test: check-tools lint
	$(CARGO) test --workspace --all-targets
	$(CARGO) test --workspace --doc

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps -q

fmt:
	$(CARGO) fmt --all

check-tools:
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install Rust (https://rustup.rs)"; exit 1; }
	@$(CARGO) clippy --version >/dev/null 2>&1 || rustup component add clippy
	@$(CARGO) fmt --version >/dev/null 2>&1 || rustup component add rustfmt

# Side-by-side benchmarks against the official SDKs (not part of `make test`).
bench: bench-signer

bench-signer:
	bash benches/signer.sh

# Regenerate the signing vectors with the official huaweicloudsdkcore (installs it in a venv).
vectors:
	python3 tests/vectors/make_vectors.py
