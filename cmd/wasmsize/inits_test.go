package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestIsInit(t *testing.T) {
	for name, want := range map[string]bool{
		"unicode.init":                  true,
		"runtime.init.4":                true,
		"syscall.map.init.0":            true,
		"github.com_x_y_qixcore.init":   true,
		"syscall.init.func1":            false,
		"runtime.__mheap_.init":         false,
		"time.Time.init":                false,
		"main.main":                     false,
		"internal_sync.init.OnceFunc.1": false,
		"x.initSlow":                    false,
		"x.init.":                       false,
	} {
		if got := isInit(nil, name); got != want {
			t.Errorf("isInit(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestWriteInits(t *testing.T) {
	m := &module{functions: []function{{"main.main", 50}, {"a.init", 10}, {"b.map.init.0", 30}, {"a.init.func1", 5}}}
	var out bytes.Buffer
	writeInits(&out, m, nil)
	got := out.String()
	if !strings.Contains(got, "(2 functions, 40 bytes") || strings.Index(got, "b.map.init.0") > strings.Index(got, "a.init") || strings.Contains(got, "main.main") || strings.Contains(got, "func1") {
		t.Fatalf("writeInits:\n%s", got)
	}
}
