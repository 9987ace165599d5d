package engine

import "testing"

func TestReadQuoted(t *testing.T) {
	for _, c := range []struct {
		src, want string
		end       int
		ok        bool
	}{
		{`'abc' x`, "abc", 4, true},
		{`'it''s'`, "it's", 6, true},
		{`'''''`, "''", 4, false},
		{`''''''`, "''", 5, true},
		{`"a""b"`, `a"b`, 5, true},
		{`[a]]b] c`, "a]b", 5, true},
		{`[lib://x/y.csv]`, "lib://x/y.csv", 14, true},
		{`'open`, "", 5, false},
		{`[open`, "", 5, false},
	} {
		got, end, ok := readQuoted(c.src, 0)
		if !c.ok {
			if ok {
				t.Errorf("%s: want unterminated, got %q", c.src, got)
			}
			continue
		}
		if got != c.want || end != c.end || !ok {
			t.Errorf("%s: got %q %d %v, want %q %d", c.src, got, end, ok, c.want, c.end)
		}
	}
}

func TestCommentEnd(t *testing.T) {
	for _, c := range []struct {
		src string
		end int
		ok  bool
	}{
		{"// to eol\nnext", 9, true},
		{"// to eof", 9, true},
		{"/* a\nb */x", 9, true},
		{"/**/", 4, true},
		{"/* open", 7, false},
		{"/*/", 3, false},
	} {
		if !isComment(c.src, 0) {
			t.Errorf("%q: not seen as a comment", c.src)
			continue
		}
		end, ok := commentEnd(c.src, 0)
		if end != c.end || ok != c.ok {
			t.Errorf("%q: got %d %v, want %d %v", c.src, end, ok, c.end, c.ok)
		}
	}
	for _, s := range []string{"/", "/ x", "a//"} {
		if isComment(s, 0) {
			t.Errorf("%q: seen as a comment", s)
		}
	}
}

// TestLexersAgree checks that the expression tokenizer and the script's
// statement splitter end quotes and comments at the same places.
func TestLexersAgree(t *testing.T) {
	src := "LOAD 'a;''b' as [x;]]y], \"q;\"\"r\" /* ; */ // ;\n FROM [lib://d/f.csv];"
	stmts, err := splitStatements(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 1 {
		t.Fatalf("got %d statements, want 1: %+v", len(stmts), stmts)
	}
	toks, err := tokenize(src)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, tk := range toks {
		texts = append(texts, tk.text)
	}
	want := []string{"LOAD", "a;'b", "as", "x;]y", ",", `q;"r`, "FROM", "lib://d/f.csv", ";", ""}
	if len(texts) != len(want) {
		t.Fatalf("tokens %q, want %q", texts, want)
	}
	for i := range want {
		if texts[i] != want[i] {
			t.Errorf("token %d: %q, want %q", i, texts[i], want[i])
		}
	}
}
