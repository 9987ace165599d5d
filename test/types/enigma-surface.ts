// Type-level test of the enigma.js surface beyond schema methods: request
// ids on call promises, session.send, session.getObjectApi and the
// EventEmitter methods on sessions and objects. `tsc -p test/types` checks
// it; every @ts-expect-error line must really be an error.
import {
  create,
  type ClosedEvent,
  type Doc,
  type GenericObject,
  type GenericObjectLayout,
  type NxAppLayout,
  type QixObject,
  type QixPromise,
  type SuspendedEvent,
} from '../../jsbridge/qix.js';

export async function enigmaSurface(): Promise<number> {
  const session = create({ url: 'ws://localhost:9076/app/engineData' });
  const global = await session.open();

  // Every call's promise carries its request id, e.g. to cancel it.
  const opening = global.openDoc('Sales');
  const openId: number = opening.requestId;
  const app: Doc = await opening;
  const layoutCall: QixPromise<NxAppLayout> = app.getAppLayout();
  await global.cancelRequest(layoutCall.requestId);

  // session.send: a request as interceptors see it, without id and jsonrpc.
  const sent = session.send({ handle: app.handle, method: 'GetAppLayout', params: [] });
  const sentId: number = sent.requestId;
  const viaCall = app.call('GetAppLayout');
  const callId: number = viaCall.requestId;

  // getObjectApi: the typed API of a known qType, a plain QixObject otherwise.
  const chart: GenericObject = session.getObjectApi({ handle: 3, id: 'chart-1', type: 'GenericObject', genericType: 'barchart' });
  const layout: GenericObjectLayout = await chart.getLayout();
  const custom: QixObject = session.getObjectApi({ handle: 4, id: 'x', type: 'MyExtension', customType: 'my-ext' });
  await custom.call('GetLayout');

  // EventEmitter names on objects, typed by the object events.
  const onChanged = (): void => console.log('changed', layout.qInfo?.qId);
  chart.addListener('changed', onChanged).once('closed', () => undefined);
  const changedListeners: Array<() => void> = chart.listeners('changed');
  const delivered: boolean = chart.emit('changed');
  chart.addListener('traffic:*', (dir, frame) => console.log(dir === 'sent', frame));
  chart.removeListener('changed', onChanged).off('closed');
  chart.removeAllListeners('changed').removeAllListeners();

  // ... and on the session, typed by the session events.
  session.addListener('closed', (e: ClosedEvent) => console.log(e.code, e.error.code));
  session.addListener('traffic:*', (dir, frame, bytes: number) => console.log(dir, frame, bytes));
  session.addListener('notification:OnConnected', (params) => console.log(params.qSessionState));
  session.addListener('notification:*', (method: string, params) => console.log(method, params));
  const suspendedListeners: Array<(e: SuspendedEvent) => void> = session.listeners('suspended');
  const hadOpened: boolean = session.emit('opened');
  session.removeAllListeners('traffic:*');

  // @ts-expect-error: requestId is read-only
  opening.requestId = 7;
  // @ts-expect-error: send needs the method
  session.send({ handle: -1, params: [] });
  // @ts-expect-error: 'changed' listeners take no arguments
  chart.emit('changed', 1);
  // @ts-expect-error: objects have no 'opened' event
  chart.addListener('opened', onChanged);
  // @ts-expect-error: a 'closed' listener of a session gets a ClosedEvent
  session.addListener('closed', (e: string) => e);
  // @ts-expect-error: a GenericObject has no openDoc
  await chart.openDoc('Sales');
  // @ts-expect-error: getObjectApi needs a handle
  session.getObjectApi({ id: 'x', type: 'Doc' });

  return openId + sentId + callId + changedListeners.length + suspendedListeners.length + Number(delivered) + Number(hadOpened);
}
