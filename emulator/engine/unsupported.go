package engine

import "github.com/qix-wasm/qix-wasm/qixcore"

// ErrUnsupported is the engine's answer for a method whose feature the
// product does not have (LocalizedErrorCode 17,
// GENERIC_UNSUPPORTED_IN_PRODUCT_VERSION): Qlik Core answers it for the
// Sense-only features, and the emulator answers it for every schema method
// it does not implement, so a client sees an engine error it can handle
// instead of -32601, which real engines only send for names they lack.
var ErrUnsupported = &Error{Code: 17, Parameter: "", Message: "Unsupported in product version"}

// Unsupported returns the error a method of qType answers when no object
// implements it: ErrUnsupported naming the method for a schema method
// declared in unsupportedMethods, nil otherwise (the call stays -32601).
func Unsupported(qType, method string) *Error {
	if _, ok := qixcore.LookupMethod(qType, method); !ok || unsupportedMethods[qType][method] == "" {
		return nil
	}
	return &Error{Code: ErrUnsupported.Code, Parameter: method, Message: ErrUnsupported.Message}
}
