// Shared plumbing for the client suites. NodeClientSuiteTest starts the server and passes its
// address and credentials in the environment; every test here talks to that one server, so each
// test uses channel and user names of its own (uid()) and never assumes an empty server.
import Pusher from 'pusher-js';
import PusherServer from 'pusher';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run this suite through NodeClientSuiteTest `
      + '(mvn -pl realtime-server test -Dtest=NodeClientSuiteTest), which starts the server and sets '
      + 'REALTIME_PORT, REALTIME_APP_ID, REALTIME_APP_KEY, REALTIME_APP_SECRET, REALTIME_CONTROL_URL '
      + 'and REALTIME_ACTIVITY_TIMEOUT');
  }
  return value;
}

export const env = {
  port: Number(required('REALTIME_PORT')),
  appId: required('REALTIME_APP_ID'),
  key: required('REALTIME_APP_KEY'),
  secret: required('REALTIME_APP_SECRET'),
  controlUrl: required('REALTIME_CONTROL_URL'),
  activityTimeoutSeconds: Number(required('REALTIME_ACTIVITY_TIMEOUT')),
};

/**
 * The pusher-js transport this run of the suite uses: 'ws' (the default), or one of the HTTP fallbacks
 * 'xhr_streaming' and 'xhr_polling' (NodeClientSuiteTest runs the suite once per transport).
 */
export const transport = process.env.REALTIME_TRANSPORT || 'ws';
if (!['ws', 'xhr_streaming', 'xhr_polling'].includes(transport)) {
  throw new Error(`REALTIME_TRANSPORT must be ws, xhr_streaming or xhr_polling, got ${transport}`);
}

/** pusher-js (and Echo) options that point the chosen transport, and only it, at the server. */
export function transportOptions() {
  const common = { cluster: '', forceTLS: false, enabledTransports: [transport] };
  return transport === 'ws'
    ? { ...common, wsHost: '127.0.0.1', wsPort: env.port }
    // pusher-js builds http://{httpHost}:{httpPort}{httpPath}/app/{key}/… ('/pusher' is its default httpPath).
    : { ...common, wsHost: '127.0.0.1', wsPort: env.port, httpHost: '127.0.0.1', httpPort: env.port, httpPath: '/pusher' };
}

/** The server's HTTP base URL (auth endpoints, HTTP API). */
export const baseUrl = `http://127.0.0.1:${env.port}`;

/** How long any single expected thing may take before a test fails saying what it waited for. */
export const WAIT_MS = 10_000;

/** A fresh name part, so tests sharing the server never see each other's channels or users. */
export function uid(prefix) {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** The public info the harness's authenticator gives a user (see NodeClientSuiteTest#userFor). */
export function infoOf(userId) {
  return { name: `User ${userId}` };
}

/** Rejects with `what` when `promise` has not settled within `ms`. */
export function within(promise, what, ms = WAIT_MS) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  const result = Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  // A waiter the test never reaches (it failed earlier) must not turn into an unhandled rejection.
  result.catch(() => {});
  return result;
}

/** Resolves with the data of the next `event` on a pusher-js emitter (channel, connection, user). */
export function next(emitter, event, what = event, ms = WAIT_MS) {
  return within(new Promise((resolve) => {
    const handler = (data) => {
      emitter.unbind(event, handler);
      resolve(data);
    };
    emitter.bind(event, handler);
  }), what, ms);
}

/**
 * Collects every call of a callback, so a test can both wait for the n-th one and check afterwards
 * that nothing else arrived. Use `inbox.push` as the callback; `items` holds the first arguments,
 * `metadata` the second ones (pusher-js passes {user_id} there for presence client events).
 */
export class Inbox {
  constructor(name) {
    this.name = name;
    this.items = [];
    this.metadata = [];
    this.waiters = [];
    this.push = (data, metadata) => {
      this.items.push(data);
      this.metadata.push(metadata);
      this.waiters = this.waiters.filter((w) => {
        if (this.items.length >= w.count) {
          w.resolve(this.items[w.count - 1]);
          return false;
        }
        return true;
      });
    };
  }

  /** The `count`-th item (1-based), waiting for it. */
  nth(count, ms = WAIT_MS) {
    if (this.items.length >= count) {
      return Promise.resolve(this.items[count - 1]);
    }
    return within(new Promise((resolve) => this.waiters.push({ count, resolve })),
      `${this.name} #${count} (got ${this.items.length}: ${JSON.stringify(this.items)})`, ms);
  }

  first(ms) {
    return this.nth(1, ms);
  }
}

/** pusher-js options for this server: the suite's one transport (WebSocket unless told), plain text, no cluster. */
export function clientOptions(extra = {}) {
  return { ...transportOptions(), ...extra };
}

/** Resolves once the client is connected; fails fast when it ends up failed or disconnected. */
export function connected(pusher, what = 'the connection') {
  if (pusher.connection.state === 'connected') {
    return Promise.resolve(pusher.connection.socket_id);
  }
  return within(new Promise((resolve, reject) => {
    const onChange = ({ current }) => {
      if (current === 'connected') {
        pusher.connection.unbind('state_change', onChange);
        resolve(pusher.connection.socket_id);
      } else if (current === 'failed') {
        pusher.connection.unbind('state_change', onChange);
        reject(new Error(`${what} failed`));
      }
    };
    pusher.connection.bind('state_change', onChange);
  }), `${what} to be connected`);
}

/** A connected pusher-js client, disconnected when the test ends. */
export async function connect(t, extra = {}) {
  const pusher = new Pusher(env.key, clientOptions(extra));
  t.after(() => pusher.disconnect());
  await connected(pusher);
  return pusher;
}

/** pusher-js options to authorize through the server's own auth endpoints as `userId`. */
export function authAs(userId) {
  const headers = { Authorization: `Bearer ${userId}` };
  return {
    channelAuthorization: { endpoint: `${baseUrl}/pusher/auth`, headers },
    userAuthentication: { endpoint: `${baseUrl}/pusher/user-auth`, headers: { ...headers } },
  };
}

/**
 * A laravel-echo instance (loaded with import(), as Echo 2 requires) over pusher-js, authorized as
 * `userId` through /broadcasting/auth; no user means no Authorization header. Disconnected when the
 * test ends; resolves once connected.
 */
export async function echo(t, userId, extra = {}) {
  const { default: Echo } = await import('laravel-echo');
  const headers = userId ? { Authorization: `Bearer ${userId}` } : {};
  // Fresh auth objects each time: Echo's defaults are shared objects it would otherwise mutate.
  const instance = new Echo({
    broadcaster: 'reverb',
    key: env.key,
    ...transportOptions(),
    Pusher,
    authEndpoint: `${baseUrl}/broadcasting/auth`,
    auth: { headers },
    userAuthentication: { endpoint: `${baseUrl}/broadcasting/user-auth`, headers: { ...headers } },
    ...extra,
  });
  t.after(() => instance.disconnect());
  await connected(instance.connector.pusher, `Echo (${userId ?? 'anonymous'})`);
  return instance;
}

/** The `pusher` server SDK (what a Node backend publishes with), pointed at this server. */
export function backend(secret = env.secret) {
  return new PusherServer({
    appId: env.appId,
    key: env.key,
    secret,
    host: '127.0.0.1',
    port: String(env.port),
    useTLS: false,
  });
}

/** Calls the harness's control endpoint (restart, server-side sendToUser). */
export async function control(path, body) {
  const response = await fetch(`${env.controlUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? '' : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`control ${path} answered ${response.status}: ${text}`);
  }
  return text;
}

/** Resolves with the subscription_succeeded data of `channel`, or rejects with its subscription_error. */
export function subscribed(channel, what = channel.name) {
  if (channel.subscribed) {
    return Promise.resolve();
  }
  return within(new Promise((resolve, reject) => {
    channel.bind('pusher:subscription_succeeded', (data) => resolve(data));
    channel.bind('pusher:subscription_error', (error) =>
      reject(new Error(`subscription to ${what} refused: ${JSON.stringify(error)}`)));
  }), `subscription to ${what}`);
}

/** Polls `check` (sync or async, truthy when done) until it holds; `what` may be a function for a live message. */
export async function eventually(check, what, ms = WAIT_MS) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) {
        return last;
      }
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${ms} ms waiting for ${typeof what === 'function' ? what() : what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** GET on the server's Pusher HTTP API through the SDK, parsed. */
export async function apiGet(path, params) {
  const response = await backend().get({ path, params });
  return response.json();
}
