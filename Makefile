# Keyport. The two commands a newcomer needs:
#   make run    install what is missing, build, open the app
#   make test   install what the tests need, run every test
.PHONY: run test deps build package bindings bench proptest fmt lint

run:
	scripts/run.sh

test:
	scripts/test.sh

deps:
	scripts/deps.sh test

build:
	scripts/build.sh

# A release .deb of the app and the CLI (target/release/bundle/deb/).
package:
	scripts/package.sh

# Regenerate ui/src/bindings from the Rust types (a test fails when stale).
bindings:
	KEYPORT_UPDATE_BINDINGS=1 cargo test -p keyport-app typescript_bindings_are_fresh

# Benchmarks (private keyring); numbers go into README.md: key generation
# against openssl, the sandbox against openssl speed, the cold start against
# a bare Tauri app, the key grid at 10,000 keys.
bench:
	scripts/deps.sh bench
	scripts/with-keyring.sh cargo bench -p keyport-engine --bench keygen
	scripts/with-keyring.sh scripts/bench-sandbox.sh
	scripts/with-keyring.sh scripts/bench-start.sh
	scripts/with-keyring.sh scripts/bench-grid.sh

# A long session of the property tests (make test runs a short one).
proptest:
	PROPTEST_CASES=$${PROPTEST_CASES:-20000} cargo test -p keyport-core --test properties

fmt:
	cargo fmt --all
	cd ui && npx prettier --write --log-level warn .
	cd tests/e2e && npx prettier --write --log-level warn .

# Formatting, clippy, ESLint, Prettier and tsc, as make test runs them.
lint:
	scripts/lint.sh
