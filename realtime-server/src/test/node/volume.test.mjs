// Volume over one connection: more than 256 KB of events. Over xhr_streaming pusher-js reopens its
// stream on the same session once it has read 256 KB; the server must lose and repeat nothing across
// the reopen. The same test runs over every transport of the suite.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  backend, connect, eventually, subscribed, transport, uid,
} from './helpers.mjs';

test('more than 256 KB over one connection: every event arrives once, in order', async (t) => {
  const pusher = await connect(t);
  const socket = pusher.connection.connection.transport.socket;
  let reopened = 0;
  if (socket.reconnect) {
    // http_socket.ts calls this.reconnect() when a stream passes 256 KB (and after every poll).
    const reconnect = socket.reconnect.bind(socket);
    socket.reconnect = () => { reopened += 1; reconnect(); };
  }
  const socketId = pusher.connection.socket_id;
  const name = uid('volume');
  const channel = pusher.subscribe(name);
  await subscribed(channel);
  const got = [];
  channel.bind('seq', (data) => got.push(data.n));

  const events = 700;
  const pad = 'x'.repeat(1000);
  const sdk = backend();
  for (let i = 0; i < events; i += 10) {
    const batch = [];
    for (let n = i; n < Math.min(events, i + 10); n += 1) {
      batch.push({ channel: name, name: 'seq', data: { n, pad } });
    }
    await sdk.triggerBatch(batch);
  }
  await eventually(() => got.length >= events, () => `${events} events (got ${got.length})`, 30_000);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(got.length, events, 'no event repeated');
  got.forEach((n, i) => assert.equal(n, i, `event #${i} in order`));
  assert.equal(pusher.connection.socket_id, socketId, 'one connection all along');
  if (transport === 'xhr_streaming') {
    assert.ok(reopened >= 2, `the stream was reopened past 256 KB (${reopened} times for ~${events} KB)`);
  }
});
