# ecsnet developer tasks. `make help` lists them.
CARGO ?= cargo
PLAN  ?= testdata/scenarios/sample/shop/plan.json
PREFIX ?= $(HOME)/.cargo
# make fixtures ONLY=capacity/ : only the scenarios whose topic/name/ contains it
ONLY  ?=

.PHONY: help build test check fmt clippy demo bench install fixtures judged fuzz clean-bench

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

build: ## Build the ecsnet binary (release)
	$(CARGO) build --release -p ecsnet

test: ## Run every test (unit, fixtures, snapshots, CLI, plugin, real-plan corpus when ../shared exists)
	$(CARGO) test --workspace --all-targets
	$(CARGO) test --workspace --doc

fmt: ## Check formatting
	$(CARGO) fmt --all -- --check

clippy: ## Lint with warnings as errors
	$(CARGO) clippy --workspace --all-targets -- -D warnings

check: fmt clippy test ## What CI runs: fmt, clippy -D warnings, tests

demo: ## Run ecsnet check on the bundled sample plan
	$(CARGO) run --quiet -p ecsnet -- check $(PLAN) --fail-on never

bench: ## Generate a ~100 MB synthetic plan and measure ecsnet against the parse floor; then the plugin, and reading Terraform sources (200 module calls)
	bash scripts/bench.sh
	bash scripts/bench_plugin.sh
	bash scripts/bench_sources.sh

install: ## Install the ecsnet binary into $(PREFIX)/bin
	$(CARGO) install --path plugin --root $(PREFIX) --locked

fixtures: ## Plan testdata/scenarios with real Terraform through the stand-in AWS provider (ONLY=topic/ or topic/name/ for some)
	$(CARGO) build --quiet -p aws-standin --bins
	$(CARGO) run --quiet -p aws-standin --bin scenarios -- $(if $(ONLY),--only $(ONLY))

judged: ## Count the services ecsnet judged without an unverifiable note, create and update plans apart (V=1 per plan)
	$(CARGO) build --quiet -p ecsnet -p aws-standin --bins
	$(CARGO) run --quiet -p aws-standin --bin judged -- $(if $(V),-v)

fuzz: ## Fuzz the plan reader and the whole check pipeline, 60 s each (needs `cargo install cargo-fuzz`)
	cd plugin/fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run parse_plan -- -max_total_time=60
	mkdir -p plugin/fuzz/corpus/check_plan
	for f in testdata/scenarios/*/*/plan*.json; do cp "$$f" "plugin/fuzz/corpus/check_plan/$$(echo "$${f#testdata/scenarios/}" | tr / _)"; done
	cd plugin/fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run check_plan corpus/check_plan -- -max_total_time=60 -max_len=65536
