// Compiled by ./build.sh test (vite-app stage, tsc -p test/vite-app): the
// installed package's types resolve by the package's name and type its API.
import { create, buildURL } from 'qix-wasm';

const session = create({ url: 'ws://127.0.0.1:8080/app/Sales' });
const global = await session.open();
const version: string | undefined = (await global.engineVersion()).qComponentVersion;
const url: Promise<string> = buildURL({ host: '127.0.0.1', port: 8080, appId: 'Sales', params: [['k', 'v']] });
// @ts-expect-error the url is a string
create({ url: 8080 });

export { version, url };
