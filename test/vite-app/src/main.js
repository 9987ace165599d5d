// A Vite app's use of the packed qix-wasm package: import it by name, open
// an app, show the engine version and one KPI. ?url= is the engine URL
// (default: the Sales app of `./build.sh serve` on port 8080); ?worker=0
// runs the Go module on the page's thread instead of in a Web Worker.
import { create, buildURL } from 'qix-wasm';

const params = new URLSearchParams(location.search);
const show = (id, text) => {
  document.getElementById(id).textContent = text;
};

async function main() {
  const worker = params.get('worker') !== '0';
  const url = params.get('url') || (await buildURL({ host: '127.0.0.1', port: 8080, appId: 'Sales' }, { worker }));
  const session = create({ url, worker });
  const global = await session.open();
  show('mode', worker ? 'worker' : 'main thread');
  show('version', (await global.engineVersion()).qComponentVersion);
  const app = await global.openDoc('Sales');
  const total = await app.evaluateEx('Sum(Sales)'); // a FieldValue: qText, qNumber, qIsNumeric
  show('total', String(Math.round(total.qNumber)));
}

main().catch((err) => {
  const box = document.getElementById('error');
  box.hidden = false;
  box.textContent = `qix-wasm failed: ${err.message}`;
  console.error(err);
});
