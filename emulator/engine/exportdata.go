package engine

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"strings"
)

// exportData is GenericObject.ExportData: the hypercube or list object at
// qPath, every row as calculated in the object's selection state, written
// as a file the HTTP side serves at the returned qUrl
// (/tempcontent/<app>/<file>). CSV_C is comma separated, CSV_T tab
// separated (UTF-8, a header row of the column titles, cells as their
// qText); OOXML is an .xlsx workbook with one sheet (measure cells as
// numbers). PARQUET answers ErrUnsupported. qExportState P and A export
// the same rows: a hypercube holds only the possible combinations.
func (g *GenericObject) exportData(ctx context.Context, p Params) (*Reply, error) {
	var rawType json.RawMessage
	var path, fileName, state string
	var once bool
	if err := args(p, "qFileType", &rawType, "qPath", &path, "qFileName", &fileName, "qExportState", &state, "qServeOnce", &once); err != nil {
		return nil, err
	}
	ft, ok := exportFileType(rawType)
	if !ok {
		return nil, invalid("qFileType")
	}
	if ft == "PARQUET" {
		return nil, &Error{Code: ErrUnsupported.Code, Parameter: "qFileType", Message: ErrUnsupported.Message}
	}
	if path == "" {
		return nil, invalid("qPath")
	}
	head, rows, err := g.exportRows(ctx, path)
	if err != nil {
		return nil, err
	}
	f := &tempFile{once: once}
	ext := ".csv"
	switch ft {
	case "CSV_C", "CSV_T":
		f.data, f.ctype = exportCSV(head, rows, ft == "CSV_T"), "text/csv; charset=utf-8"
	case "OOXML":
		f.data, err = exportXLSX(head, rows)
		if err != nil {
			return nil, err
		}
		f.ctype, ext = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"
	}
	u := g.doc.lib.temp.put(g.doc.app.id, ext, f)
	return result("qUrl", u, "qWarnings", []int{}), nil
}

// exportFileType reads qFileType: the schema's names (with or without the
// EXPORT_ prefix) or the enum's position.
func exportFileType(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		s = strings.TrimPrefix(strings.ToUpper(s), "EXPORT_")
		switch s {
		case "CSV_C", "CSV_T", "OOXML", "PARQUET":
			return s, true
		}
		return "", false
	}
	var n int
	if json.Unmarshal(raw, &n) == nil && n >= 0 && n < 4 {
		return []string{"CSV_C", "CSV_T", "OOXML", "PARQUET"}[n], true
	}
	if len(raw) == 0 {
		return "CSV_C", true
	}
	return "", false
}

// exportCell is one exported value: its text, and its number when it has
// one and is a measure.
type exportCell struct {
	text  string
	num   float64
	isNum bool
}

// exportRows is the header and every row of the hypercube or list object
// at path.
func (g *GenericObject) exportRows(ctx context.Context, path string) ([]string, [][]exportCell, error) {
	if strings.HasSuffix(normPath(path), "qListObjectDef") {
		def, st, err := g.listDef(path)
		if err != nil {
			return nil, nil, err
		}
		lr := g.listOf(def, st)
		head := []string{str(valueOr(lr.info, "qFallbackTitle"))}
		rows := make([][]exportCell, len(lr.rows))
		for i, r := range lr.rows {
			if len(r) > 0 {
				rows[i] = []exportCell{{text: r[0].QText}}
			}
		}
		return head, rows, nil
	}
	_, _, cb, err := g.cubeAt(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	var head []string
	for _, info := range append(append([]obj{}, cb.dimInfo...), cb.measInfo...) {
		head = append(head, str(valueOr(info, "qFallbackTitle")))
	}
	nr, nc := cb.size()
	rows := make([][]exportCell, nr)
	for r := range rows {
		row := make([]exportCell, nc)
		for c := range row {
			cell := cb.cell(r, c)
			row[c] = exportCell{text: cell.QText}
			if c >= cb.nd && !cell.QIsNull && !math.IsNaN(float64(cell.QNum)) {
				row[c].num, row[c].isNum = float64(cell.QNum), true
			}
		}
		rows[r] = row
	}
	return head, rows, nil
}

// exportCSV writes the rows as CSV, comma or tab separated.
func exportCSV(head []string, rows [][]exportCell, tab bool) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if tab {
		w.Comma = '\t'
	}
	_ = w.Write(head)
	rec := make([]string, len(head))
	for _, r := range rows {
		rec = rec[:0]
		for _, c := range r {
			rec = append(rec, c.text)
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return b.Bytes()
}
