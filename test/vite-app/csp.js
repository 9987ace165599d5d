// The policy README.md's "Ship it in your app" gives a host, sent with every
// response as a header (so the worker script gets it too): the page and the
// worker compile WebAssembly ('wasm-unsafe-eval', no 'unsafe-eval'), the
// worker is a same-origin script, fetch (the wasm) and WebSocket (the
// engine) are connections. The test's engine is the dev server on a free
// loopback port.
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self' ws://127.0.0.1:*";
