package main

import (
	"os"
	"path/filepath"
	"sort"
)

// vendorFix is what a page and the server log tell a user whose
// node_modules lacks the files /vendor/ serves.
const vendorFix = "run `npm ci` in the repository root (./build.sh serve does it for you)"

// missingVendor lists the /vendor/ names whose files are absent from
// nodeModules, so the server can say at start-up, rather than on the
// page's first 404, that the pages' charts will not load.
func missingVendor(nodeModules string) []string {
	var missing []string
	for name, rel := range vendorAliases {
		fi, err := os.Stat(filepath.Join(nodeModules, filepath.FromSlash(rel)))
		if err != nil || !fi.Mode().IsRegular() {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	return missing
}
