// Wrapper module used only to build the Pulumi CLI from Go modules.
// pkg/v3's own go.mod carries replace directives, so `go install ...@version`
// is refused; this module pins pkg/v3 and sdk/v3 and copies the non-local
// replace directives. See build.sh.
module pulumi-mparticle-wsync/tools/pulumi-cli

go 1.26.6

require (
	github.com/pulumi/pulumi/pkg/v3 v3.274.1
	github.com/pulumi/pulumi/sdk/v3 v3.274.1
)

// Copied from github.com/pulumi/pulumi/pkg/v3@v3.274.1's go.mod (its only
// non-local replace; `sdk/v3 => ../sdk` is covered by the require above).
replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
