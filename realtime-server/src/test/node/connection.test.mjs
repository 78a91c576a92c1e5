// Connecting, public channels and plain server events, with pusher-js and laravel-echo.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  Inbox, apiGet, backend, connect, echo, env, eventually, next, subscribed, transport, uid,
} from './helpers.mjs';

test(`pusher-js connects over ${transport}, the one transport it is allowed`, async (t) => {
  const a = await connect(t);
  // pusher-js's Connection keeps the transport it connected with.
  assert.equal(a.connection.connection.transport.name, transport);
});

test('pusher-js connects and each connection gets its own socket_id of the form digits.digits', async (t) => {
  const a = await connect(t);
  const b = await connect(t);
  assert.match(a.connection.socket_id, /^\d+\.\d+$/);
  assert.match(b.connection.socket_id, /^\d+\.\d+$/);
  assert.notEqual(a.connection.socket_id, b.connection.socket_id);
});

test('pusher-js adopts the activity_timeout the server announces', async (t) => {
  const a = await connect(t);
  // pusher-js keeps min(its own 120 s, the server's value): the harness configures a shorter one.
  assert.equal(a.connection.activityTimeout, env.activityTimeoutSeconds * 1000);
});

test('an idle pusher-js client pings and the server pongs, so the connection stays up', async (t) => {
  // Client-side activity timeout of 1 s: pusher-js sends pusher:ping after 1 s of silence and
  // reconnects (new socket_id) if no answer comes within pongTimeout.
  const a = await connect(t, { activityTimeout: 1000, pongTimeout: 3000 });
  const socketId = a.connection.socket_id;
  const pongs = new Inbox('pusher:pong');
  const states = [];
  a.connection.bind('message', (m) => m.event === 'pusher:pong' && pongs.push(m));
  a.connection.bind('state_change', ({ current }) => states.push(current));
  await pongs.nth(3);
  assert.equal(a.connection.state, 'connected');
  assert.equal(a.connection.socket_id, socketId, 'the connection was not replaced');
  assert.deepEqual(states, [], 'no reconnect happened');
});

test('a public channel delivers events published through the HTTP API with the pusher SDK', async (t) => {
  const a = await connect(t);
  const name = uid('orders');
  const channel = a.subscribe(name);
  await subscribed(channel);
  const received = next(channel, 'order.shipped');
  await backend().trigger(name, 'order.shipped', { id: 7, items: ['a', 'b'] });
  assert.deepEqual(await received, { id: 7, items: ['a', 'b'] });
});

test('laravel-echo listens with the App.Events namespace and with a leading dot', async (t) => {
  const e = await echo(t);
  const name = uid('shop');
  const namespaced = new Inbox('OrderShipped');
  const exact = new Inbox('.order.shipped');
  const channel = e.channel(name).listen('OrderShipped', namespaced.push).listen('.order.shipped', exact.push);
  await subscribed(channel.subscription);
  const sdk = backend();
  await sdk.trigger(name, 'App\\Events\\OrderShipped', { order: 1 });
  await sdk.trigger(name, 'order.shipped', { order: 2 });
  assert.deepEqual(await namespaced.first(), { order: 1 });
  assert.deepEqual(await exact.first(), { order: 2 });
  assert.equal(namespaced.items.length, 1);
});

test('one trigger to several channels and a batch reach every channel', async (t) => {
  const a = await connect(t);
  const [n1, n2, n3] = [uid('multi'), uid('multi'), uid('batch')];
  const channels = [a.subscribe(n1), a.subscribe(n2), a.subscribe(n3)];
  await Promise.all(channels.map((c) => subscribed(c)));
  const got = channels.map((c) => next(c, 'ping.all'));
  const sdk = backend();
  await sdk.trigger([n1, n2], 'ping.all', { n: 1 });
  await sdk.triggerBatch([{ channel: n3, name: 'ping.all', data: { n: 3 } }]);
  assert.deepEqual(await Promise.all(got), [{ n: 1 }, { n: 1 }, { n: 3 }]);
});

test('a string payload published through the HTTP API arrives unchanged', async (t) => {
  const a = await connect(t);
  const name = uid('raw');
  const channel = a.subscribe(name);
  await subscribed(channel);
  const received = next(channel, 'text');
  await backend().trigger(name, 'text', 'plain text, not JSON');
  assert.equal(await received, 'plain text, not JSON');
});

test('after Echo leaves a channel the server stops sending its events', async (t) => {
  const e = await echo(t);
  const left = uid('left');
  const kept = uid('kept');
  // Watched on the connection: pusher-js itself drops events of channels it has left.
  const leftFrames = new Inbox(left);
  const keptFrames = new Inbox(kept);
  e.connector.pusher.connection.bind('message', (m) => {
    if (m.event === 'news' && m.channel === left) leftFrames.push(m.data);
    if (m.event === 'news' && m.channel === kept) keptFrames.push(m.data);
  });
  await subscribed(e.channel(left).subscription);
  await subscribed(e.channel(kept).subscription);
  e.leave(left);
  await eventually(async () => (await apiGet(`/channels/${left}`)).occupied === false,
    `${left} to be vacated after Echo.leave`);
  const sdk = backend();
  await sdk.trigger(left, 'news', { n: 1 });
  await sdk.trigger(kept, 'news', { n: 2 });
  assert.deepEqual(await keptFrames.first(), { n: 2 });
  assert.deepEqual(leftFrames.items, []);
});

test('laravel-echo with broadcaster "pusher" (cluster "") works like "reverb"', async (t) => {
  const e = await echo(t, uid('pusher-broadcaster'), { broadcaster: 'pusher', cluster: '' });
  const name = uid('orders');
  const inbox = new Inbox('.status');
  await subscribed(e.private(name).listen('.status', inbox.push).subscription);
  await backend().trigger(`private-${name}`, 'status', { via: 'pusher broadcaster' });
  assert.deepEqual(await inbox.first(), { via: 'pusher broadcaster' });
});
