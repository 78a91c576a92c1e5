// Private channels: authorized through our own auth endpoints, or signed by the application's
// backend with the pusher SDK in a custom authorizer; forged signatures are refused.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  Inbox, authAs, backend, connect, echo, env, next, subscribed, uid,
} from './helpers.mjs';

/** A pusher-js channelAuthorization whose customHandler signs with the SDK (secret: the app's, unless forged). */
function backendSigned(sign = (socketId, channelName) => backend().authorizeChannel(socketId, channelName)) {
  return {
    channelAuthorization: {
      customHandler: ({ socketId, channelName }, callback) => {
        try {
          callback(null, sign(socketId, channelName));
        } catch (e) {
          callback(e, null);
        }
      },
    },
  };
}

test('Echo subscribes to a private channel through /broadcasting/auth with a bearer token', async (t) => {
  const e = await echo(t, 'p-alice');
  const name = uid('orders');
  const inbox = new Inbox('.status');
  const channel = e.private(name).listen('.status', inbox.push);
  await subscribed(channel.subscription);
  assert.equal(channel.name, `private-${name}`);
  await backend().trigger(`private-${name}`, 'status', { ok: true });
  assert.deepEqual(await inbox.first(), { ok: true });
});

test('pusher-js subscribes to a private channel through /pusher/auth', async (t) => {
  const a = await connect(t, authAs('p-bob'));
  const name = uid('private-inbox');
  const channel = a.subscribe(name);
  await subscribed(channel);
  const received = next(channel, 'mail');
  await backend().trigger(name, 'mail', { from: 'x' });
  assert.deepEqual(await received, { from: 'x' });
});

test('the auth endpoint answers 403 when the authorizer denies: Echo .error() gets it', async (t) => {
  const e = await echo(t, 'p-carol');
  const errors = new Inbox('.error');
  e.private(uid('forbidden')).error(errors.push);
  const error = await errors.first();
  assert.equal(error.type, 'AuthError');
  assert.equal(error.status, 403);
  assert.equal(e.connector.pusher.connection.state, 'connected');
});

test('the auth endpoint answers 401 without a user: Echo .error() gets it', async (t) => {
  const e = await echo(t, null);
  const errors = new Inbox('.error');
  e.private(uid('orders')).error(errors.push);
  const error = await errors.first();
  assert.equal(error.type, 'AuthError');
  assert.equal(error.status, 401);
});

test('a private subscription signed by the backend with the pusher SDK is accepted', async (t) => {
  const a = await connect(t, backendSigned());
  const name = uid('private-backend');
  const channel = a.subscribe(name);
  await subscribed(channel);
  const received = next(channel, 'signed');
  await backend().trigger(name, 'signed', { by: 'backend' });
  assert.deepEqual(await received, { by: 'backend' });
});

test('a forged signature is refused with subscription_error to Echo .error(), and the connection keeps working', async (t) => {
  const forger = backend('not-the-app-secret');
  const e = await echo(t, 'p-dave', backendSigned((socketId, channelName) => (channelName.includes('forged')
    ? forger.authorizeChannel(socketId, channelName)
    : backend().authorizeChannel(socketId, channelName))));
  const pusher = e.connector.pusher;
  const socketId = pusher.connection.socket_id;
  const errors = new Inbox('forged .error');
  const forgedEvents = new Inbox('forged channel frames');
  const forgedName = uid('forged');
  pusher.connection.bind('message', (m) => m.channel === `private-${forgedName}` && m.event === 'secret' && forgedEvents.push(m));
  e.private(forgedName).error(errors.push);
  const error = await errors.first();
  assert.equal(error.type, 'AuthError');
  assert.equal(error.status, 401);

  // Same connection, still usable: a properly signed private channel and a public one.
  const okName = uid('fine');
  const ok = new Inbox('fine');
  await subscribed(e.private(okName).listen('.secret', ok.push).subscription);
  const publicInbox = new Inbox('public');
  const publicName = uid('public');
  await subscribed(e.channel(publicName).listen('.hello', publicInbox.push).subscription);
  const sdk = backend();
  await sdk.trigger(`private-${forgedName}`, 'secret', { leaked: true });
  await sdk.trigger(`private-${okName}`, 'secret', { n: 1 });
  await sdk.trigger(publicName, 'hello', { n: 2 });
  assert.deepEqual(await ok.first(), { n: 1 });
  assert.deepEqual(await publicInbox.first(), { n: 2 });
  assert.deepEqual(forgedEvents.items, [], 'the refused channel delivers nothing');
  assert.equal(pusher.connection.socket_id, socketId, 'the connection was never replaced');
});

test('a signature made for another socket is refused', async (t) => {
  const other = await connect(t);
  const a = await connect(t, backendSigned((socketId, channelName) =>
    backend().authorizeChannel(other.connection.socket_id, channelName)));
  const channel = a.subscribe(uid('private-stolen'));
  const error = await next(channel, 'pusher:subscription_error');
  assert.equal(error.status, 401);
});

test('an auth string with another app key is refused', async (t) => {
  const a = await connect(t, backendSigned((socketId, channelName) => {
    const { auth } = backend().authorizeChannel(socketId, channelName);
    return { auth: `not-${env.key}:${auth.split(':')[1]}` };
  }));
  const channel = a.subscribe(uid('private-wrongkey'));
  const error = await next(channel, 'pusher:subscription_error');
  assert.equal(error.status, 401);
});
