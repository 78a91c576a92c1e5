// Channel information through the HTTP API, queried with the pusher SDK's get().
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  apiGet, authAs, backend, connect, eventually, subscribed, uid,
} from './helpers.mjs';

test('GET /channels lists occupied channels, filtered by prefix', async (t) => {
  const prefix = uid('info');
  const a = await connect(t);
  const names = [`${prefix}-one`, `${prefix}-two`];
  await Promise.all(names.map((n) => subscribed(a.subscribe(n))));
  const all = await apiGet('/channels');
  for (const n of names) {
    assert.ok(n in all.channels, `${n} listed in ${JSON.stringify(all)}`);
  }
  const filtered = await apiGet('/channels', { filter_by_prefix: `${prefix}-t` });
  assert.deepEqual(Object.keys(filtered.channels), [`${prefix}-two`]);

  a.unsubscribe(`${prefix}-one`);
  await eventually(async () => !(`${prefix}-one` in (await apiGet('/channels', { filter_by_prefix: prefix })).channels),
    'the vacated channel to leave the list');
});

test('GET /channels with info=user_count counts users on presence channels', async (t) => {
  const room = `presence-${uid('count')}`;
  const userId = uid('counted');
  const a = await connect(t, authAs(userId));
  const b = await connect(t, authAs(userId)); // same user twice: one user
  const c = await connect(t, authAs(uid('other')));
  await Promise.all([a, b, c].map((p) => subscribed(p.subscribe(room))));
  const listed = await apiGet('/channels', { filter_by_prefix: room, info: 'user_count' });
  assert.deepEqual(listed.channels, { [room]: { user_count: 2 } });
});

test('GET /channels/{name} tells occupied and the subscription count', async (t) => {
  const name = uid('single');
  const a = await connect(t);
  const b = await connect(t);
  await Promise.all([a, b].map((p) => subscribed(p.subscribe(name))));
  const info = await apiGet(`/channels/${name}`, { info: 'subscription_count' });
  assert.equal(info.occupied, true);
  assert.equal(info.subscription_count, 2);
  const empty = await apiGet(`/channels/${uid('nobody')}`);
  assert.equal(empty.occupied, false);
});

test('GET /channels/{presence}/users lists each user once; user_count matches', async (t) => {
  const room = `presence-${uid('users')}`;
  const [x, y] = [uid('x'), uid('y')];
  const clients = [await connect(t, authAs(x)), await connect(t, authAs(x)), await connect(t, authAs(y))];
  await Promise.all(clients.map((p) => subscribed(p.subscribe(room))));
  const { users } = await apiGet(`/channels/${room}/users`);
  assert.deepEqual(users.map((u) => u.id).sort(), [x, y].sort());
  const info = await apiGet(`/channels/${room}`, { info: 'user_count,subscription_count' });
  assert.equal(info.occupied, true);
  assert.equal(info.user_count, 2);
  assert.equal(info.subscription_count, 3);
});

test('the HTTP API answers 400 to user queries on non-presence channels', async () => {
  const sdk = backend();
  await assert.rejects(sdk.get({ path: '/channels', params: { info: 'user_count' } }), (e) => e.status === 400);
  await assert.rejects(sdk.get({ path: `/channels/${uid('public')}/users` }), (e) => e.status === 400);
});

test('the HTTP API refuses a request signed with the wrong secret with 401', async () => {
  await assert.rejects(backend('not-the-app-secret').get({ path: '/channels' }), (e) => e.status === 401);
  await assert.rejects(backend('not-the-app-secret').trigger(uid('x'), 'e', {}), (e) => e.status === 401);
});
