// A stand-in for Go's wasm_exec.js (the real one is copied into build/ by
// ./build.sh build): a script that sets globalThis.Go.
"use strict";
(() => {
	globalThis.Go = class { constructor() { this.marker = "fake-wasm-exec"; } };
})();
