package emulator

import (
	"flag"
	"fmt"
	"os"
)

// SchemaFlags are the command-line flags of the reply schema check, shared
// by cmd/qix-emulator and cmd/devserver:
//
//	-check-schema PATH|auto   check every reply against engine-rpc.json
//	                          (auto: the enigma-go module's copy, via go list);
//	                          default $QIX_CHECK_SCHEMA
//	-schema-report FILE       append each new violation to FILE as a JSON line;
//	                          default $QIX_SCHEMA_REPORT
//
// The environment defaults let ./build.sh turn the check on in emulators
// that test suites start themselves.
type SchemaFlags struct {
	Spec   string
	Report string
}

// Register adds the flags to fs.
func (f *SchemaFlags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.Spec, "check-schema", os.Getenv("QIX_CHECK_SCHEMA"), `check every reply against the engine API schema (engine-rpc.json path, or "auto" for the enigma-go module's) and list violations at /_emulator/schema-violations (default $QIX_CHECK_SCHEMA)`)
	fs.StringVar(&f.Report, "schema-report", os.Getenv("QIX_SCHEMA_REPORT"), "with -check-schema: append each new violation to this file as a JSON line (default $QIX_SCHEMA_REPORT)")
}

// Apply loads the schema into cfg when the check is asked for.
func (f *SchemaFlags) Apply(cfg *Config) error {
	if f.Spec == "" {
		if f.Report != "" && os.Getenv("QIX_SCHEMA_REPORT") != f.Report {
			return fmt.Errorf("failed to read flags: -schema-report needs -check-schema")
		}
		return nil
	}
	sp, err := LoadEngineSpec(f.Spec)
	if err != nil {
		return fmt.Errorf("failed to read flags: -check-schema: %w", err)
	}
	cfg.SchemaCheck = sp
	cfg.SchemaReport = f.Report
	return nil
}
