// toOthers: a backend publishing with the HTTP API's socket_id leaves out that one connection.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Inbox, backend, echo, subscribed, uid } from './helpers.mjs';

async function twoListeners(t, channelOf) {
  const sender = await echo(t, uid('sender'));
  const other = await echo(t, uid('other'));
  const senderGot = new Inbox('sender');
  const otherGot = new Inbox('other');
  await subscribed(channelOf(sender).listen('.message.sent', senderGot.push).subscription);
  await subscribed(channelOf(other).listen('.message.sent', otherGot.push).subscription);
  return { sender, senderGot, otherGot };
}

test('trigger with socket_id (Echo toOthers) skips that socket on a public channel', async (t) => {
  const name = uid('chat');
  const { sender, senderGot, otherGot } = await twoListeners(t, (e) => e.channel(name));
  const sdk = backend();
  await sdk.trigger(name, 'message.sent', { n: 1 }, { socket_id: sender.socketId() });
  await sdk.trigger(name, 'message.sent', { n: 2 });
  assert.deepEqual(await otherGot.nth(2), { n: 2 });
  assert.deepEqual(otherGot.items, [{ n: 1 }, { n: 2 }]);
  assert.deepEqual(await senderGot.first(), { n: 2 });
  assert.deepEqual(senderGot.items, [{ n: 2 }], 'the excluded socket only got the second event');
});

test('batch_events honours socket_id per event on a private channel', async (t) => {
  const name = uid('orders');
  const { sender, senderGot, otherGot } = await twoListeners(t, (e) => e.private(name));
  const channel = `private-${name}`;
  await backend().triggerBatch([
    { channel, name: 'message.sent', data: { n: 1 }, socket_id: sender.socketId() },
    { channel, name: 'message.sent', data: { n: 2 } },
  ]);
  assert.deepEqual(await otherGot.nth(2), { n: 2 });
  assert.deepEqual(await senderGot.first(), { n: 2 });
  assert.deepEqual(senderGot.items, [{ n: 2 }]);
});

test('socket_id on a multi-channel trigger skips that socket on every channel', async (t) => {
  const [n1, n2] = [uid('multi'), uid('multi')];
  const sender = await echo(t, uid('sender'));
  const other = await echo(t, uid('other'));
  const got = { sender: new Inbox('sender'), other: new Inbox('other') };
  for (const [who, e] of [['sender', sender], ['other', other]]) {
    await subscribed(e.channel(n1).listen('.m', got[who].push).subscription);
    await subscribed(e.channel(n2).listen('.m', got[who].push).subscription);
  }
  const sdk = backend();
  await sdk.trigger([n1, n2], 'm', { n: 1 }, { socket_id: sender.socketId() });
  await sdk.trigger(n1, 'm', { n: 2 });
  await got.other.nth(3);
  assert.deepEqual(await got.sender.first(), { n: 2 });
  assert.deepEqual(got.sender.items, [{ n: 2 }]);
});
