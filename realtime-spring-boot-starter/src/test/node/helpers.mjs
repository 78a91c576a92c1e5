// Plumbing for the starter's client suite. StarterClientSuiteTest starts the Spring Boot test
// application (TestApplication) on a random port and passes its address, key and the pusher-js
// transport of the run in the environment.
import Pusher from 'pusher-js';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run this suite through StarterClientSuiteTest `
      + '(mvn -pl realtime-spring-boot-starter -am test -Dtest=StarterClientSuiteTest -Dsurefire.failIfNoSpecifiedTests=false)');
  }
  return value;
}

export const env = {
  port: Number(required('REALTIME_PORT')),
  appId: required('REALTIME_APP_ID'),
  key: required('REALTIME_APP_KEY'),
  secret: required('REALTIME_APP_SECRET'),
};

/** 'ws', 'xhr_streaming' or 'xhr_polling': the one transport pusher-js may use in this run. */
export const transport = process.env.REALTIME_TRANSPORT || 'ws';
export const baseUrl = `http://127.0.0.1:${env.port}`;
export const WAIT_MS = 10_000;

/** pusher-js / Echo options pointing the run's transport, and only it, at the application (one port for all). */
export function transportOptions() {
  return {
    cluster: '', forceTLS: false, enabledTransports: [transport],
    wsHost: '127.0.0.1', wsPort: env.port, httpHost: '127.0.0.1', httpPort: env.port, httpPath: '/pusher',
  };
}

export function uid(prefix) {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** Rejects with `what` when `promise` has not settled within `ms`. */
export function within(promise, what, ms = WAIT_MS) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  const result = Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  result.catch(() => {});
  return result;
}

/** Resolves once pusher-js is connected, with its socket id. */
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
        reject(new Error(`${what} failed`));
      }
    };
    pusher.connection.bind('state_change', onChange);
  }), `${what} to be connected`);
}

/** A pusher-js client signed in as `userId` (bearer token = the user id, as TestApplication's Authenticator reads it). */
export async function pusherAs(t, userId) {
  const headers = { Authorization: `Bearer ${userId}` };
  const pusher = new Pusher(env.key, {
    ...transportOptions(),
    channelAuthorization: { endpoint: `${baseUrl}/broadcasting/auth`, headers },
    userAuthentication: { endpoint: `${baseUrl}/broadcasting/user-auth`, headers: { ...headers } },
  });
  t.after(() => pusher.disconnect());
  await connected(pusher, `pusher-js as ${userId}`);
  return pusher;
}

/** laravel-echo over pusher-js, authorized as `userId` at /broadcasting/auth. */
export async function echoAs(t, userId) {
  const { default: Echo } = await import('laravel-echo');
  const echo = new Echo({
    broadcaster: 'pusher',
    key: env.key,
    ...transportOptions(),
    Pusher,
    authEndpoint: `${baseUrl}/broadcasting/auth`,
    auth: { headers: { Authorization: `Bearer ${userId}` } },
  });
  t.after(() => echo.disconnect());
  await connected(echo.connector.pusher, `Echo as ${userId}`);
  return echo;
}

/** Resolves when `channel` is subscribed (with the success data), rejects with its subscription_error. */
export function subscribed(channel, what = channel.name) {
  return within(new Promise((resolve, reject) => {
    channel.bind('pusher:subscription_succeeded', (data) => resolve(data));
    channel.bind('pusher:subscription_error', (error) => reject(Object.assign(new Error(`${what}: subscription_error ${JSON.stringify(error)}`), { error })));
  }), `the subscription to ${what}`);
}

/** The first `event` on an emitter (channel or Echo channel via bind). */
export function next(emitter, event, what = event) {
  return within(new Promise((resolve) => {
    const handler = (data) => {
      emitter.unbind(event, handler);
      resolve(data);
    };
    emitter.bind(event, handler);
  }), what);
}

/** Asks the application's @RestController to broadcast. */
export async function broadcast(channel, event, data, socketId) {
  const headers = { 'content-type': 'application/json' };
  if (socketId) {
    headers['X-Socket-ID'] = socketId;
  }
  const response = await fetch(`${baseUrl}/messages`, {
    method: 'POST', headers, body: JSON.stringify({ channel, event, data }),
  });
  if (response.status !== 202) {
    throw new Error(`POST /messages answered ${response.status}: ${await response.text()}`);
  }
}
