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
		if v := reflect.ValueOf(err); v.Kind() == reflect.Pointer && !v.IsNil() && isURLError(v.Elem()) {
			u := (*string)(unsafe.Add(v.UnsafePointer(), v.Elem().Type().Field(1).Offset))
			*u = RedactURL(*u)
			return true
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

// isURLError reports whether v is a net/url Error:
// struct{ Op, URL string; Err error }.
func isURLError(v reflect.Value) bool {
	return v.Kind() == reflect.Struct && v.NumField() == 3 && v.Type().String() == "url.Error" &&
		v.Type().Field(1).Name == "URL" && v.Field(1).Kind() == reflect.String
}
