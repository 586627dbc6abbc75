# ecsnet developer tasks. `make help` lists them.
CARGO ?= cargo
PLAN  ?= testdata/scenarios/sample/shop/plan.json
PREFIX ?= $(HOME)/.cargo
# make fixtures ONLY=capacity/ : only the scenarios whose topic/name/ contains it
ONLY  ?=
# make fuzz FUZZ_SECONDS=600 : how long each fuzz target runs
FUZZ_SECONDS ?= 60
# make tf-mirror MIRROR=dir : where the provider layout goes (Terraform always looks in ~/.terraform.d/plugins)
MIRROR ?= $(HOME)/.terraform.d/plugins

.PHONY: help build test check fmt clippy demo bench install dist package tf-mirror fixtures judged fuzz clean-bench

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

build: ## Build the ecsnet binary (release, no debug info)
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

bench: ## Generate a ~100 MB synthetic plan and measure ecsnet against the parse floor (medians of interleaved pairs: wall, CPU, peak memory), the issue-11 growth cases; then the plugin, and reading Terraform sources (200 module calls); profiling profile (release with line tables)
	bash scripts/bench.sh
	bash scripts/bench_plugin.sh
	bash scripts/bench_sources.sh

tf-mirror: build ## Install the release binary as the Terraform provider ecsnet/ecsnet in a filesystem mirror (MIRROR=dir)
	sh scripts/tf-mirror.sh $${CARGO_TARGET_DIR:-target}/release/ecsnet $(MIRROR)

install: ## Install the ecsnet binary into $(PREFIX)/bin
	$(CARGO) install --path plugin --root $(PREFIX) --locked

dist: ## Release archive in dist/: binary, completions, man pages, LICENSE, README, SHA256SUMS
	sh scripts/dist.sh

package: ## cargo publish --dry-run of ecsnet-goplugin, ecsnet-tfplugin6, ecsnet-tfsource then ecsnet (what crates.io would receive)
	CARGO=$(CARGO) bash scripts/package.sh

fixtures: ## Plan testdata/scenarios with real Terraform through the stand-in AWS provider (ONLY=topic/ or topic/name/ for some)
	$(CARGO) build --quiet -p aws-standin --bins
	$(CARGO) run --quiet -p aws-standin --bin scenarios -- $(if $(ONLY),--only $(ONLY))

judged: ## Count the services ecsnet judged without an unverifiable note, create and update plans apart (V=1 per plan; PLANS="a.json b.json" for other plans)
	$(CARGO) build --quiet -p ecsnet -p aws-standin --bins
	$(CARGO) run --quiet -p aws-standin --bin judged -- $(if $(V),-v) $(foreach p,$(PLANS),--plan $(p))

fuzz: ## Fuzz the plan reader, the check pipeline, .ecsnet.hcl and the plugin's stream assembly, FUZZ_SECONDS (60) each (needs `cargo install cargo-fuzz`)
	mkdir -p plugin/fuzz/corpus/check_plan plugin/fuzz/corpus/parse_plan plugin/fuzz/corpus/parse_config plugin/fuzz/corpus/stream_assembly
	for f in testdata/scenarios/*/*/plan.json testdata/scenarios/*/*/update/plan.json; do n=$$(echo "$${f#testdata/scenarios/}" | tr / _); cp "$$f" plugin/fuzz/corpus/check_plan/$$n; cp "$$f" plugin/fuzz/corpus/parse_plan/$$n; done
	for f in testdata/scenarios/*/*/.ecsnet.hcl; do cp "$$f" "plugin/fuzz/corpus/parse_config/$$(echo "$${f#testdata/scenarios/}" | tr / _)"; done
	cd plugin/fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run parse_plan corpus/parse_plan -- -max_total_time=$(FUZZ_SECONDS) -max_len=65536
	cd plugin/fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run check_plan corpus/check_plan -- -max_total_time=$(FUZZ_SECONDS) -max_len=65536
	cd plugin/fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run parse_config corpus/parse_config -- -max_total_time=$(FUZZ_SECONDS)
	cd plugin/fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run stream_assembly corpus/stream_assembly -- -max_total_time=$(FUZZ_SECONDS)
