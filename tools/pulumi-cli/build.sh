#!/usr/bin/env bash
# Build the real Pulumi CLI and Pulumi's own Python language host from source (no download from
# get.pulumi.com or GitHub needed) into <repo>/.tools/pulumi/bin:
#
#   pulumi                          the CLI/engine (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi),
#                                   built from Go modules in this wrapper module
#   pulumi-resource-pulumi-python   the dynamic-provider launcher script, copied from the sdk/v3
#                                   module (python/dist/)
#   pulumi-language-python          Pulumi's Go language host, built from its unmodified source in
#                                   ../shared/third_party/pulumi-language-python (the Go module proxy
#                                   refuses its module), as a dependency of a copy of this wrapper
#                                   module with a `replace` to that directory
#   pulumi-language-python-exec     the script the language host runs programs with, copied from
#                                   the sdk/v3 module (python/cmd/)
#
# The version comes from the require of github.com/pulumi/pulumi/pkg/v3 in
# tools/pulumi-cli/go.mod (single source of truth; bump it there with
# `go get github.com/pulumi/pulumi/pkg/v3@vX github.com/pulumi/pulumi/sdk/v3@vX && go mod tidy`
# inside tools/pulumi-cli and re-check pkg/go.mod's non-local replace directives).
#
# Re-running is cheap: the CLI is rebuilt only when the version in go.mod changes
# (.tools/pulumi/VERSION), the language host when that version or its source changes
# (.tools/pulumi/LANGUAGE_HOST holds the version and a hash of the source's .go/go.mod/go.sum).
#
# Env knobs:
#   PULUMI_CLI_FORCE=1            rebuild both even if the stamps match
#   PULUMI_CLI_BUILD_JOBS=N       go build -p N (default: nproc)
#   PULUMI_LANGHOST_SRC=DIR       the language host's source (default: <repo>/../shared/third_party/pulumi-language-python)
#
# The Go module cache (GOMODCACHE) and build cache (GOCACHE) are the go defaults,
# so repeated builds reuse them.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"
MOD_DIR="$SCRIPT_DIR"
OUT_DIR="$REPO_ROOT/.tools/pulumi"
BIN_DIR="$OUT_DIR/bin"
STAMP="$OUT_DIR/VERSION"
LANGHOST_STAMP="$OUT_DIR/LANGUAGE_HOST"
LANGHOST_SRC="${PULUMI_LANGHOST_SRC:-$REPO_ROOT/../shared/third_party/pulumi-language-python}"

PKG_MOD="github.com/pulumi/pulumi/pkg/v3"
SDK_MOD="github.com/pulumi/pulumi/sdk/v3"
CLI_PKG="$PKG_MOD/cmd/pulumi"
LANGHOST_MOD="github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3"
VERSION_VAR="$SDK_MOD/go/common/version.Version"

log() { printf '[pulumi-cli] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- version (from go.mod, without invoking go so the warm path is instant) ---
VERSION="$(awk -v m="$PKG_MOD" '($1 == m && $2 ~ /^v/) { print $2; exit } ($1 == "require" && $2 == m) { print $3; exit }' "$MOD_DIR/go.mod")"
[[ -n "$VERSION" ]] || die "could not find the $PKG_MOD requirement in $MOD_DIR/go.mod"

# --- what the language host is built from: the CLI version and a hash of its source ---
have_langhost_src() { [[ -f "$LANGHOST_SRC/main.go" && -f "$LANGHOST_SRC/go.mod" ]]; }
have_langhost_src && LANGHOST_SRC="$(cd "$LANGHOST_SRC" && pwd -P)"
langhost_wanted() {
    local hash
    hash="$(cd "$LANGHOST_SRC" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) -print0 \
        | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
    echo "$VERSION $hash"
}

# --- up-to-date checks ---
FORCE="${PULUMI_CLI_FORCE:-0}"
cli_current() {
    [[ "$FORCE" != "1" && -f "$STAMP" && "$(cat "$STAMP")" == "$VERSION" \
       && -x "$BIN_DIR/pulumi" && -x "$BIN_DIR/pulumi-resource-pulumi-python" ]]
}
langhost_current() {
    [[ "$FORCE" != "1" && -f "$LANGHOST_STAMP" \
       && -x "$BIN_DIR/pulumi-language-python" && -x "$BIN_DIR/pulumi-language-python-exec" ]] || return 1
    local built
    built="$(cat "$LANGHOST_STAMP")"
    if have_langhost_src; then
        [[ "$built" == "$(langhost_wanted)" ]]
    elif [[ "${built%% *}" == "$VERSION" ]]; then
        log "NOTE: the language host source is not at $LANGHOST_SRC; keeping the one built from it for $VERSION"
    else
        return 1
    fi
}

if cli_current && langhost_current; then
    echo "pulumi CLI $VERSION and its Python language host already built ($BIN_DIR)"
    exit 0
fi
# No language host source: say so before any long build.
have_langhost_src || die "Pulumi's language host source is not at $LANGHOST_SRC (main.go, go.mod): put the shared directory beside the repository, or set PULUMI_LANGHOST_SRC"

command -v go >/dev/null 2>&1 || die "go not found on PATH (Go >= 1.26 is required to build the Pulumi CLI)"

JOBS="${PULUMI_CLI_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}"
LDFLAGS="-s -w -X $VERSION_VAR=$VERSION"
# Upstream-like release flags. CGO off => static binary; osusergo => pure-Go os/user.
GO_BUILD_FLAGS=(-p "$JOBS" -trimpath -tags "osusergo,grpcnotrace" -ldflags "$LDFLAGS")
export CGO_ENABLED=0

mkdir -p "$BIN_DIR"
start=$SECONDS
sdk_dir() { go list -C "$MOD_DIR" -mod=readonly -m -f '{{.Dir}}' "$SDK_MOD"; }

# Left behind by builds that installed our former stand-in language host.
rm -f "$BIN_DIR/language_host.py" "$OUT_DIR/LANGUAGE_HOST_STATUS" "$OUT_DIR/language-host-build.log"

if ! cli_current; then
    rm -f "$STAMP"
    log "building pulumi CLI $VERSION with $(go version | awk '{print $3}') (-p $JOBS) into $BIN_DIR"
    log "GOMODCACHE=$(go env GOMODCACHE) GOCACHE=$(go env GOCACHE)"

    # Fetch all modules up front: `go mod download` fetches in parallel (~1 min
    # cold), while `go build` alone fetches lazily and took ~23 min instead of ~9.
    # -mod=readonly: go.mod/go.sum are committed and complete; never rewrite them here.
    go mod download -C "$MOD_DIR"
    log "modules ready after $((SECONDS - start))s"
    go build -C "$MOD_DIR" -mod=readonly "${GO_BUILD_FLAGS[@]}" -o "$BIN_DIR/pulumi.tmp" "$CLI_PKG"
    mv -f "$BIN_DIR/pulumi.tmp" "$BIN_DIR/pulumi"
    log "built pulumi in $((SECONDS - start))s"

    # --- dynamic provider launcher: the real script shipped in the sdk/v3 module ---
    install -m 0755 "$(sdk_dir)/python/dist/pulumi-resource-pulumi-python" "$BIN_DIR/pulumi-resource-pulumi-python"
    echo "$VERSION" >"$STAMP"
fi

# --- Pulumi's Python language host, from the shared source ---
# A copy of this wrapper module requires the language host's module and replaces it with the
# source directory (an absolute path, generated here: the committed go.mod stays buildable without
# the shared directory). As a dependency, the source's own replace directives (paths into Pulumi's
# repository) are ignored, and pkg/v3 and sdk/v3 resolve to the CLI's version from this go.mod.
# -mod=mod lets go add the go.sum lines of the few modules only the language host needs.
if ! langhost_current; then
    lh_start=$SECONDS
    wanted="$(langhost_wanted)"
    rm -f "$LANGHOST_STAMP"
    LH_MOD_DIR="$(mktemp -d)"
    trap 'rm -rf "$LH_MOD_DIR"' EXIT
    cp "$MOD_DIR/go.mod" "$MOD_DIR/go.sum" "$LH_MOD_DIR/"
    go mod edit -C "$LH_MOD_DIR" -require "$LANGHOST_MOD@v3.0.0" -replace "$LANGHOST_MOD=$LANGHOST_SRC"
    log "building pulumi-language-python from $LANGHOST_SRC against pulumi $VERSION"
    go build -C "$LH_MOD_DIR" -mod=mod "${GO_BUILD_FLAGS[@]}" -o "$BIN_DIR/pulumi-language-python.tmp" "$LANGHOST_MOD"
    mv -f "$BIN_DIR/pulumi-language-python.tmp" "$BIN_DIR/pulumi-language-python"
    install -m 0755 "$(sdk_dir)/python/cmd/pulumi-language-python-exec" "$BIN_DIR/pulumi-language-python-exec"
    echo "$wanted" >"$LANGHOST_STAMP"
    log "built pulumi-language-python in $((SECONDS - lh_start))s"
fi

log "done in $((SECONDS - start))s: pulumi $("$BIN_DIR/pulumi" version) with its Python language host in $BIN_DIR"
