module github.com/qix-wasm/qix-wasm

go 1.26

require (
	github.com/andybalholm/brotli v1.2.8
	github.com/coder/websocket v1.8.14
	github.com/evanphx/json-patch/v5 v5.9.11
	github.com/evanw/esbuild v0.28.2
	github.com/golang-jwt/jwt/v5 v5.3.1
	github.com/qlik-oss/enigma-go/v4 v4.5.0
	github.com/wI2L/jsondiff v0.7.1
)

require (
	github.com/goccy/go-json v0.10.5 // indirect
	github.com/gorilla/websocket v1.5.3 // indirect
	github.com/pkg/errors v0.9.1 // indirect
	github.com/tidwall/gjson v1.18.0 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.1 // indirect
	github.com/tidwall/sjson v1.2.5 // indirect
	golang.org/x/sys v0.21.0 // indirect
)
