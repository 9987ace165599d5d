// dash-live: the dashboard's live objects, through the library's watch()
// (jsbridge/qix-live.js): one fetch in flight per object, data a newer
// change overtook never rendered, the previous rendering kept until fresh
// data replaces it (no flicker).
export { watch as live } from '/qix.js';
