// Cache channels: a new subscriber gets the channel's last event, or pusher:cache_miss.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  Inbox, authAs, backend, connect, echo, subscribed, uid,
} from './helpers.mjs';

/** Every frame the connection receives on `channelName` (after subscription_succeeded). */
function framesOn(pusher, channelName) {
  const inbox = new Inbox(`frames on ${channelName}`);
  pusher.connection.bind('message', (m) => {
    if (m.channel === channelName && !m.event.startsWith('pusher_internal:')) inbox.push(m);
  });
  return inbox;
}

test('a cache channel with no event yet answers pusher:cache_miss', async (t) => {
  const name = uid('cache-prices');
  const a = await connect(t);
  const frames = framesOn(a, name);
  const misses = new Inbox('pusher:cache_miss');
  const channel = a.subscribe(name);
  channel.bind('pusher:cache_miss', misses.push);
  await subscribed(channel);
  await misses.first();
  assert.deepEqual(frames.items.map((m) => m.event), ['pusher:cache_miss']);
});

test('a new subscriber to a cache channel gets the last event, once, and no cache_miss', async (t) => {
  const name = uid('cache-prices');
  const publisher = backend();
  await publisher.trigger(name, 'price', { v: 1 });
  await publisher.trigger(name, 'price', { v: 2 });

  const a = await connect(t);
  const frames = framesOn(a, name);
  const prices = new Inbox('price');
  const channel = a.subscribe(name);
  channel.bind('price', prices.push);
  await subscribed(channel);
  assert.deepEqual(await prices.first(), { v: 2 });

  await publisher.trigger(name, 'price', { v: 3 });
  assert.deepEqual(await prices.nth(2), { v: 3 });
  assert.deepEqual(frames.items.map((m) => [m.event, m.data]), [['price', { v: 2 }], ['price', { v: 3 }]]);
});

test('the last event is replayed to a subscriber that arrives after the others received it', async (t) => {
  const name = uid('cache-score');
  const first = await connect(t);
  const firstChannel = first.subscribe(name);
  await subscribed(firstChannel);
  const firstGot = new Inbox('first');
  firstChannel.bind('score', firstGot.push);
  await backend().trigger(name, 'score', { home: 1, away: 0 });
  await firstGot.first();

  const late = await connect(t);
  const lateGot = new Inbox('late');
  const lateChannel = late.subscribe(name);
  lateChannel.bind('score', lateGot.push);
  assert.deepEqual(await lateGot.first(), { home: 1, away: 0 });
  assert.deepEqual(firstGot.items, [{ home: 1, away: 0 }], 'the replay went to the newcomer only');
});

test('a private cache channel through Echo replays its last event after authorization', async (t) => {
  const name = uid('cache-orders');
  await backend().trigger(`private-${name}`, 'status', { state: 'paid' });
  const e = await echo(t, uid('buyer'));
  const got = new Inbox('status');
  e.private(name).listen('.status', got.push);
  assert.deepEqual(await got.first(), { state: 'paid' });
});

test('a presence cache channel answers cache_miss to its first member', async (t) => {
  const room = uid('presence-cache-room');
  const a = await connect(t, authAs(uid('m')));
  const channel = a.subscribe(room);
  const miss = new Inbox('cache_miss');
  channel.bind('pusher:cache_miss', miss.push);
  await subscribed(channel);
  await miss.first();
  assert.equal(channel.members.count, 1);
});
