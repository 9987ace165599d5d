// A page written for enigma.js, in TypeScript, against qix-wasm's types:
// `tsc -p test/types` checks it. It uses typed layouts, mixins (extend,
// override, init, a genericType), request and response interceptors and a
// custom socket; every @ts-expect-error line must really be an error.
import qix, {
  type Doc,
  type Field,
  type GenericObject,
  type GenericObjectProperties,
  type Mixin,
  type NxCell,
  type NxDataPage,
  type QixDouble,
  type QixError,
  type RequestInterceptor,
  type ResponseInterceptor,
  type StateEnumType,
  type WithMixins,
} from '../../jsbridge/qix.js';

/** What the Doc mixin adds. */
interface DocExtras {
  /** A session table of fields, its first page of rows. */
  tableOf(fields: string[], rows?: number): Promise<NxCell[][]>;
}

const docMixin: Mixin<Doc, DocExtras> = {
  types: ['Doc'],
  init({ api }) {
    console.log('app', api.id, typeof api.tableOf);
  },
  extend: {
    async tableOf(fields, rows = 50) {
      // `this` is the Doc (with its extras): typed params and results.
      const props: GenericObjectProperties = {
        qInfo: { qType: 'table' },
        qHyperCubeDef: {
          qDimensions: fields.map((f) => ({ qDef: { qFieldDefs: [f] } })),
          qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: fields.length, qHeight: rows }],
        },
      };
      const obj = await this.createSessionObject(props);
      const layout = await obj.getLayout();
      return layout.qHyperCube?.qDataPages?.[0]?.qMatrix ?? [];
    },
  },
  override: {
    // base is the method replaced, bound to the object.
    async getAppLayout(base) {
      const layout = await base();
      console.log('title', layout.qTitle);
      return layout;
    },
  },
};

// A mixin for one genericType, overriding a method with params.
const barchartMixin: Mixin<GenericObject> = {
  types: 'barchart',
  override: {
    getHyperCubeData(base, qPath, qPages) {
      console.log('pages', qPages.length);
      return base(qPath, qPages);
    },
  },
};

const tries = new WeakMap<object, number>();

/** Retries calls the engine aborted (LOCERR_GENERIC_ABORTED), three times at most. */
const retryAborted: ResponseInterceptor = {
  onRejected(session, request, error) {
    const n = (tries.get(request) ?? 0) + 1;
    tries.set(request, n);
    if (error.code === 15 && n <= 3) return request.retry();
    return this.Promise.reject(error);
  },
};

/** Logs every request and asks for full (not delta) layouts of one method. */
const logRequests: RequestInterceptor = {
  onFulfilled(session, request) {
    console.log('→', request.method, request.handle, session.state);
    return request.method === 'GetProperties' ? { ...request, delta: false } : request;
  },
};

/** Sums the numeric cells of a page: doubles may be "NaN". */
function total(page: NxDataPage): number {
  let sum = 0;
  for (const row of page.qMatrix ?? []) {
    for (const cell of row) {
      const n: QixDouble | undefined = cell.qNum;
      if (typeof n === 'number') sum += n;
    }
  }
  return sum;
}

export async function page(url: string): Promise<number> {
  const session = qix.create({
    url,
    mixins: [docMixin, barchartMixin],
    requestInterceptors: [logRequests],
    responseInterceptors: [retryAborted],
    createSocket: (u) => new WebSocket(u),
    Promise,
    protocol: { delta: true },
  });
  const global = await session.open();
  const app = (await global.openDoc('Sales')) as WithMixins<'Doc', DocExtras>;
  const rows = await app.tableOf(['Region', 'Product']);
  const selected = rows.filter((r) => r[0].qState === 'S').map((r) => r[0].qText ?? '');

  // A chart object: typed properties in, typed layout out.
  const chart = await app.createSessionObject({
    qInfo: { qType: 'barchart' },
    qHyperCubeDef: {
      qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }],
      qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }],
      qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 2, qHeight: 20 }],
    },
    title: 'Sales by region', // custom properties are allowed
  });
  chart.on('changed', async () => {
    const layout = await chart.getLayout();
    const cube = layout.qHyperCube;
    console.log(cube?.qSize?.qcy, cube?.qDimensionInfo?.[0]?.qFallbackTitle, layout.title);
  });
  const pages = await chart.getHyperCubeData('/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qWidth: 2, qHeight: 20 }]);
  const picked: boolean = await chart.selectHyperCubeValues('/qHyperCubeDef', 0, [0, 1], false);
  const check = await app.checkExpression('Sum(Sales)');
  console.log(check.qErrorMsg, check.qBadFieldNames.length, picked, selected);

  const field: Field = await app.getField('Region');
  const cardinal: number = await field.getCardinal();
  const list = await app.createSessionObject({
    qInfo: { qType: 'filter' },
    qListObjectDef: { qDef: { qFieldDefs: ['Region'] }, qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 1, qHeight: cardinal }] },
  });
  const listLayout = await list.getLayout();
  const states: StateEnumType[] = (listLayout.qListObject?.qDataPages?.[0]?.qMatrix ?? []).map((r) => r[0].qState ?? 'O');

  try {
    await app.getObject('missing');
  } catch (err) {
    const e = err as QixError;
    console.log(e.code, e.parameter, e.message);
  }
  await session.close();

  // @ts-expect-error: qId is a string
  await app.getObject(42);
  // @ts-expect-error: qTop is a number
  await chart.getHyperCubeData('/qHyperCubeDef', [{ qTop: '0' }]);
  // @ts-expect-error: qValues are element numbers
  await chart.selectHyperCubeValues('/qHyperCubeDef', 0, ['North'], false);
  // @ts-expect-error: qInfo.qType is a string
  await app.createSessionObject({ qInfo: { qType: 7 } });
  // @ts-expect-error: getCardinal resolves with a number
  const notText: string = await field.getCardinal();
  // @ts-expect-error: a cell's qNum may be "NaN": narrow it first
  const bad: number = rows[0][0].qNum;
  // @ts-expect-error: not a StateEnumType
  const state: StateEnumType = 'Q';
  // @ts-expect-error: a hypercube's qSize.qcx is a number
  (await chart.getLayout()).qHyperCube?.qSize?.qcx?.toUpperCase();
  // @ts-expect-error: getLayout takes no params
  await chart.getLayout(true);
  void notText, bad, state;

  qix.create({
    url,
    // @ts-expect-error: createSocket gets the URL string
    createSocket: (u: number) => new WebSocket(String(u)),
  });
  // @ts-expect-error: enigma.js has no such option
  qix.create({ url, listeners: {} });
  const wrongOverride: Mixin<Doc> = {
    types: 'Doc',
    override: {
      // @ts-expect-error: Doc has no such method to override
      noSuchMethod(base: () => void) {
        return base();
      },
    },
  };
  const wrongExtend: Mixin<Doc, DocExtras> = {
    types: 'Doc',
    extend: {
      async tableOf() {
        // @ts-expect-error: `this` is the Doc, which has no such method
        await this.noSuchMethod();
        return [];
      },
    },
    override: {
      // @ts-expect-error: an override resolves with what the base does (a string)
      evaluate: (base, qExpression) => base(qExpression).then((s) => s.length),
    },
  };
  const wrongRequest: RequestInterceptor = {
    // @ts-expect-error: a request interceptor returns the request
    onFulfilled: () => 42,
  };
  void wrongOverride, wrongExtend, wrongRequest;

  return total(pages[0]) + states.length;
}
