package emulator

import (
	"io"
	"net/http"
	"strings"
	"testing"

	enigma "github.com/qlik-oss/enigma-go/v4"
)

// TestEnigmaGoExportData: enigma-go exports a table as CSV and the file
// downloads from the qUrl over HTTP; a foreign Origin is refused, and a
// qServeOnce file is gone after its download.
func TestEnigmaGoExportData(t *testing.T) {
	_, hs := engineServer(t, Config{})
	ctx, g := egDial(t, hs)
	doc, err := g.OpenDoc(ctx, "Demo", "", "", "", false)
	must(t, "OpenDoc", err)
	obj, err := doc.CreateSessionObject(ctx, &enigma.GenericObjectProperties{Info: &enigma.NxInfo{Type: "table"},
		HyperCubeDef: &enigma.HyperCubeDef{
			Dimensions: []*enigma.NxDimension{{Def: &enigma.NxInlineDimensionDef{FieldDefs: []string{"Category"}}}},
			Measures:   []*enigma.NxMeasure{{Def: &enigma.NxInlineMeasureDef{Def: "Sum(Sales)", Label: "Sales"}}},
		}})
	must(t, "CreateSessionObject", err)

	get := func(u, origin string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, hs.URL+u, nil)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}

	u, warnings, err := obj.ExportData(ctx, "CSV_C", "/qHyperCubeDef", "", "A", false)
	must(t, "ExportData", err)
	if !strings.HasPrefix(u, "/tempcontent/Demo/") || len(warnings) != 0 {
		t.Fatalf("ExportData: %q %v", u, warnings)
	}
	if code, body := get(u, ""); code != http.StatusOK || !strings.HasPrefix(body, "Category,Sales\n") || strings.Count(body, "\n") != 4 {
		t.Fatalf("download: %d %q", code, body)
	}
	if code, _ := get(u, "https://elsewhere.example"); code != http.StatusForbidden {
		t.Errorf("download from a foreign origin: %d", code)
	}
	if code, _ := get("/tempcontent/Demo/nosuchfile.csv", ""); code != http.StatusNotFound {
		t.Errorf("unknown file: %d", code)
	}

	u, _, err = obj.ExportData(ctx, "CSV_T", "/qHyperCubeDef", "", "P", true)
	must(t, "ExportData qServeOnce", err)
	if code, body := get(u, ""); code != http.StatusOK || !strings.HasPrefix(body, "Category\tSales\n") {
		t.Fatalf("serve-once download: %d %q", code, body)
	}
	if code, _ := get(u, ""); code != http.StatusNotFound {
		t.Errorf("second download of a serve-once file: %d", code)
	}
}
