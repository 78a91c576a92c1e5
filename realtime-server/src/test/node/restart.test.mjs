// Reconnect: when the server restarts, pusher-js reconnects and re-subscribes on its own.
// The harness runs test files one at a time, so restarting the server disturbs no other test.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  Inbox, backend, connected, control, echo, infoOf, uid, within,
} from './helpers.mjs';

test('after a server restart Echo reconnects, re-subscribes public, private and presence channels and receives again', async (t) => {
  const userId = uid('phoenix');
  const e = await echo(t, userId);
  const pusher = e.connector.pusher;
  const [pub, priv, room] = [uid('news'), uid('orders'), uid('room')];
  const subscribedCounts = { pub: new Inbox('public subscribed'), priv: new Inbox('private subscribed') };
  const here = new Inbox('presence here');
  const pubGot = new Inbox('public events');
  const privGot = new Inbox('private events');
  const roomGot = new Inbox('presence events');
  e.channel(pub).listen('.n', pubGot.push).subscribed(subscribedCounts.pub.push);
  e.private(priv).listen('.n', privGot.push).subscribed(subscribedCounts.priv.push);
  e.join(room).here(here.push).listen('.n', roomGot.push);
  await Promise.all([subscribedCounts.pub.first(), subscribedCounts.priv.first(), here.first()]);
  const before = pusher.connection.socket_id;

  const states = new Inbox('states');
  pusher.connection.bind('state_change', ({ current }) => states.push(current));
  await control('/restart');

  // pusher-js notices the drop, then comes back by itself with a new socket.
  await within(new Promise((resolve) => {
    const check = () => states.items.includes('connecting') && pusher.connection.state === 'connected';
    if (check()) resolve();
    pusher.connection.bind('state_change', () => check() && resolve());
  }), `a reconnect (states so far: ${JSON.stringify(states.items)})`, 30_000);
  await connected(pusher);
  assert.notEqual(pusher.connection.socket_id, before, 'a new connection after the restart');

  // Re-subscribed everything, authorizing private and presence again with the new socket_id.
  await subscribedCounts.pub.nth(2);
  await subscribedCounts.priv.nth(2);
  assert.deepEqual(await here.nth(2), [infoOf(userId)]);

  const sdk = backend();
  await sdk.trigger(pub, 'n', { after: 'restart' });
  await sdk.trigger(`private-${priv}`, 'n', { after: 'restart' });
  await sdk.trigger(`presence-${room}`, 'n', { after: 'restart' });
  assert.deepEqual(await pubGot.first(), { after: 'restart' });
  assert.deepEqual(await privGot.first(), { after: 'restart' });
  assert.deepEqual(await roomGot.first(), { after: 'restart' });
});
