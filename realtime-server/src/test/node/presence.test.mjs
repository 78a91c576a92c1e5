// Presence channels: here/joining/leaving through Echo, one user counted once across connections,
// and members signed by the backend.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  Inbox, apiGet, backend, connect, echo, eventually, infoOf, next, subscribed, uid,
} from './helpers.mjs';

const byName = (a, b) => a.name.localeCompare(b.name);

test('Echo here/joining/leaving follow members as they come and go', async (t) => {
  const room = uid('room');
  const [aliceId, bobId] = [uid('alice'), uid('bob')];
  const alice = await echo(t, aliceId);
  const aliceHere = new Inbox('alice here');
  const aliceJoining = new Inbox('alice joining');
  const aliceLeaving = new Inbox('alice leaving');
  alice.join(room).here(aliceHere.push).joining(aliceJoining.push).leaving(aliceLeaving.push);
  assert.deepEqual(await aliceHere.first(), [infoOf(aliceId)]);

  const bob = await echo(t, bobId);
  const bobHere = new Inbox('bob here');
  bob.join(room).here(bobHere.push);
  assert.deepEqual((await bobHere.first()).sort(byName), [infoOf(aliceId), infoOf(bobId)].sort(byName));
  assert.deepEqual(await aliceJoining.first(), infoOf(bobId));

  bob.leave(room);
  assert.deepEqual(await aliceLeaving.first(), infoOf(bobId));
  const members = alice.connector.pusher.channel(`presence-${room}`).members;
  assert.equal(members.count, 1);
  assert.equal(members.me.id, aliceId);
});

test('one user on two connections joins once and leaves only when the last connection leaves', async (t) => {
  const room = uid('room');
  const [watcherId, carolId] = [uid('watcher'), uid('carol')];
  const channelName = `presence-${room}`;

  const watcher = await echo(t, watcherId);
  const joining = new Inbox('watcher joining');
  const leaving = new Inbox('watcher leaving');
  const barrier = new Inbox('watcher barrier');
  const watched = watcher.join(room).joining(joining.push).leaving(leaving.push).listen('.barrier', barrier.push);
  await subscribed(watched.subscription);

  const carol1 = await echo(t, carolId);
  await subscribed(carol1.join(room).subscription);
  assert.deepEqual(await joining.first(), infoOf(carolId));

  const carol2 = await echo(t, carolId);
  const carol2Here = new Inbox('carol2 here');
  carol2.join(room).here(carol2Here.push);
  const here = await carol2Here.first();
  assert.deepEqual(here.sort(byName), [infoOf(carolId), infoOf(watcherId)].sort(byName),
    'carol appears once although she has two connections');

  const sdk = backend();
  await sdk.trigger(channelName, 'barrier', { n: 1 });
  await barrier.nth(1);
  assert.equal(joining.items.length, 1, 'no second member_added for the same user');
  assert.equal(watched.subscription.members.count, 2);

  carol1.disconnect();
  await eventually(async () => (await apiGet(`/channels/${channelName}`, { info: 'subscription_count' })).subscription_count === 2,
    'the server to drop carol\'s first connection');
  await sdk.trigger(channelName, 'barrier', { n: 2 });
  await barrier.nth(2);
  assert.deepEqual(leaving.items, [], 'carol is still present through her second connection');
  const users = await apiGet(`/channels/${channelName}/users`);
  assert.deepEqual(users.users.map((u) => u.id).sort(), [carolId, watcherId].sort());

  carol2.disconnect();
  assert.deepEqual(await leaving.first(), infoOf(carolId));
  assert.equal(watched.subscription.members.count, 1);
  const after = await apiGet(`/channels/${channelName}/users`);
  assert.deepEqual(after.users, [{ id: watcherId }]);
});

test('a presence subscription signed by the backend carries the member it signed', async (t) => {
  const channelName = `presence-${uid('signed')}`;
  const sign = (userId, info) => ({
    channelAuthorization: {
      customHandler: ({ socketId, channelName: name }, callback) =>
        callback(null, backend().authorizeChannel(socketId, name, { user_id: userId, user_info: info })),
    },
  });
  const first = await connect(t, sign('u-1', { name: 'One', role: 'admin' }));
  const firstChannel = first.subscribe(channelName);
  await subscribed(firstChannel);
  const added = next(firstChannel, 'pusher:member_added');

  // user_id as a JSON number: the server treats it as the string "42".
  const second = await connect(t, sign(42, { name: 'Forty-two' }));
  const secondChannel = second.subscribe(channelName);
  await subscribed(secondChannel);

  const member = await added;
  assert.equal(String(member.id), '42');
  assert.deepEqual(member.info, { name: 'Forty-two' });
  const seen = {};
  secondChannel.members.each((m) => { seen[String(m.id)] = m.info; });
  assert.deepEqual(seen, { 'u-1': { name: 'One', role: 'admin' }, 42: { name: 'Forty-two' } });
  const users = await apiGet(`/channels/${channelName}/users`);
  assert.deepEqual(users.users.map((u) => u.id).sort(), ['42', 'u-1']);
});

test('presence channel_data that does not match its signature is refused', async (t) => {
  const a = await connect(t, {
    channelAuthorization: {
      customHandler: ({ socketId, channelName }, callback) => {
        const signed = backend().authorizeChannel(socketId, channelName, { user_id: 'mallory', user_info: {} });
        callback(null, { auth: signed.auth, channel_data: JSON.stringify({ user_id: 'admin', user_info: {} }) });
      },
    },
  });
  const channel = a.subscribe(`presence-${uid('impersonate')}`);
  const error = await next(channel, 'pusher:subscription_error');
  assert.equal(error.type, 'AuthError');
  assert.equal(error.status, 401);
  assert.equal(a.connection.state, 'connected');
});

test('the presence authorizer can deny: Echo .error() gets 403', async (t) => {
  const e = await echo(t, uid('erin'));
  const errors = new Inbox('.error');
  e.join(uid('forbidden')).error(errors.push);
  const error = await errors.first();
  assert.equal(error.status, 403);
});
