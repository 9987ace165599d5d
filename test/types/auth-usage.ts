// Type-level test of jsbridge/qix-auth.d.ts (tsc -p test/types).
import { create } from '../../jsbridge/qix.js';
import qixAuth, { connectURL, openSession, explainHandshakeFailure, QixAuthError, parseAppURL, type ConnectInfo } from '../../jsbridge/qix-auth.js';

export async function authUsage(): Promise<string> {
  const c: ConnectInfo = await connectURL({ appURL: 'https://acme.eu.qlikcloud.com/sense/app/x', webIntegrationId: 'w' });
  const { session, app } = await openSession(create, { host: 'qs.corp', prefix: 'sso', appId: 'x', qlikTicket: 't' }, { worker: true });
  await session.close();
  if (app) await app.getAppLayout();
  const ex = explainHandshakeFailure({ flavor: 'cloud', stage: 'websocket', closeCode: 1006, url: c.url });
  try {
    await qixAuth.connectURL({ host: 'h', appId: 'a', csrf: false });
  } catch (e) {
    if (e instanceof QixAuthError) return e.reason + e.causes.join() + (e.status ?? 0);
  }
  // @ts-expect-error flavor is 'cloud' or 'enterprise'
  await connectURL({ flavor: 'core' });
  return ex.text + c.redactedURL + parseAppURL(c.url)?.appId;
}
