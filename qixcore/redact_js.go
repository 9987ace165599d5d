//go:build js

package qixcore

import (
	"reflect"
	"unsafe"
)

// redactURLError redacts, in place, the URL of the first *url.Error in
// err's chain, as the native build does (redact_native.go), without
// linking net/url into qix.wasm: the browser's WebSocket never makes one,
// so one is there only when something else linked net/url (tests do). It
// is recognised by its type's name and fields, with the reflect calls fmt
// already links. The chain is walked as errors.As walks it, depth first
// through Unwrap() error and Unwrap() []error.
func redactURLError(err error) bool {
	for err != nil {
		if t := reflect.TypeOf(err); t.Kind() == reflect.Pointer {
			if f, ok := urlErrorURL(t.Elem()); ok {
				if p := reflect.ValueOf(err).UnsafePointer(); p != nil {
					u := (*string)(unsafe.Add(p, f.Offset))
					*u = RedactURL(*u)
				}
				return true
			}
		}
		switch e := err.(type) {
		case interface{ Unwrap() error }:
			err = e.Unwrap()
		case interface{ Unwrap() []error }:
			for _, inner := range e.Unwrap() {
				if redactURLError(inner) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}

// urlErrorURL returns the URL field of t when t is net/url's Error:
// struct{ Op, URL string; Err error }.
func urlErrorURL(t reflect.Type) (reflect.StructField, bool) {
	if t.Kind() != reflect.Struct || t.String() != "url.Error" || t.NumField() != 3 {
		return reflect.StructField{}, false
	}
	op, u, e := t.Field(0), t.Field(1), t.Field(2)
	ok := op.Name == "Op" && u.Name == "URL" && u.Type.Kind() == reflect.String && e.Name == "Err" &&
		e.Type.Kind() == reflect.Interface
	return u, ok
}
