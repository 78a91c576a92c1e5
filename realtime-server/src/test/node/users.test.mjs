// User sign-in (pusher.signin()), events sent to a user, and terminating a user's connections.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  Inbox, authAs, backend, connect, control, echo, next, within, uid,
} from './helpers.mjs';

/** Resolves once the client is signed in and subscribed to its #server-to-user channel. */
function signedIn(pusher, userId) {
  const channel = `#server-to-user-${userId}`;
  return within(new Promise((resolve, reject) => {
    pusher.connection.bind('message', (m) => {
      if (m.event === 'pusher_internal:subscription_succeeded' && m.channel === channel) resolve();
      if (m.event === 'pusher:subscription_error' && m.channel === channel) {
        reject(new Error(`${channel} refused: ${JSON.stringify(m.data)}`));
      }
    });
    pusher.user.bind('pusher:signin_error', (e) => reject(new Error(`sign-in failed: ${JSON.stringify(e)}`)));
  }), `${userId} to be signed in`);
}

async function signIn(t, userId, options = authAs(userId)) {
  const pusher = await connect(t, options);
  const done = signedIn(pusher, userId);
  pusher.signin();
  await done;
  return pusher;
}

/** A pusher-js userAuthentication whose customHandler signs with the pusher SDK. */
function backendSignedUser(userData) {
  return {
    userAuthentication: {
      customHandler: ({ socketId }, callback) => callback(null, backend().authenticateUser(socketId, userData)),
    },
  };
}

test('pusher.signin() through /pusher/user-auth; sendToUser reaches every connection of that user only', async (t) => {
  const [uId, vId] = [uid('u'), uid('v')];
  const u1 = await signIn(t, uId);
  const u2 = await signIn(t, uId);
  const v = await signIn(t, vId);
  assert.equal(u1.user.user_data.id, uId);
  const [u1Got, u2Got, vGot] = [new Inbox('u1'), new Inbox('u2'), new Inbox('v')];
  u1.user.bind('notification.new', u1Got.push);
  u2.user.bind('notification.new', u2Got.push);
  v.user.bind('notification.new', vGot.push);

  await control('/send-to-user', { userId: uId, event: 'notification.new', data: { text: 'for u' } });
  await control('/send-to-user', { userId: vId, event: 'notification.new', data: { text: 'for v' } });
  assert.deepEqual(await u1Got.first(), { text: 'for u' });
  assert.deepEqual(await u2Got.first(), { text: 'for u' });
  assert.deepEqual(await vGot.first(), { text: 'for v' });
  assert.deepEqual(vGot.items, [{ text: 'for v' }], 'v got nothing meant for u');
});

test('the pusher SDK sendToUser (HTTP API on #server-to-user-<id>) reaches the signed-in user', async (t) => {
  const userId = uid('sdk-user');
  const pusher = await signIn(t, userId);
  const received = next(pusher.user, 'invoice.paid');
  await backend().sendToUser(userId, 'invoice.paid', { amount: 12 });
  assert.deepEqual(await received, { amount: 12 });
});

test('Echo signs in through /broadcasting/user-auth with a bearer token', async (t) => {
  const userId = uid('echo-user');
  const e = await echo(t, userId);
  const pusher = e.connector.pusher;
  const done = signedIn(pusher, userId);
  e.connector.signin();
  await done;
  const received = next(pusher.user, 'hello');
  await control('/send-to-user', { userId, event: 'hello', data: { to: userId } });
  assert.deepEqual(await received, { to: userId });
});

test('a sign-in signed by the backend with the pusher SDK is accepted', async (t) => {
  const userId = uid('signed');
  const pusher = await signIn(t, userId, backendSignedUser({ id: userId, name: 'Signed' }));
  assert.deepEqual(pusher.user.user_data, { id: userId, name: 'Signed' });
  const received = next(pusher.user, 'ping');
  await control('/send-to-user', { userId, event: 'ping', data: { ok: 1 } });
  assert.deepEqual(await received, { ok: 1 });
});

test('sign-in without a user at the auth endpoint fails on the client and the connection stays', async (t) => {
  const pusher = await connect(t, {
    userAuthentication: { endpoint: `http://127.0.0.1:${process.env.REALTIME_PORT}/pusher/user-auth` },
  });
  const error = next(pusher.user, 'pusher:signin_error');
  pusher.signin();
  const { status } = await error;
  assert.equal(status, 401);
  assert.equal(pusher.connection.state, 'connected');
});

test('a forged sign-in signature is refused: pusher:error 4009 and the connection is closed', async (t) => {
  const forger = backend('not-the-app-secret');
  const pusher = await connect(t, {
    userAuthentication: {
      customHandler: ({ socketId }, callback) => callback(null, forger.authenticateUser(socketId, { id: 'admin' })),
    },
  });
  const error = next(pusher.connection, 'error', 'the sign-in refusal');
  const disconnected = next(pusher.connection, 'disconnected', 'the connection to close');
  pusher.signin();
  const { data } = await error;
  assert.equal(data.code, 4009);
  await disconnected;
  assert.equal(pusher.user.user_data, null);
});

test('terminate_connections through the pusher SDK closes every connection of that user and no other', async (t) => {
  const [victim, bystander] = [uid('victim'), uid('bystander')];
  const v1 = await signIn(t, victim);
  const v2 = await signIn(t, victim);
  const other = await signIn(t, bystander);
  const closed = [v1, v2].map((p, i) => next(p.connection, 'disconnected', `victim connection ${i + 1} to close`));
  const codes = [v1, v2].map((p) => next(p.connection, 'error', 'the 4009 close'));

  const response = await backend().terminateUserConnections(victim);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), {});
  await Promise.all(closed);
  for (const error of await Promise.all(codes)) {
    assert.equal(error.data.code, 4009);
  }
  // pusher-js does not reconnect after 4009: they stay disconnected.
  assert.equal(v1.connection.state, 'disconnected');
  assert.equal(v2.connection.state, 'disconnected');
  const received = next(other.user, 'still.here');
  await control('/send-to-user', { userId: bystander, event: 'still.here', data: {} });
  await received;
  assert.equal(other.connection.state, 'connected');
});
