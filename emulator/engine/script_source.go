package engine

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// parseInline reads INLINE data: a header line then comma separated rows;
// values may be quoted with " or '.
func parseInline(text string) (source, error) {
	var src source
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	header := true
	for _, ln := range lines {
		if strings.TrimSpace(ln) == "" {
			continue
		}
		vals, err := splitCSVLine(ln, ',')
		if err != nil {
			return src, err
		}
		if header {
			src.cols = vals
			header = false
			continue
		}
		row := make([]Val, len(src.cols))
		for i := range row {
			if i < len(vals) {
				row[i] = parseLoaded(vals[i])
			} else {
				row[i] = strVal("")
			}
		}
		src.rows = append(src.rows, row)
	}
	if header {
		return src, errors.New("INLINE table has no header")
	}
	if src.rows == nil {
		src.rows = [][]Val{}
	}
	return src, nil
}

// splitCSVLine splits one line at delim, honouring "…" and '…' quoting and
// trimming unquoted spaces.
func splitCSVLine(ln string, delim byte) ([]string, error) {
	var out []string
	i := 0
	for {
		for i < len(ln) && (ln[i] == ' ' || ln[i] == '\t') && delim != '\t' {
			i++
		}
		if i < len(ln) && (ln[i] == '"' || ln[i] == '\'') {
			text, j, ok := readQuoted(ln, i)
			if !ok {
				return nil, fmt.Errorf("unterminated quote in %q", ln)
			}
			out = append(out, text)
			j++
			for j < len(ln) && ln[j] != delim {
				j++
			}
			if j >= len(ln) {
				return out, nil
			}
			i = j + 1
			continue
		}
		j := strings.IndexByte(ln[i:], delim)
		if j < 0 {
			out = append(out, strings.TrimSpace(ln[i:]))
			return out, nil
		}
		out = append(out, strings.TrimSpace(ln[i:i+j]))
		i += j + 1
	}
}

// readFile loads a CSV/text file from the library's data folder
// (lib://data/<file>); spec is the (txt, utf8, embedded labels, delimiter
// is ',') format list.
func (s *scriptRun) readFile(path, spec string) (source, error) {
	var src source
	lower := strings.ToLower(path)
	rel := ""
	for _, pre := range []string{"lib://data/", "lib://datafiles/"} {
		if strings.HasPrefix(lower, pre) {
			rel = path[len(pre):]
		}
	}
	if rel == "" {
		return src, fmt.Errorf("Cannot open file: '%s' (only lib://data/ is available)", path)
	}
	if s.dataDir == "" {
		return src, fmt.Errorf("Cannot open file: '%s' (no data folder)", path)
	}
	clean := filepath.Clean("/" + rel)
	f, err := os.Open(filepath.Join(s.dataDir, clean))
	if err != nil {
		return src, fmt.Errorf("Cannot open file: '%s'", path)
	}
	defer f.Close()
	delim := ','
	labels := true
	for _, part := range strings.Split(spec, ",") {
		p := strings.ToLower(strings.TrimSpace(part))
		switch {
		case strings.HasPrefix(p, "delimiter is"):
			d := strings.TrimSpace(strings.TrimSpace(part)[len("delimiter is"):])
			d = strings.Trim(d, "'\"")
			switch strings.ToLower(d) {
			case "\\t", "tab":
				delim = '\t'
			default:
				if d != "" {
					delim = rune(d[0])
				}
			}
		case p == "no labels":
			labels = false
		}
	}
	if strings.Contains(spec, "delimiter is ','") || strings.Contains(spec, "delimiter is \",\"") {
		delim = ','
	}
	r := csv.NewReader(f)
	r.Comma = delim
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	for n := 0; ; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return src, fmt.Errorf("failed to read %s: %w", path, err)
		}
		if n == 0 && len(rec) > 0 {
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
		}
		if n == 0 {
			if labels {
				src.cols = rec
				continue
			}
			for i := range rec {
				src.cols = append(src.cols, "@"+strconv.Itoa(i+1))
			}
		}
		row := make([]Val, len(src.cols))
		for i := range row {
			if i < len(rec) {
				row[i] = parseLoaded(rec[i])
			} else {
				row[i] = nullVal
			}
		}
		src.rows = append(src.rows, row)
		if n&4095 == 4095 && s.ctx.Err() != nil {
			return src, ErrAborted
		}
	}
	if src.rows == nil {
		src.rows = [][]Val{}
	}
	// Real engines name a file source by its base name, without extension.
	base := filepath.Base(filepath.ToSlash(rel))
	src.desc = strings.TrimSuffix(base, filepath.Ext(base))
	return src, nil
}
