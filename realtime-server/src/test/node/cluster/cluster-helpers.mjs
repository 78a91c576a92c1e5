// Plumbing for the cluster tests. ClusterIT starts two standalone nodes, a and b, on one broker and
// passes their ports, the app and its control endpoint in the environment. The standalone server has
// no users of its own: private, presence and user sign-ins are signed here with the pusher SDK, as an
// application's backend would. This folder is not run by NodeClientSuiteTest (it runs ../*.test.mjs).
import Pusher from 'pusher-js';
import PusherServer from 'pusher';
import { connected, within } from '../helpers.mjs';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run these tests through ClusterIT `
      + '(mvn -B -pl realtime-server -am verify -Dit.test=ClusterIT), which starts the nodes and sets '
      + 'REALTIME_NODE_A_PORT, REALTIME_NODE_B_PORT, REALTIME_APP_ID, REALTIME_APP_KEY, REALTIME_APP_SECRET, '
      + 'REALTIME_CONTROL_URL, REALTIME_BROKER, REALTIME_HEARTBEAT_INTERVAL_MS and REALTIME_NODE_TIMEOUT_MS');
  }
  return value;
}

export const env = {
  broker: required('REALTIME_BROKER'),
  ports: { a: Number(required('REALTIME_NODE_A_PORT')), b: Number(required('REALTIME_NODE_B_PORT')) },
  appId: required('REALTIME_APP_ID'),
  key: required('REALTIME_APP_KEY'),
  secret: required('REALTIME_APP_SECRET'),
  controlUrl: required('REALTIME_CONTROL_URL'),
  heartbeatMs: Number(required('REALTIME_HEARTBEAT_INTERVAL_MS')),
  nodeTimeoutMs: Number(required('REALTIME_NODE_TIMEOUT_MS')),
};

/** The pusher SDK pointed at one node's HTTP API ('a' or 'b'). */
export function backend(node) {
  return new PusherServer({
    appId: env.appId, key: env.key, secret: env.secret, host: '127.0.0.1', port: String(env.ports[node]), useTLS: false,
  });
}

/** pusher-js auth options that sign in the test, as a backend would: channels, presence as `member`, sign-in as `user`. */
export function signedAs(member) {
  const sdk = backend('a'); // signing needs only the key and secret
  return {
    channelAuthorization: {
      customHandler: ({ socketId, channelName }, callback) => {
        try {
          callback(null, channelName.startsWith('presence-')
            ? sdk.authorizeChannel(socketId, channelName, { user_id: member.id, user_info: member.info })
            : sdk.authorizeChannel(socketId, channelName));
        } catch (e) {
          callback(e, null);
        }
      },
    },
    userAuthentication: {
      customHandler: ({ socketId }, callback) => callback(null, sdk.authenticateUser(socketId, { id: member.id, ...member.info })),
    },
  };
}

/** A member for presence channels and sign-in. */
export function member(id) {
  return { id, info: { name: `User ${id}` } };
}

/** pusher-js options for one node: WebSocket only, plain text, no cluster. */
function clientOptions(node, extra) {
  return {
    cluster: '', wsHost: '127.0.0.1', wsPort: env.ports[node], forceTLS: false, enabledTransports: ['ws'], ...extra,
  };
}

/** A connected pusher-js client of `node`, disconnected when the test ends. */
export async function connect(t, node, extra = {}) {
  const pusher = new Pusher(env.key, clientOptions(node, extra));
  t.after(() => pusher.disconnect());
  await connected(pusher, `a client of node ${node}`);
  return pusher;
}

/** A laravel-echo instance on `node` for `m` (signed by the SDK), disconnected when the test ends. */
export async function echo(t, node, m) {
  const { default: Echo } = await import('laravel-echo');
  const instance = new Echo({
    broadcaster: 'reverb', key: env.key, Pusher, ...clientOptions(node, signedAs(m)),
  });
  t.after(() => instance.disconnect());
  await connected(instance.connector.pusher, `Echo (${m.id}) on node ${node}`);
  return instance;
}

/** Resolves once the client is signed in and subscribed to its #server-to-user channel. */
export function signIn(pusher, userId) {
  const channel = `#server-to-user-${userId}`;
  const done = within(new Promise((resolve, reject) => {
    pusher.connection.bind('message', (m) => {
      if (m.event === 'pusher_internal:subscription_succeeded' && m.channel === channel) resolve();
      if (m.event === 'pusher:subscription_error' && m.channel === channel) {
        reject(new Error(`${channel} refused: ${JSON.stringify(m.data)}`));
      }
    });
    pusher.user.bind('pusher:signin_error', (e) => reject(new Error(`sign-in failed: ${JSON.stringify(e)}`)));
  }), `${userId} to be signed in`);
  pusher.signin();
  return done;
}

/** Asks the harness (ClusterIT) to act: /node/kill, /node/stop, /node/start, /node/pause, /node/resume {node}, /broker/down, /broker/up. */
export async function control(path, body = {}) {
  const response = await fetch(`${env.controlUrl}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`control ${path} answered ${response.status}: ${text}`);
  }
  return text;
}

/** GET on one node's HTTP API through the SDK, parsed. */
export async function apiGet(node, path, params) {
  const response = await backend(node).get({ path, params });
  return response.json();
}

/** The user ids a presence channel's members hold, sorted (pusher-js Members). */
export function memberIds(channel) {
  const ids = [];
  channel.members.each((m) => ids.push(String(m.id)));
  return ids.sort();
}

/** Counts the pusher:member_added / member_removed a channel gets, per user id. */
export function presenceLog(channel) {
  const log = { added: [], removed: [] };
  channel.bind('pusher:member_added', (m) => log.added.push(String(m.id)));
  channel.bind('pusher:member_removed', (m) => log.removed.push(String(m.id)));
  log.count = (kind, id) => log[kind].filter((x) => x === id).length;
  return log;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
