package engine

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
)

// xlsxParts are the fixed parts of a one-sheet OOXML workbook.
var xlsxParts = []struct{ name, body string }{
	{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
	{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
	{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
	{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
}

// exportXLSX writes the rows as an .xlsx workbook: one sheet, the header
// and text cells as inline strings, measure numbers as numbers.
func exportXLSX(head []string, rows [][]exportCell) ([]byte, error) {
	var sheet bytes.Buffer
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	writeRow := func(r int, cells []exportCell) {
		fmt.Fprintf(&sheet, `<row r="%d">`, r+1)
		for c, cell := range cells {
			ref := xlsxColumn(c) + strconv.Itoa(r+1)
			if cell.isNum {
				fmt.Fprintf(&sheet, `<c r="%s"><v>%s</v></c>`, ref, strconv.FormatFloat(cell.num, 'g', -1, 64))
				continue
			}
			fmt.Fprintf(&sheet, `<c r="%s" t="inlineStr"><is><t xml:space="preserve">`, ref)
			_ = xml.EscapeText(&sheet, []byte(cell.text))
			sheet.WriteString(`</t></is></c>`)
		}
		sheet.WriteString(`</row>`)
	}
	hc := make([]exportCell, len(head))
	for i, h := range head {
		hc[i] = exportCell{text: h}
	}
	writeRow(0, hc)
	for i, r := range rows {
		writeRow(i+1, r)
	}
	sheet.WriteString(`</sheetData></worksheet>`)

	var out bytes.Buffer
	z := zip.NewWriter(&out)
	add := func(name string, body []byte) error {
		w, err := z.Create(name)
		if err != nil {
			return err
		}
		_, err = w.Write(body)
		return err
	}
	for _, p := range xlsxParts {
		if err := add(p.name, []byte(p.body)); err != nil {
			return nil, fmt.Errorf("failed to write the workbook: %w", err)
		}
	}
	if err := add("xl/worksheets/sheet1.xml", sheet.Bytes()); err != nil {
		return nil, fmt.Errorf("failed to write the workbook: %w", err)
	}
	if err := z.Close(); err != nil {
		return nil, fmt.Errorf("failed to write the workbook: %w", err)
	}
	return out.Bytes(), nil
}

// xlsxColumn is a column's letters: 0 → A, 25 → Z, 26 → AA.
func xlsxColumn(c int) string {
	s := ""
	for c++; c > 0; c = (c - 1) / 26 {
		s = string(rune('A'+(c-1)%26)) + s
	}
	return s
}
