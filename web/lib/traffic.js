// traffic.js: the traffic log shared by the console and the inspector, as
// one import for the pages:
//
//   redact.js         redact / redactString / redactFrame: secrets out of
//                     any value, string or frame (positional passwords by
//                     their place in the schema), keeping its structure
//   traffic-log.js    TrafficLog (frames, pairing, import and export in the
//                     [{"Sent"}|{"Received"}] format), parseTraffic
//   traffic-panel.js  TrafficPanel, the inspector view of a log
export { REDACTED, redact, redactString, redactFrame, maskSecretParams } from './redact.js';
export { TrafficLog, parseTraffic, classify, utf8Length } from './traffic-log.js';
export { TrafficPanel, formatTime, formatBytes, formatMs } from './traffic-panel.js';
