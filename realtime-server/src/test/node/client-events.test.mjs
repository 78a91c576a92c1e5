// Client events (Echo whisper): relayed to the other subscribers, never echoed to the sender.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  Inbox, authAs, connect, echo, eventually, next, subscribed, uid,
} from './helpers.mjs';

/** Records the client- frames a connection receives, whatever pusher-js would do with them. */
function framesOf(e, channelName) {
  const inbox = new Inbox(`client frames on ${channelName}`);
  e.connector.pusher.connection.bind('message', (m) => {
    if (m.channel === channelName && m.event.startsWith('client-')) {
      inbox.push(m);
    }
  });
  return inbox;
}

test('a whisper on a private channel reaches the others and is not echoed to the sender', async (t) => {
  const name = uid('chat');
  const [a, b, c] = [await echo(t, uid('a')), await echo(t, uid('b')), await echo(t, uid('c'))];
  const aFrames = framesOf(a, `private-${name}`);
  const bTyping = new Inbox('b typing');
  const cTyping = new Inbox('c typing');
  const aAcks = new Inbox('a acks');
  const aChannel = a.private(name).listenForWhisper('ack', aAcks.push);
  const bChannel = b.private(name).listenForWhisper('typing', bTyping.push);
  const cChannel = c.private(name).listenForWhisper('typing', cTyping.push);
  await Promise.all([aChannel, bChannel, cChannel].map((ch) => subscribed(ch.subscription)));

  aChannel.whisper('typing', { who: 'a', text: 'hel' });
  assert.deepEqual(await bTyping.first(), { who: 'a', text: 'hel' });
  assert.deepEqual(await cTyping.first(), { who: 'a', text: 'hel' });
  // b answers only after receiving a's whisper; a relayed echo would have reached a before this.
  bChannel.whisper('ack', { seen: true });
  assert.deepEqual(await aAcks.first(), { seen: true });
  assert.deepEqual(aFrames.items.map((m) => m.event), ['client-ack'], 'a never got its own client-typing back');
});

test('a whisper on a presence channel carries the sender\'s user_id and is not echoed', async (t) => {
  const room = uid('room');
  const [aliceId, bobId] = [uid('alice'), uid('bob')];
  const alice = await echo(t, aliceId);
  const bob = await echo(t, bobId);
  const aliceFrames = framesOf(alice, `presence-${room}`);
  const aliceChannel = alice.join(room);
  const bobChannel = bob.join(room);
  await Promise.all([subscribed(aliceChannel.subscription), subscribed(bobChannel.subscription)]);

  const bobGot = new Inbox('bob client-typing');
  bobChannel.subscription.bind('client-typing', bobGot.push);
  const aliceGot = new Inbox('alice client-done');
  aliceChannel.subscription.bind('client-done', aliceGot.push);
  aliceChannel.whisper('typing', { n: 1 });
  assert.deepEqual(await bobGot.first(), { n: 1 });
  assert.deepEqual(bobGot.metadata[0], { user_id: aliceId });
  bobChannel.whisper('done', { n: 2 });
  assert.deepEqual(await aliceGot.first(), { n: 2 });
  assert.deepEqual(aliceGot.metadata[0], { user_id: bobId });
  assert.deepEqual(aliceFrames.items.map((m) => m.event), ['client-done']);
});

test('a client event on a public channel is refused with pusher:error and relayed to no one', async (t) => {
  const name = uid('public-chat');
  const a = await connect(t);
  const b = await connect(t);
  const aChannel = a.subscribe(name);
  const bChannel = b.subscribe(name);
  await Promise.all([subscribed(aChannel), subscribed(bChannel)]);
  const bGot = new Inbox('b client-x');
  bChannel.bind('client-x', bGot.push);
  const error = next(a.connection, 'error', 'pusher:error on the sender');
  aChannel.trigger('client-x', { n: 1 });
  const { type, data } = await error;
  assert.equal(type, 'PusherError');
  assert.equal(typeof data.code, 'number');
  assert.ok(data.code >= 4000 && data.code < 4300, `an error code, not ${data.code}`);
  assert.equal(a.connection.state, 'connected');
  assert.deepEqual(bGot.items, []);
});

test('a burst of client events past the rate limit gets pusher:error 4301 without a disconnect', async (t) => {
  const name = uid('private-burst');
  const a = await connect(t, authAs(uid('burst-a')));
  const b = await connect(t, authAs(uid('burst-b')));
  const aChannel = a.subscribe(name);
  const bChannel = b.subscribe(name);
  await Promise.all([subscribed(aChannel), subscribed(bChannel)]);
  const bGot = new Inbox('b client-burst');
  bChannel.bind('client-burst', bGot.push);
  const errors = new Inbox('errors on a');
  a.connection.bind('error', (e) => errors.push(e));
  const socketId = a.connection.socket_id;
  for (let i = 0; i < 40; i++) {
    aChannel.trigger('client-burst', { i });
  }
  const error = await errors.first();
  assert.equal(error.data.code, 4301);
  // Every event of the burst is either relayed to b or answered with an error to a.
  await eventually(() => bGot.items.length + errors.items.length === 40,
    () => `40 relayed-or-refused events (relayed ${bGot.items.length}, refused ${errors.items.length})`);
  assert.ok(bGot.items.length >= 1 && bGot.items.length < 40, `part of the burst was relayed (got ${bGot.items.length})`);
  assert.ok(errors.items.every((e) => e.data.code === 4301), JSON.stringify(errors.items));
  assert.equal(a.connection.state, 'connected');
  assert.equal(a.connection.socket_id, socketId);
});
