package engine

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// fileFormat is the schema's FileDataFormat, as far as delimited text
// files use it.
type fileFormat struct {
	QType      string `json:"qType"`
	QLabel     string `json:"qLabel"`
	QQuote     string `json:"qQuote"`
	QDelimiter struct {
		QName       string `json:"qName"`
		QScriptCode string `json:"qScriptCode"`
		QNumber     int    `json:"qNumber"`
		QIsMultiple bool   `json:"qIsMultiple"`
	} `json:"qDelimiter"`
	QCodePage   int `json:"qCodePage"`
	QHeaderSize int `json:"qHeaderSize"`
}

// previewRows is how many records GetFileTablePreview returns.
const previewRows = 100

// folderOf resolves a folder connection to a directory: the connections
// the script loader reads from (lib://data/, lib://datafiles/), which are
// the library's data folder. Other connections need connectors the
// emulator lacks.
func (d *Doc) folderOf(id string) (string, error) {
	_, c := d.app.findConn(id)
	if c == nil {
		return "", errConnNotFound(id)
	}
	name := strings.ToLower(c.name)
	if !strings.EqualFold(c.typ, "folder") || name != "data" && name != "datafiles" || d.app.dataDir == "" {
		return "", &Error{Code: 2002, Parameter: c.name, Message: "Connection failed to load"}
	}
	return d.app.dataDir, nil
}

// browsePath joins a relative path under a folder without leaving it.
func browsePath(dir, rel string) string {
	return filepath.Join(dir, filepath.Clean("/"+filepath.FromSlash(rel)))
}

var errFileNotFound = func(p string) error { return &Error{Code: 3003, Parameter: p, Message: "File not found"} }

// fileTypes maps file extensions to the schema's FileType.
var fileTypes = map[string]string{".csv": "CSV", ".txt": "CSV", ".tab": "CSV", ".tsv": "CSV", ".qvd": "QVD",
	".xlsx": "EXCEL_OOXML", ".xls": "EXCEL_BIFF", ".xml": "XML", ".json": "JSON", ".html": "HTML", ".htm": "HTML",
	".kml": "KML", ".qvx": "QVX", ".dif": "DIF", ".parquet": "PARQUET", ".fix": "FIX"}

// guessFormat is GuessFileType's FileDataFormat: the type by extension
// and, for delimited text, the delimiter the first line uses most.
func guessFormat(path string) (obj, error) {
	typ, ok := fileTypes[strings.ToLower(filepath.Ext(path))]
	if !ok {
		typ = "CSV"
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, errFileNotFound(filepath.Base(path))
	}
	defer f.Close()
	out := obj{{"qType", typ}}
	if typ != "CSV" {
		return out, nil
	}
	buf := make([]byte, 4096)
	n, _ := io.ReadFull(f, buf)
	first, _, _ := strings.Cut(string(buf[:n]), "\n")
	delim := obj{{"qName", "Comma"}, {"qScriptCode", "','"}, {"qNumber", int(',')}, {"qIsMultiple", false}}
	best := strings.Count(first, ",")
	for _, c := range []struct {
		ch, name, code string
	}{{"\t", "Tab", "'\\t'"}, {";", "Semicolon", "';'"}, {"|", "Pipe", "'|'"}} {
		if k := strings.Count(first, c.ch); k > best {
			best = k
			delim = obj{{"qName", c.name}, {"qScriptCode", c.code}, {"qNumber", int(c.ch[0])}, {"qIsMultiple", false}}
		}
	}
	return append(out, member{"qLabel", "embedded labels"}, member{"qQuote", "msq"}, member{"qDelimiter", delim},
		member{"qCodePage", 65001}, member{"qHeaderSize", 0}), nil
}

// readDelimited reads up to max records (max < 0: all) of a delimited
// file with the format's delimiter and labels: the field names and the
// records after the labels.
func readDelimited(path string, ff fileFormat, max int) ([]string, [][]string, error) {
	if ff.QType != "" && ff.QType != "CSV" {
		return nil, nil, &Error{Code: 3006, Parameter: ff.QType, Message: "File table not found"}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, errFileNotFound(filepath.Base(path))
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ','
	if ff.QDelimiter.QNumber > 0 {
		r.Comma = rune(ff.QDelimiter.QNumber)
	}
	r.FieldsPerRecord, r.LazyQuotes = -1, true
	labels := ff.QLabel == "" || strings.EqualFold(ff.QLabel, "embedded labels")
	var names []string
	var recs [][]string
	for n := 0; max < 0 || len(recs) < max; n++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, &Error{Code: 3006, Parameter: filepath.Base(path), Message: "File table not found"}
		}
		if n == 0 {
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			if labels {
				names = rec
				continue
			}
			for i := range rec {
				names = append(names, "@"+strconv.Itoa(i+1))
			}
		}
		recs = append(recs, rec)
	}
	return names, recs, nil
}

// formatSpec is the LOAD format specification for a delimited file, as the
// data load editor writes it into the script.
func formatSpec(ff fileFormat) string {
	label := "embedded labels"
	if ff.QLabel != "" {
		label = ff.QLabel
	}
	delim := "','"
	if ff.QDelimiter.QScriptCode != "" {
		delim = ff.QDelimiter.QScriptCode
	}
	return "(txt, utf8, " + label + ", delimiter is " + delim + ", msq)"
}

// fileBrowseCall runs the folder-connection methods
// (GetFolderItemsForConnection, GuessFileType, GetFileTables,
// GetFileTablesEx, GetFileTableFields, GetFileTablePreview); handled is
// false for other methods.
func (d *Doc) fileBrowseCall(method string, p Params) (*Reply, bool, error) {
	switch method {
	case "GetFolderItemsForConnection", "GuessFileType", "GetFileTables", "GetFileTablesEx", "GetFileTableFields", "GetFileTablePreview":
	default:
		return nil, false, nil
	}
	var id, rel, table string
	var ff fileFormat
	if err := args(p, "qConnectionId", &id, "qRelativePath", &rel, "qDataFormat", &ff, "qTable", &table); err != nil {
		return nil, true, err
	}
	dir, err := d.folderOf(id)
	if err != nil {
		return nil, true, err
	}
	path := browsePath(dir, rel)
	tableName := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	switch method {
	case "GetFolderItemsForConnection":
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, true, errFileNotFound(rel)
		}
		items := []any{}
		sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
		for _, e := range entries {
			typ := "FILE"
			if e.IsDir() {
				typ = "FOLDER"
			} else if !e.Type().IsRegular() {
				typ = "OTHER"
			}
			items = append(items, obj{{"qName", e.Name()}, {"qType", typ}})
		}
		return result("qFolderItems", items), true, nil
	case "GuessFileType":
		f, err := guessFormat(path)
		if err != nil {
			return nil, true, err
		}
		return result("qDataFormat", f), true, nil
	case "GetFileTables":
		if _, _, err := readDelimited(path, ff, 0); err != nil {
			return nil, true, err
		}
		return result("qTables", []any{obj{{"qName", tableName}, {"qType", "TABLE"}}}), true, nil
	}
	names, recs, err := readDelimited(path, ff, previewRows)
	if err != nil {
		return nil, true, err
	}
	fields := []any{}
	for _, n := range names {
		fields = append(fields, obj{{"qName", n}, {"qIsKey", false}, {"qOriginalFieldName", n}})
	}
	switch method {
	case "GetFileTablesEx":
		return result("qTables", []any{obj{{"qName", tableName}, {"qFields", fields}, {"qFormatSpec", formatSpec(ff)}}}), true, nil
	case "GetFileTableFields":
		return result("qFields", fields, "qFormatSpec", formatSpec(ff)), true, nil
	}
	preview := []any{}
	for _, rec := range recs {
		preview = append(preview, obj{{"qValues", rec}})
	}
	return result("qPreview", preview, "qFormatSpec", formatSpec(ff)), true, nil
}
