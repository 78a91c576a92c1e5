// A stock pusher-js page in headless Chromium: the browser build (dist/web/pusher.js) and
// laravel-echo's browser bundle, loaded by <script> tags from a page served here on a port of its
// own, connect to the server over WebSocket, or, on a page where window.WebSocket is removed before
// pusher-js loads, through its HTTP fallbacks (xhr_streaming, xhr_polling). A plain EventSource page
// reads the server's text/event-stream. Channel auth goes straight to the server's
// /pusher/auth (another origin: needs the server's CORS answers), or, where a test says so, to the
// page's own origin, which forwards it to the server as a reverse proxy in front of an app would.
// Needs Chromium (CHROMIUM_PATH, default /usr/bin/chromium): fails without it when CI is set,
// skips otherwise.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import {
  WAIT_MS, backend, baseUrl, env, infoOf, uid,
} from './helpers.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const missing = existsSync(CHROMIUM) ? null
  : `Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH, or apt-get install chromium)`;
if (missing && process.env.CI) {
  // In CI the browser proof must run: a missing browser is a failure, not a skip.
  test('Chromium is installed for the browser tests', () => assert.fail(`${missing}; CI is set, so this fails`));
}
// (false, not null, when present: node reports a test with skip: null as skipped although it runs it.)
const skip = !missing ? false
  : `${missing}${process.env.CI ? ' (CI is set: see the failing test)' : '; skipped because CI is not set'}`;

const modules = fileURLToPath(new URL('./node_modules/', import.meta.url));
/** The files the page loads, unmodified from npm. */
const SCRIPTS = {
  '/pusher.js': join(modules, 'pusher-js', 'dist', 'web', 'pusher.js'),
  '/echo.iife.js': join(modules, 'laravel-echo', 'dist', 'echo.iife.js'),
};

// The page records what its clients see in window.records; the test waits on it from outside.
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>realtime browser test</title>
<script src="/pusher.js"></script>
<script src="/echo.iife.js"></script>
<script>
window.records = [];
const record = (type, detail) => window.records.push({ type, ...detail });
const membersOf = (channel) => {
  const list = [];
  channel.members.each((m) => list.push({ id: m.id, info: m.info }));
  return { me: channel.members.me, count: channel.members.count, list };
};
window.startPusher = (key, options) => {
  const pusher = new Pusher(key, options);
  window.pusher = pusher;
  record('state', { current: pusher.connection.state });
  pusher.connection.bind('state_change', ({ previous, current }) => record('state', { previous, current }));
  pusher.connection.bind('error', (error) => record('connection_error', { error: String(error && (error.type || error)) + ' ' + JSON.stringify(error && error.data) }));
  // Every client- frame that reaches this socket, whatever pusher-js does with it.
  pusher.connection.bind('message', (m) => {
    if (m.event && m.event.startsWith('client-')) record('client_frame', { channel: m.channel, event: m.event, data: m.data });
  });
};
window.subscribe = (name) => {
  const channel = window.pusher.subscribe(name);
  channel.bind('pusher:subscription_succeeded', () =>
    record('subscribed', { channel: name, members: name.startsWith('presence-') ? membersOf(channel) : undefined }));
  channel.bind('pusher:subscription_error', (error) => record('subscription_error', { channel: name, error }));
  channel.bind_global((event, data) => {
    if (!event.startsWith('pusher:')) record('event', { channel: name, event, data });
  });
};
window.trigger = (name, event, data) => window.pusher.channel(name).trigger(event, data);
window.startEcho = (options) => {
  window.echo = new Echo.default({ broadcaster: 'reverb', ...options });
  window.pusher = window.echo.connector.pusher;
};
window.joinWithEcho = (room) => {
  window.echo.join(room)
    .here((users) => record('here', { room, users }))
    .error((error) => record('subscription_error', { room, error }));
};
</script></head><body>realtime browser test</body></html>`;

/** The same page with no WebSocket in the browser, as behind a proxy that blocks it: pusher-js must fall back. */
const PAGE_WITHOUT_WEBSOCKET = PAGE.replace('<script src="/pusher.js"></script>',
  '<script>delete window.WebSocket; window.WebSocket = undefined; window.MozWebSocket = undefined;</script>\n'
  + '<script src="/pusher.js"></script>');

/** A page with no client library: a bare EventSource on the server's text/event-stream, frames up by fetch. */
const EVENT_SOURCE_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>realtime EventSource test</title>
<script>
window.records = [];
const record = (type, detail) => window.records.push({ type, ...detail });
window.openStream = (url) => {
  const source = new EventSource(url);
  window.source = source;
  source.addEventListener('session', (e) => { window.session = JSON.parse(e.data); record('session', window.session); });
  source.onmessage = (e) => {
    const frame = JSON.parse(e.data);
    let data = frame.data;
    try { data = JSON.parse(frame.data); } catch (ignored) { /* a string payload */ }
    record('frame', { event: frame.event, channel: frame.channel, data });
  };
  source.onerror = () => record('error', { readyState: source.readyState });
};
window.sendUp = async (url, frame) => {
  const answer = await fetch(url + '/' + window.session.id, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-realtime-secret': window.session.secret },
    body: JSON.stringify(frame),
  });
  record('sent', { status: answer.status });
};
</script></head><body>realtime EventSource test</body></html>`;

/** The auth endpoints the page server forwards to the realtime server (same-origin auth). */
const PROXIED = new Set(['/pusher/auth', '/broadcasting/auth']);

/** Forwards an auth request to the server with its body and the headers auth depends on. */
async function forward(request, response, path) {
  const chunks = [];
  for await (const chunk of request) {
    chunks.push(chunk);
  }
  const headers = {};
  for (const name of ['authorization', 'content-type', 'x-csrf-token', 'x-socket-id']) {
    if (request.headers[name]) {
      headers[name] = request.headers[name];
    }
  }
  const answer = await fetch(`${baseUrl}${path}`, { method: request.method, headers, body: Buffer.concat(chunks) });
  response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' })
    .end(Buffer.from(await answer.arrayBuffer()));
}

/** Serves the page and the npm scripts on a port of its own: the page's origin is not the server's. */
function startPageServer() {
  const server = createServer((request, response) => {
    const path = new URL(request.url, 'http://localhost').pathname;
    if (PROXIED.has(path) && request.method === 'POST') {
      forward(request, response, path).catch((e) => response.writeHead(502).end(`proxy: ${e.message}`));
    } else if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else if (path === '/without-websocket') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE_WITHOUT_WEBSOCKET);
    } else if (path === '/event-source') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(EVENT_SOURCE_PAGE);
    } else if (SCRIPTS[path]) {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(readFileSync(SCRIPTS[path]));
    } else {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let pageServer;
let pageUrl;
let context;
let userDataDir;

before(async () => {
  if (missing) {
    return;
  }
  pageServer = await startPageServer();
  pageUrl = `http://127.0.0.1:${pageServer.address().port}/`;
  userDataDir = mkdtempSync(join(tmpdir(), 'realtime-chromium-'));
  // Playwright refuses --user-data-dir in launch() args: a persistent context takes it instead.
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await context?.close();
  await new Promise((resolve) => (pageServer ? pageServer.close(resolve) : resolve()));
  if (userDataDir) {
    rmSync(userDataDir, { recursive: true, force: true });
  }
});

/** A fresh page on the page server, with what the browser logs kept for failure messages; closed when the test ends. */
async function openPage(t, label, path = '') {
  const page = await context.newPage();
  t.after(() => page.close());
  const log = [];
  page.on('console', (m) => log.push(`console.${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => log.push(`request failed: ${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
  const response = await page.goto(pageUrl + path);
  assert.equal(response.status(), 200, `${label}: the test page loads`);
  if (path !== 'event-source') {
    assert.equal(await page.evaluate(() => typeof Pusher), 'function', `${label}: pusher-js loaded from dist/web/pusher.js`);
  }
  return { page, label, log };
}

/**
 * pusher-js options for this server, authorized as `userId` by an XHR to /pusher/auth: the
 * server's own by default (cross-origin), or the page origin's with `authBase: ''` (forwarded).
 */
function pusherOptions(userId, { key = env.key, authBase = baseUrl } = {}) {
  return {
    key,
    options: {
      wsHost: '127.0.0.1',
      wsPort: env.port,
      forceTLS: false,
      enabledTransports: ['ws'],
      cluster: '',
      channelAuthorization: {
        endpoint: `${authBase}/pusher/auth`,
        transport: 'ajax',
        headers: { Authorization: `Bearer ${userId}` },
      },
    },
  };
}

/**
 * Waits for the first record in the page whose fields equal `match` (an array value: any of
 * those), and returns it; on timeout fails with what the page recorded and what the browser logged.
 */
async function record(p, match, what) {
  try {
    const handle = await p.page.waitForFunction((m) => window.records.find((r) => Object.entries(m)
      .every(([k, v]) => (Array.isArray(v) ? v.includes(r[k]) : r[k] === v))), match, { timeout: WAIT_MS, polling: 50 });
    return await handle.jsonValue();
  } catch (e) {
    const records = await p.page.evaluate(() => window.records).catch(() => '(page gone)');
    throw new Error(`${p.label}: waiting for ${what}: ${e.message.split('\n')[0]}\n`
      + `page records: ${JSON.stringify(records)}\nbrowser log:\n  ${p.log.join('\n  ') || '(empty)'}`);
  }
}

/** A page whose pusher-js (browser build) is connected as `userId`; returns the page and its socket_id. */
async function connectedPage(t, label, userId, settings = {}) {
  const p = await openPage(t, label, settings.path);
  const { key: appKey, options } = pusherOptions(userId, settings);
  Object.assign(options, settings.extra ?? {});
  await p.page.evaluate(([k, o]) => window.startPusher(k, o), [appKey, options]);
  t.after(() => p.page.evaluate(() => window.pusher.disconnect()).catch(() => {}));
  // Ends at the first state that settles it: connected, or one pusher-js stops in (disconnected
  // after a refusal such as 4001 unknown app key, failed, unavailable).
  const state = await record(p, { type: 'state', current: ['connected', 'disconnected', 'failed', 'unavailable'] },
    'the connection to be connected');
  assert.equal(state.current, 'connected', `${label}: connection ended ${state.current}\n`
    + `page records: ${JSON.stringify(await p.page.evaluate(() => window.records))}\n`
    + `browser log:\n  ${p.log.join('\n  ') || '(empty)'}`);
  return { ...p, socketId: await p.page.evaluate(() => window.pusher.connection.socket_id) };
}

/** Subscribes in the page and returns the subscription_succeeded record; fails with the subscription_error. */
async function subscribeIn(p, channel) {
  await p.page.evaluate((name) => window.subscribe(name), channel);
  const r = await record(p, { type: ['subscribed', 'subscription_error'], channel }, `the subscription to ${channel}`);
  assert.equal(r.type, 'subscribed', `${p.label}: subscription to ${channel} refused: ${JSON.stringify(r.error)}\n`
    + `browser log:\n  ${p.log.join('\n  ') || '(empty)'}`);
  return r;
}

test('a stock pusher-js page connects over WebSocket and gets a socket_id', { skip }, async (t) => {
  const p = await connectedPage(t, 'page', uid('browser'));
  assert.match(p.socketId, /^\d+\.\d+$/);
  const states = await p.page.evaluate(() => window.records.filter((r) => r.type === 'state').map((r) => r.current));
  assert.deepEqual(states, ['connecting', 'connected']);
});

test('a public channel in the page receives an event published through the HTTP API', { skip }, async (t) => {
  const p = await connectedPage(t, 'page', uid('browser'));
  const channel = uid('browser-news');
  await subscribeIn(p, channel);
  await backend().trigger(channel, 'headline', { title: 'hello, browser', n: 1 });
  const got = await record(p, { type: 'event', channel, event: 'headline' }, `headline on ${channel}`);
  assert.deepEqual(got.data, { title: 'hello, browser', n: 1 });
});

// Cross-origin: the Authorization header makes the browser send a CORS preflight (OPTIONS) first,
// and the POST's answer must carry Access-Control-Allow-Origin too, or pusher-js sees status 0.
test('a private channel is authorized by the server\'s /pusher/auth from a page on another origin (CORS)',
  { skip }, async (t) => {
    const p = await connectedPage(t, 'page', uid('browser'));
    const channel = `private-${uid('browser-inbox')}`;
    await subscribeIn(p, channel);
    await backend().trigger(channel, 'note', { to: 'me' });
    const got = await record(p, { type: 'event', channel, event: 'note' }, `note on ${channel}`);
    assert.deepEqual(got.data, { to: 'me' });
  });

test('a private channel is authorized through the page\'s own origin (reverse proxy) and receives its events', { skip }, async (t) => {
  const p = await connectedPage(t, 'page', uid('browser'), { authBase: '' });
  const channel = `private-${uid('browser-inbox')}`;
  await subscribeIn(p, channel);
  await backend().trigger(channel, 'note', { to: 'me' });
  const got = await record(p, { type: 'event', channel, event: 'note' }, `note on ${channel}`);
  assert.deepEqual(got.data, { to: 'me' });
});

test('a presence channel lists the page\'s user in pusher-js members and in Echo\'s here', { skip }, async (t) => {
  const room = uid('browser-room');
  const channel = `presence-${room}`;
  const [aliceId, bobId] = [uid('alice'), uid('bob')];
  const alice = await connectedPage(t, 'alice (pusher-js)', aliceId);
  const { members } = await subscribeIn(alice, channel);
  assert.deepEqual(members.me, { id: aliceId, info: infoOf(aliceId) });
  assert.deepEqual(members.list, [{ id: aliceId, info: infoOf(aliceId) }]);

  const bob = await openPage(t, 'bob (laravel-echo)');
  // Echo as a Laravel page sets it up: its default authEndpoint /broadcasting/auth on the page's origin.
  await bob.page.evaluate(([key, port, token]) => window.startEcho({
    key, wsHost: '127.0.0.1', wsPort: port, forceTLS: false, enabledTransports: ['ws'], bearerToken: token,
  }), [env.key, env.port, bobId]);
  t.after(() => bob.page.evaluate(() => window.echo.disconnect()).catch(() => {}));
  await bob.page.evaluate((r) => window.joinWithEcho(r), room);
  const here = await record(bob, { type: ['here', 'subscription_error'], room }, `Echo here on ${channel}`);
  assert.equal(here.type, 'here', `Echo join refused: ${JSON.stringify(here.error)}\nbrowser log:\n  ${bob.log.join('\n  ')}`);
  const byName = (a, b) => a.name.localeCompare(b.name);
  assert.deepEqual(here.users.sort(byName), [infoOf(aliceId), infoOf(bobId)].sort(byName));
});

test('a client event from one page reaches a second page (another user) and is not echoed', { skip }, async (t) => {
  const channel = `private-${uid('browser-chat')}`;
  const a = await connectedPage(t, 'page a', uid('a'));
  const b = await connectedPage(t, 'page b', uid('b'));
  await subscribeIn(a, channel);
  await subscribeIn(b, channel);

  await a.page.evaluate(([c]) => window.trigger(c, 'client-typing', { who: 'a', text: 'hel' }), [channel]);
  const typing = await record(b, { type: 'event', channel, event: 'client-typing' }, `client-typing on ${channel}`);
  assert.deepEqual(typing.data, { who: 'a', text: 'hel' });
  // b answers only after receiving a's event; an echo of a's own event would have reached a first.
  await b.page.evaluate(([c]) => window.trigger(c, 'client-ack', { seen: true }), [channel]);
  const ack = await record(a, { type: 'event', channel, event: 'client-ack' }, `client-ack on ${channel}`);
  assert.deepEqual(ack.data, { seen: true });
  const aFrames = await a.page.evaluate(() => window.records.filter((r) => r.type === 'client_frame').map((r) => r.event));
  assert.deepEqual(aFrames, ['client-ack'], 'page a never got its own client-typing back');
});

// Where WebSockets are blocked. pusher-js's default strategy, with every transport allowed, tries the
// WebSocket, finds none, and connects through xhr_streaming at http://{httpHost}:{httpPort}/pusher/app/{key}/….
const fallback = (transports) => ({
  path: 'without-websocket',
  extra: {
    httpHost: '127.0.0.1', httpPort: env.port, httpPath: '/pusher',
    // The default set with the WebSocket first, as an app configures it; or one fallback only.
    enabledTransports: transports ?? ['ws', 'xhr_streaming', 'xhr_polling'],
  },
});

test('with window.WebSocket removed, a stock pusher-js page connects through xhr_streaming, receives events and shows presence',
  { skip }, async (t) => {
    const [aliceId, bobId] = [uid('alice'), uid('bob')];
    const alice = await connectedPage(t, 'alice (no WebSocket)', aliceId, fallback());
    assert.equal(await alice.page.evaluate(() => typeof window.WebSocket), 'undefined');
    assert.equal(await alice.page.evaluate(() => window.pusher.connection.connection.transport.name), 'xhr_streaming');
    const news = uid('fallback-news');
    await subscribeIn(alice, news);
    await backend().trigger(news, 'headline', { title: 'over HTTP' });
    const got = await record(alice, { type: 'event', channel: news, event: 'headline' }, `headline on ${news}`);
    assert.deepEqual(got.data, { title: 'over HTTP' });

    const room = `presence-${uid('fallback-room')}`;
    await subscribeIn(alice, room);
    const bob = await connectedPage(t, 'bob (no WebSocket, polling)', bobId, fallback(['xhr_polling']));
    assert.equal(await bob.page.evaluate(() => window.pusher.connection.connection.transport.name), 'xhr_polling');
    const { members } = await subscribeIn(bob, room);
    const byId = (a, b) => a.id.localeCompare(b.id);
    assert.deepEqual(members.list.sort(byId), [{ id: aliceId, info: infoOf(aliceId) }, { id: bobId, info: infoOf(bobId) }].sort(byId));
    assert.equal(members.count, 2);

    // A client event between the two fallbacks, up through xhr_send, down the stream and the poll.
    await bob.page.evaluate(([c]) => window.trigger(c, 'client-wave', { from: 'bob' }), [room]);
    const wave = await record(alice, { type: 'event', channel: room, event: 'client-wave' }, `client-wave on ${room}`);
    assert.deepEqual(wave.data, { from: 'bob' });
  });

test('an EventSource page reads the text/event-stream, a private channel included, and sends frames up by fetch',
  { skip }, async (t) => {
    const userId = uid('reader');
    const [news, inbox, later] = [uid('sse-news'), `private-${uid('sse-inbox')}`, uid('sse-later')];
    const p = await openPage(t, 'EventSource page', 'event-source');
    const streamUrl = `${baseUrl}/pusher/app/${env.key}/sse`;
    // EventSource sends no headers of its own choosing: the user comes from a query parameter here
    // (the test server's authenticator reads ?token=), as an application would use a cookie.
    await p.page.evaluate((url) => window.openStream(url), `${streamUrl}?channels=${news},${inbox}&token=${userId}`);
    t.after(() => p.page.evaluate(() => window.source.close()).catch(() => {}));
    await record(p, { type: 'frame', event: 'pusher_internal:subscription_succeeded', channel: inbox }, `the subscription to ${inbox}`);
    await backend().trigger(news, 'headline', { title: 'streamed' });
    await backend().trigger(inbox, 'note', { to: userId });
    assert.deepEqual((await record(p, { type: 'frame', channel: news, event: 'headline' }, 'headline')).data, { title: 'streamed' });
    assert.deepEqual((await record(p, { type: 'frame', channel: inbox, event: 'note' }, 'note')).data, { to: userId });

    // Upstream: a POST with the session's secret (a CORS preflight first: another origin, a custom header).
    await p.page.evaluate(([url, channel]) => window.sendUp(url, { event: 'pusher:subscribe', data: { channel } }), [streamUrl, later]);
    assert.equal((await record(p, { type: 'sent' }, 'the POST')).status, 204);
    await record(p, { type: 'frame', event: 'pusher_internal:subscription_succeeded', channel: later }, `the subscription to ${later}`);
    await backend().trigger(later, 'after', { n: 1 });
    assert.deepEqual((await record(p, { type: 'frame', channel: later, event: 'after' }, 'after')).data, { n: 1 });
  });
