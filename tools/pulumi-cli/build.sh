#!/usr/bin/env bash
# Build the real Pulumi CLI from Go modules (no download from get.pulumi.com or
# GitHub needed) into <repo>/.tools/pulumi/bin:
#
#   pulumi                          the CLI/engine (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
#   pulumi-resource-pulumi-python   the dynamic-provider launcher script, copied from
#                                   the sdk/v3 module (python/dist/)
#   pulumi-language-python(+-exec)  Pulumi's Go language host if its module can be fetched
#                                   and built (the proxy refuses it today); otherwise our
#                                   Python stand-in, language_host.py, with the
#                                   pulumi-language-python-exec script of the sdk/v3 module
#
# The version comes from the require of github.com/pulumi/pulumi/pkg/v3 in
# tools/pulumi-cli/go.mod (single source of truth; bump it there with
# `go get github.com/pulumi/pulumi/pkg/v3@vX github.com/pulumi/pulumi/sdk/v3@vX && go mod tidy`
# inside tools/pulumi-cli and re-check pkg/go.mod's non-local replace directives).
#
# Re-running is cheap: if .tools/pulumi/VERSION matches and the binaries exist,
# nothing is rebuilt. Set PULUMI_CLI_FORCE=1 to rebuild anyway.
#
# Env knobs:
#   PULUMI_CLI_FORCE=1            rebuild even if the stamp matches
#   PULUMI_CLI_BUILD_JOBS=N       go build -p N (default: nproc)
#   PULUMI_CLI_SKIP_LANGHOST=1    do not try to build pulumi-language-python
#   PULUMI_LANGHOST_VERSION=v...  module version (or commit) of the language host to try first
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
LANGHOST_NOTE="$OUT_DIR/LANGUAGE_HOST_STATUS"
LANGHOST_LOG="$OUT_DIR/language-host-build.log"

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

sdk_dir() { go list -C "$MOD_DIR" -mod=readonly -m -f '{{.Dir}}' "$SDK_MOD"; }

# --- our Python language host (used when Pulumi's Go one cannot be built) ---
install_python_langhost() {
    install -m 0755 "$MOD_DIR/pulumi-language-python" "$BIN_DIR/pulumi-language-python"
    install -m 0644 "$MOD_DIR/language_host.py" "$BIN_DIR/language_host.py"
    if [[ ! -f "$BIN_DIR/pulumi-language-python-exec" ]]; then
        install -m 0755 "$(sdk_dir)/python/cmd/pulumi-language-python-exec" "$BIN_DIR/pulumi-language-python-exec"
    fi
}

# --- up-to-date check ---
if [[ "${PULUMI_CLI_FORCE:-0}" != "1" && -f "$STAMP" && "$(cat "$STAMP")" == "$VERSION" \
      && -x "$BIN_DIR/pulumi" && -x "$BIN_DIR/pulumi-resource-pulumi-python" ]]; then
    # Ours (or none yet, for a CLI built before there was one): install it, which keeps the
    # installed copy in step with tools/pulumi-cli. Pulumi's own host stays as built.
    if [[ ! -x "$BIN_DIR/pulumi-language-python" || -f "$BIN_DIR/language_host.py" ]]; then
        install_python_langhost
    fi
    echo "pulumi CLI $VERSION already built ($BIN_DIR)"
    exit 0
fi

command -v go >/dev/null 2>&1 || die "go not found on PATH (Go >= 1.26.6 is required)"

JOBS="${PULUMI_CLI_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}"
LDFLAGS="-s -w -X $VERSION_VAR=$VERSION"
# Upstream-like release flags. CGO off => static binary; osusergo => pure-Go os/user.
GO_BUILD_FLAGS=(-p "$JOBS" -trimpath -tags "osusergo,grpcnotrace" -ldflags "$LDFLAGS")
export CGO_ENABLED=0

mkdir -p "$BIN_DIR"
rm -f "$STAMP"
start=$SECONDS
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
SDK_DIR="$(sdk_dir)"
DYN_SRC="$SDK_DIR/python/dist/pulumi-resource-pulumi-python"
if [[ -f "$DYN_SRC" ]]; then
    install -m 0755 "$DYN_SRC" "$BIN_DIR/pulumi-resource-pulumi-python"
else
    log "WARNING: $DYN_SRC not found in the sdk module; writing a minimal launcher"
    cat >"$BIN_DIR/pulumi-resource-pulumi-python" <<'EOF'
#!/bin/sh
exec "${PULUMI_PYTHON_CMD:-python3}" -u -m pulumi.dynamic "$@"
EOF
    chmod 0755 "$BIN_DIR/pulumi-resource-pulumi-python"
fi

# --- Python language host (best effort) ---
# It lives in its own, untagged module. Only needed for `pulumi up` on a
# Pulumi.yaml project with `runtime: python`; Automation API *inline* programs
# and dynamic providers do not use it.
LH_TMP=""
trap 'if [[ -n "${LH_TMP:-}" ]]; then rm -rf "$LH_TMP"; fi' EXIT

langhost_fail() {
    # $1: short reason
    {
        echo "NOT BUILT: pulumi-language-python for pulumi CLI $VERSION"
        echo "reason: $1"
        echo "details: $LANGHOST_LOG"
    } >"$LANGHOST_NOTE"
    rm -f "$BIN_DIR/pulumi-language-python-exec"  # this version's, not a previous build's
    install_python_langhost
    echo "INSTALLED INSTEAD: our Python language host (tools/pulumi-cli/language_host.py)" >>"$LANGHOST_NOTE"
    log "NOTE: Pulumi's pulumi-language-python was NOT built: $1"
    log "NOTE: installed our Python language host instead (tools/pulumi-cli/language_host.py). Details: $LANGHOST_LOG"
}

try_langhost() {
    local tmp cand cands=() hash="" out ok=""
    : >"$LANGHOST_LOG"
    # Candidate versions: explicit override, the release tag itself, and the
    # release commit (pkg/v3 module's Origin.Hash, when the proxy reports it).
    [[ -n "${PULUMI_LANGHOST_VERSION:-}" ]] && cands+=("$PULUMI_LANGHOST_VERSION")
    cands+=("$VERSION")
    if out="$(cd "$MOD_DIR" && go mod download -json "$PKG_MOD@$VERSION" 2>>"$LANGHOST_LOG")"; then
        hash="$(printf '%s\n' "$out" | sed -n 's/^[[:space:]]*"Hash": "\([0-9a-f]\{12,40\}\)".*/\1/p' | head -n1)"
    fi
    if [[ -n "$hash" ]]; then
        echo "release commit of $PKG_MOD@$VERSION (Origin.Hash): $hash" >>"$LANGHOST_LOG"
        cands+=("$hash")
    else
        echo "the module proxy reported no Origin.Hash for $PKG_MOD@$VERSION, so the release commit is unknown" >>"$LANGHOST_LOG"
    fi

    tmp="$(mktemp -d)"
    LH_TMP="$tmp"
    cp "$MOD_DIR/go.mod" "$MOD_DIR/go.sum" "$tmp/"

    for cand in "${cands[@]}"; do
        echo "--- go get $LANGHOST_MOD@$cand" >>"$LANGHOST_LOG"
        if GOFLAGS="${GOFLAGS:-} -mod=mod" go get -C "$tmp" "$LANGHOST_MOD@$cand" >>"$LANGHOST_LOG" 2>&1; then
            ok="$cand"
            break
        fi
    done
    if [[ -z "$ok" ]]; then
        langhost_fail "module $LANGHOST_MOD is not available from the Go module proxy (tried: ${cands[*]}): $(grep -m1 '^go: ' "$LANGHOST_LOG" || true)"
        return 0
    fi

    # Copy the non-local replace directives of the language host's go.mod.
    local lh_gomod
    lh_gomod="$(go list -C "$tmp" -mod=mod -m -f '{{.GoMod}}' "$LANGHOST_MOD" 2>>"$LANGHOST_LOG" || true)"
    if [[ -f "$lh_gomod" ]]; then
        awk '
            /^replace[[:space:]]*\(/ { inblk = 1; next }
            inblk && /^\)/ { inblk = 0; next }
            { line = $0; sub(/^replace[[:space:]]+/, "", line) }
            (inblk || /^replace[[:space:]]/) && line ~ /=>/ {
                split(line, p, "=>"); gsub(/^[[:space:]]+|[[:space:]]+$/, "", p[1]); gsub(/^[[:space:]]+|[[:space:]]+$/, "", p[2])
                n = split(p[2], r, /[[:space:]]+/)
                if (r[1] !~ /^\.\.?\// && n == 2) { gsub(/[[:space:]]+/, "@", p[1]); print p[1] "=" r[1] "@" r[2] }
            }' "$lh_gomod" | while read -r rep; do
            echo "copying replace $rep" >>"$LANGHOST_LOG"
            go mod edit -C "$tmp" -replace "$rep"
        done
    fi
    # Keep pkg/sdk pinned to the CLI version.
    go mod edit -C "$tmp" -require "$PKG_MOD@$VERSION" -require "$SDK_MOD@$VERSION"

    echo "--- go build $LANGHOST_MOD@$ok" >>"$LANGHOST_LOG"
    if ! GOFLAGS="${GOFLAGS:-} -mod=mod" go build -C "$tmp" "${GO_BUILD_FLAGS[@]}" \
            -o "$BIN_DIR/pulumi-language-python.tmp" "$LANGHOST_MOD" >>"$LANGHOST_LOG" 2>&1; then
        rm -f "$BIN_DIR/pulumi-language-python.tmp"
        langhost_fail "go build of $LANGHOST_MOD@$ok failed (see log)"
        return 0
    fi
    mv -f "$BIN_DIR/pulumi-language-python.tmp" "$BIN_DIR/pulumi-language-python"
    rm -f "$BIN_DIR/language_host.py"
    install -m 0755 "$SDK_DIR/python/cmd/pulumi-language-python-exec" "$BIN_DIR/pulumi-language-python-exec"
    echo "BUILT: pulumi-language-python from $LANGHOST_MOD@$ok for pulumi CLI $VERSION" >"$LANGHOST_NOTE"
    log "built pulumi-language-python ($LANGHOST_MOD@$ok)"
}

if [[ "${PULUMI_CLI_SKIP_LANGHOST:-0}" == "1" ]]; then
    langhost_fail "skipped (PULUMI_CLI_SKIP_LANGHOST=1)"
else
    try_langhost
fi

echo "$VERSION" >"$STAMP"
log "done in $((SECONDS - start))s: $("$BIN_DIR/pulumi" version)"
ls -l "$BIN_DIR" >&2
