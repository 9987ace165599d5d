// traffic.js: the traffic log shared by the console and the inspector, as
// one import for the pages:
//
//   redact.js         redact / redactString: secrets out of any value or
//                     string, keeping its structure
//   traffic-log.js    TrafficLog (frames, pairing, import and export in the
//                     [{"Sent"}|{"Received"}] format), parseTraffic
//   traffic-panel.js  TrafficPanel, the inspector view of a log
export { REDACTED, redact, redactString } from './redact.js';
export { TrafficLog, parseTraffic, classify, utf8Length } from './traffic-log.js';
export { TrafficPanel, formatTime, formatBytes, formatMs } from './traffic-panel.js';
