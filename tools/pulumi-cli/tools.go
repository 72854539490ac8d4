//go:build tools

// Package tools pins the Pulumi CLI main package so that `go mod tidy` keeps
// the requirements needed by `go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi`.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
