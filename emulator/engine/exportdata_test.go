package engine

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/url"
	"strings"
	"testing"
)

// exportDemo makes a Region × Sum(Sales) hypercube and a Region list object
// on Demo.
func exportDemo(t *testing.T) (*Doc, *GenericObject) {
	t.Helper()
	d := openDemo(t)
	r, _ := call(t, d, "CreateSessionObject", map[string]any{
		"qInfo": map[string]any{"qType": "table"},
		"qHyperCubeDef": map[string]any{
			"qDimensions": []any{map[string]any{"qDef": map[string]any{"qFieldDefs": []string{"Region"}}}},
			"qMeasures":   []any{map[string]any{"qDef": map[string]any{"qDef": "Sum(Sales)", "qLabel": "Sales, total"}}},
		},
		"qListObjectDef": map[string]any{"qDef": map[string]any{"qFieldDefs": []string{"Region"}}},
	})
	return d, r.Result[0].Value.(*GenericObject)
}

// fetchExport reads the file a qUrl names from the library.
func fetchExport(t *testing.T, d *Doc, u string) ([]byte, string) {
	t.Helper()
	rest, ok := strings.CutPrefix(u, "/tempcontent/")
	doc, name, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		t.Fatalf("qUrl %q is not under /tempcontent/<doc>/", u)
	}
	doc, _ = url.PathUnescape(doc)
	data, ctype, found := d.lib.TempContent(doc, name)
	if !found {
		t.Fatalf("no file at %q", u)
	}
	return data, ctype
}

// TestExportDataCSV: CSV_C and CSV_T hold the header and every row of the
// hypercube; the list object exports its column; qServeOnce files go after
// one download.
func TestExportDataCSV(t *testing.T) {
	d, g := exportDemo(t)
	_, res := call(t, g, "ExportData", "CSV_C", "/qHyperCubeDef", "", "A", false)
	if w, ok := res["qWarnings"].([]any); !ok || len(w) != 0 {
		t.Fatalf("qWarnings: %v", res)
	}
	data, ctype := fetchExport(t, d, res["qUrl"].(string))
	want := "Region,\"Sales, total\"\nNorth,60\nSouth,20\nEast,34\n"
	if string(data) != want || !strings.HasPrefix(ctype, "text/csv") {
		t.Fatalf("CSV_C (%s):\n%s\nwant\n%s", ctype, data, want)
	}
	_, res = call(t, g, "ExportData", "EXPORT_CSV_T", "/qHyperCubeDef")
	if data, _ := fetchExport(t, d, res["qUrl"].(string)); !strings.HasPrefix(string(data), "Region\tSales, total\nNorth\t60\n") {
		t.Fatalf("CSV_T:\n%s", data)
	}
	_, res = call(t, g, "ExportData", "CSV_C", "/qListObjectDef", "", "P", true)
	u := res["qUrl"].(string)
	if data, _ := fetchExport(t, d, u); string(data) != "Region\nNorth\nSouth\nEast\n" {
		t.Fatalf("list object CSV:\n%s", data)
	}
	rest := strings.TrimPrefix(u, "/tempcontent/Demo/")
	if _, _, ok := d.lib.TempContent("Demo", rest); ok {
		t.Fatalf("a qServeOnce file was served twice")
	}
}

// TestExportDataXLSX: OOXML is a workbook whose sheet holds the header,
// text cells and numeric measure cells.
func TestExportDataXLSX(t *testing.T) {
	d, g := exportDemo(t)
	_, res := call(t, g, "ExportData", "OOXML", "/qHyperCubeDef")
	u := res["qUrl"].(string)
	if !strings.HasSuffix(u, ".xlsx") {
		t.Fatalf("qUrl %q", u)
	}
	data, _ := fetchExport(t, d, u)
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	parts := map[string][]byte{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name], _ = io.ReadAll(rc)
		rc.Close()
		if err := xml.Unmarshal(parts[f.Name], new(struct{})); err != nil {
			t.Errorf("%s is not XML: %v", f.Name, err)
		}
	}
	for _, n := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml"} {
		if parts[n] == nil {
			t.Errorf("workbook lacks %s", n)
		}
	}
	var sheet struct {
		Rows []struct {
			Cells []struct {
				Ref  string `xml:"r,attr"`
				Type string `xml:"t,attr"`
				V    string `xml:"v"`
				T    string `xml:"is>t"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	if err := xml.Unmarshal(parts["xl/worksheets/sheet1.xml"], &sheet); err != nil {
		t.Fatal(err)
	}
	if len(sheet.Rows) != 4 {
		t.Fatalf("%d rows", len(sheet.Rows))
	}
	h, first := sheet.Rows[0].Cells, sheet.Rows[1].Cells
	if h[1].T != "Sales, total" || first[0].T != "North" || first[0].Type != "inlineStr" || first[1].V != "60" || first[1].Ref != "B2" {
		t.Fatalf("sheet cells: %+v %+v", h, first)
	}
}

// TestExportDataErrors: PARQUET is unsupported, an unknown type or a
// missing path is invalid, a path that names nothing is not found.
func TestExportDataErrors(t *testing.T) {
	_, g := exportDemo(t)
	for _, c := range []struct {
		params ParamList
		code   int
	}{
		{ParamList{"PARQUET", "/qHyperCubeDef"}, 17},
		{ParamList{"PDF", "/qHyperCubeDef"}, 8},
		{ParamList{"CSV_C", ""}, 8},
		{ParamList{"CSV_C", "/qNoSuchDef"}, 2},
	} {
		_, err := g.Call(context.Background(), "ExportData", c.params)
		var e *Error
		if !errors.As(err, &e) || e.Code != c.code {
			t.Errorf("ExportData%v: %v, want code %d", c.params, err, c.code)
		}
	}
}

// TestTempContentBounds: the oldest files go once there are too many.
func TestTempContentBounds(t *testing.T) {
	var tc tempContent
	first := tc.put("A", ".csv", &tempFile{data: []byte("x")})
	for i := 0; i < tempMaxFiles; i++ {
		tc.put("A", ".csv", &tempFile{data: []byte("y")})
	}
	if _, ok := tc.get("A", strings.TrimPrefix(first, "/tempcontent/A/")); ok {
		t.Fatalf("the oldest file outlived the bound")
	}
	if len(tc.files) != tempMaxFiles || tc.bytes != tempMaxFiles {
		t.Fatalf("%d files, %d bytes", len(tc.files), tc.bytes)
	}
}
