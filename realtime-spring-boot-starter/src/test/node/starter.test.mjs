// The real pusher-js 8, laravel-echo 2 and the `pusher` server SDK against a Spring Boot application
// (Tomcat) on the starter, over the transport of the run: channels authorized by @RealtimeChannel
// methods, events broadcast by a @RestController or published through the Pusher HTTP API.
import test from 'node:test';
import assert from 'node:assert/strict';
import PusherServer from 'pusher';
import {
  env, transport, baseUrl, uid, within, pusherAs, echoAs, subscribed, next, broadcast,
} from './helpers.mjs';

test(`pusher-js connects over ${transport}, the one transport it is allowed`, async (t) => {
  const pusher = await pusherAs(t, uid('u'));
  // pusher-js's Connection keeps the transport it connected with.
  assert.equal(pusher.connection.connection.transport.name, transport);
});

test('a private channel authorized by an annotated method receives what the controller broadcasts', async (t) => {
  const user = uid('u');
  const pusher = await pusherAs(t, user);
  const channel = pusher.subscribe(`private-user.${user}`);
  await subscribed(channel);
  const received = next(channel, 'order.shipped');
  await broadcast(`private-user.${user}`, 'order.shipped', { id: 7 });
  assert.deepEqual(await received, { id: 7 });
});

test("another user's private channel is refused with 403 from the annotated method", async (t) => {
  const pusher = await pusherAs(t, uid('u'));
  const channel = pusher.subscribe(`private-user.${uid('other')}`);
  await assert.rejects(subscribed(channel), (e) => e.error?.status === 403);
  assert.equal(pusher.connection.state, 'connected', 'a refused subscription keeps the connection');
});

test('Echo joins a presence channel: here lists the member info the method returned, joining and leaving follow', async (t) => {
  const room = uid('r');
  const alice = uid('alice');
  const bob = uid('bob');
  const echoA = await echoAs(t, alice);
  const joined = [];
  const left = [];
  const here = await within(new Promise((resolve, reject) => {
    echoA.join(`room.${room}`)
      .here(resolve)
      .joining((m) => joined.push(m))
      .leaving((m) => left.push(m))
      .error(reject);
  }), 'here');
  assert.deepEqual(here, [{ name: `User ${alice}`, room }]);
  const echoB = await echoAs(t, bob);
  const hereB = await within(new Promise((resolve) => echoB.join(`room.${room}`).here(resolve)), 'here of bob');
  assert.equal(hereB.length, 2);
  await within((async () => { while (joined.length < 1) await new Promise((r) => setTimeout(r, 20)); })(), 'joining');
  assert.deepEqual(joined, [{ name: `User ${bob}`, room }]);
  echoB.leave(`room.${room}`);
  await within((async () => { while (left.length < 1) await new Promise((r) => setTimeout(r, 20)); })(), 'leaving');
  assert.deepEqual(left, [{ name: `User ${bob}`, room }]);
});

test('a presence channel the method denies is refused', async (t) => {
  const echo = await echoAs(t, uid('u'));
  const error = await within(new Promise((resolve) => echo.join('room.closed').error(resolve)), 'the error');
  assert.equal(error.status, 403);
});

test('Echo private channel with toOthers: the sender is left out', async (t) => {
  const team = uid('t');
  const sender = await echoAs(t, uid('a'));
  const other = await echoAs(t, uid('b'));
  const got = { sender: [], other: [] };
  sender.private(`team.${team}`).listen('.note', (e) => got.sender.push(e));
  const otherChannel = other.private(`team.${team}`);
  const arrived = within(new Promise((resolve) => otherChannel.listen('.note', (e) => { got.other.push(e); resolve(); })), 'the note');
  await within((async () => {
    while (!sender.connector.channels[`private-team.${team}`]?.subscription?.subscribed
      || !other.connector.channels[`private-team.${team}`]?.subscription?.subscribed) {
      await new Promise((r) => setTimeout(r, 20));
    }
  })(), 'both subscribed');
  await broadcast(`private-team.${team}`, 'note', { n: 1 }, sender.socketId());
  await arrived;
  await broadcast(`private-team.${team}`, 'note', { n: 2 });
  await within((async () => { while (got.sender.length < 1) await new Promise((r) => setTimeout(r, 20)); })(), 'the second note');
  assert.deepEqual(got.sender, [{ n: 2 }], 'the sender got only the note sent without its socket id');
});

test('the pusher server SDK publishes through the HTTP API (realtime.http-api.enabled)', async (t) => {
  const user = uid('u');
  const pusher = await pusherAs(t, user);
  const channel = pusher.subscribe(`private-user.${user}`);
  await subscribed(channel);
  const received = next(channel, 'from.sdk');
  const sdk = new PusherServer({ appId: env.appId, key: env.key, secret: env.secret, host: '127.0.0.1', port: String(env.port), useTLS: false });
  const response = await sdk.trigger(`private-user.${user}`, 'from.sdk', { ok: true });
  assert.equal(response.status, 200);
  assert.deepEqual(await received, { ok: true });
  const forged = new PusherServer({ appId: env.appId, key: env.key, secret: 'wrong-secret', host: '127.0.0.1', port: String(env.port), useTLS: false });
  await assert.rejects(forged.trigger(`private-user.${user}`, 'from.sdk', {}), (e) => e.status === 401);
});

test('the auth endpoint answers 401 without a user and 400 for a bad socket id', async () => {
  const anonymous = await fetch(`${baseUrl}/broadcasting/auth`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'socket_id=123.456&channel_name=private-user.x',
  });
  assert.equal(anonymous.status, 401);
  assert.match((await anonymous.json()).error, /not authenticated/);
  const bad = await fetch(`${baseUrl}/broadcasting/auth`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', Authorization: 'Bearer x' },
    body: 'socket_id=nope&channel_name=private-user.x',
  });
  assert.equal(bad.status, 400);
});
