//go:build tools

// Package tools pins the Pulumi CLI main package so that `go mod tidy` keeps
// the requirements needed by `go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi`.
// It is never compiled (build tag `tools`).
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
	// Target of -X ...version.Version in build.sh; keeps sdk/v3 a direct requirement.
	_ "github.com/pulumi/pulumi/sdk/v3/go/common/version"
)
