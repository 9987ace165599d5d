package emulator

// docs/ENGINE.md's method coverage table is written by probing a running
// emulator with every method of the QIX schema's main classes.
//go:generate go test -run TestEngineCoverage -update-coverage .
