package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
)

// specPath is where a module that ships the engine API specification keeps
// it (enigma-go generates its client from this file).
const specPath = "schema/engine-rpc.json"

// moduleInfo is the part of `go mod download -json` output schemagen reads.
type moduleInfo struct {
	Path    string
	Version string
	Dir     string
	Error   string
}

// locateSpec returns the specification file inside module mod at the
// version the main module's go.mod requires, and mod@version for the
// generated header. It asks the go command, so the module comes from the
// module cache (downloading it through GOPROXY when missing and checking it
// against go.sum) rather than from a file fetched by hand.
func locateSpec(mod string) (file, source string, err error) {
	cmd := exec.Command("go", "mod", "download", "-json", mod)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	info, err := parseModuleInfo(out)
	if err != nil {
		if runErr != nil {
			return "", "", fmt.Errorf("failed to download %s: %w: %s", mod, runErr, bytes.TrimSpace(stderr.Bytes()))
		}
		return "", "", err
	}
	if info.Error != "" {
		return "", "", fmt.Errorf("failed to download %s: %s", mod, info.Error)
	}
	if runErr != nil {
		return "", "", fmt.Errorf("failed to download %s: %w: %s", mod, runErr, bytes.TrimSpace(stderr.Bytes()))
	}
	if info.Dir == "" || info.Version == "" {
		return "", "", fmt.Errorf("failed to locate %s: the go command gave no directory or version", mod)
	}
	return filepath.Join(info.Dir, filepath.FromSlash(specPath)), info.Path + "@" + info.Version, nil
}

// parseModuleInfo reads the JSON object `go mod download -json` prints.
func parseModuleInfo(out []byte) (moduleInfo, error) {
	var info moduleInfo
	if err := json.Unmarshal(out, &info); err != nil {
		return info, fmt.Errorf("failed to read go mod download output: %w", err)
	}
	return info, nil
}
