// Faults: the broker goes away under load and comes back, a node is paused past the node timeout
// (SIGSTOP) and resumed, a node is killed (SIGKILL). Run by ClusterIT after cluster.test.mjs, once per
// broker; the nodes run with a short heartbeat and node timeout (env.heartbeatMs, env.nodeTimeoutMs).
import test from 'node:test';
import assert from 'node:assert/strict';
import { eventually, next, subscribed, uid } from '../helpers.mjs';
import {
  apiGet, backend, connect, control, env, member, memberIds, presenceLog, signedAs, sleep,
} from './cluster-helpers.mjs';

/** How long the harness may take to notice a dead node: the timeout, a check interval, one heartbeat, some slack. */
const DOWN_WITHIN_MS = env.nodeTimeoutMs + 1000;

/** Presence users of `channel` as each node's HTTP API lists them, sorted. */
async function usersOn(node, channel) {
  return (await apiGet(node, `/channels/${channel}/users`)).users.map((u) => String(u.id)).sort();
}

/** Publishes `tick` events with a sequence number through `node`'s HTTP API every `everyMs` until stopped. */
function publisher(node, channel, everyMs) {
  const sdk = backend(node);
  const state = { seq: 0, accepted: [], failed: 0, running: true };
  state.done = (async () => {
    while (state.running) {
      const seq = state.seq + 1;
      state.seq = seq;
      try {
        const response = await sdk.trigger(channel, 'tick', { seq });
        if (response.status === 200) state.accepted.push(seq);
      } catch (e) {
        state.failed += 1;
      }
      await sleep(everyMs);
    }
  })();
  state.stop = async () => {
    state.running = false;
    await state.done;
  };
  return state;
}

/** Collects the seq numbers of `tick` on a channel. */
function ticks(channel) {
  const seqs = [];
  channel.bind('tick', (d) => seqs.push(d.seq));
  return seqs;
}

const increasing = (seqs) => seqs.every((s, i) => i === 0 || s > seqs[i - 1]);

for (const [what, outageMs] of [['short', 300], ['longer than the node timeout', env.nodeTimeoutMs + 1000]]) {
test(`[${env.broker}] broker outage (${what}) under load: local delivery goes on, cross-node delivery and presence recover by themselves, no member is lost`, async (t) => {
  const load = uid('load');
  const room = `presence-${uid('outage')}`;
  const [watcher, stayer, leaver, newcomer] = ['watcher', 'stayer', 'leaver', 'newcomer'].map((n) => member(uid(n)));
  const watcherOnA = await connect(t, 'a', signedAs(watcher));
  const aRoom = watcherOnA.subscribe(room);
  const aLoad = watcherOnA.subscribe(load);
  await Promise.all([subscribed(aRoom), subscribed(aLoad)]);
  const aLog = presenceLog(aRoom);
  const aTicks = ticks(aLoad);
  const leaverOnA = await connect(t, 'a', signedAs(leaver));
  await subscribed(leaverOnA.subscribe(room));
  const stayerOnB = await connect(t, 'b', signedAs(stayer));
  const bRoom = stayerOnB.subscribe(room);
  const bLoad = stayerOnB.subscribe(load);
  await Promise.all([subscribed(bRoom), subscribed(bLoad)]);
  const bLog = presenceLog(bRoom);
  const bTicks = ticks(bLoad);
  await eventually(() => memberIds(aRoom).length === 3, () => `a to see 3 members (has ${memberIds(aRoom)})`);

  const flow = publisher('b', load, 20);
  t.after(() => flow.stop());
  await eventually(() => aTicks.length >= 10, 'ticks published on b to reach a before the outage');

  await control('/broker/down');
  const downAt = flow.seq;
  // while the broker is away: b still serves its own subscribers; presence changes on both sides
  const newcomerOnB = await connect(t, 'b', signedAs(newcomer));
  await subscribed(newcomerOnB.subscribe(room));
  leaverOnA.disconnect();
  await eventually(() => bTicks.some((s) => s > downAt + 10), 'b\'s own subscriber to keep receiving during the outage');
  await sleep(outageMs);
  await control('/broker/up');
  const upAt = flow.seq;

  await eventually(() => aTicks.some((s) => s > upAt), 'ticks published on b after the outage to reach a again', 20_000);
  await eventually(() => memberIds(aRoom).includes(newcomer.id), 'a to see the newcomer who joined on b during the outage', 20_000);
  await eventually(() => !memberIds(bRoom).includes(leaver.id), 'b to drop the leaver who left a during the outage', 20_000);
  await flow.stop();
  await sleep(env.heartbeatMs * 3);

  assert.ok(increasing(aTicks), `a got each tick at most once and in order: ${aTicks}`);
  assert.deepEqual(bTicks, flow.accepted, 'b\'s own subscriber got every accepted tick, in order, outage or not');
  const expected = [watcher.id, stayer.id, newcomer.id].sort();
  assert.deepEqual(memberIds(aRoom), expected, 'a\'s client');
  assert.deepEqual(memberIds(bRoom), expected, 'b\'s client');
  assert.deepEqual(await usersOn('a', room), expected, 'node a');
  assert.deepEqual(await usersOn('b', room), expected, 'node b');
  assert.equal(aLog.count('added', newcomer.id), 1, 'newcomer added once on a');
  assert.equal(bLog.count('removed', leaver.id), 1, 'leaver removed once on b');
  console.log(`[${env.broker}] ${what} outage: ticks ${downAt}..${upAt} published during it, a got ${aTicks.length} of ${flow.accepted.length}; `
    + `a heard stayer removed ${aLog.count('removed', stayer.id)}x, b heard watcher removed ${bLog.count('removed', watcher.id)}x`);
  assert.equal(aLog.count('removed', stayer.id), 0, 'a broker outage does not take b\'s members away on a');
  assert.equal(bLog.count('removed', watcher.id), 0, 'nor a\'s on b');
});
}

test(`[${env.broker}] a node paused (SIGSTOP) past the node timeout is declared down, then comes back once, without ghosts`, async (t) => {
  const room = `presence-${uid('pause')}`;
  const [watcher, bob, carol] = ['watcher', 'bob', 'carol'].map((n) => member(uid(n)));
  const watcherOnA = await connect(t, 'a', signedAs(watcher));
  const aRoom = watcherOnA.subscribe(room);
  await subscribed(aRoom);
  const aLog = presenceLog(aRoom);
  const carolOnA = await connect(t, 'a', signedAs(carol));
  await subscribed(carolOnA.subscribe(room));
  const bobOnB = await connect(t, 'b', signedAs(bob));
  const carolOnB = await connect(t, 'b', signedAs(carol));
  const bRoom = bobOnB.subscribe(room);
  await Promise.all([subscribed(bRoom), subscribed(carolOnB.subscribe(room))]);
  const bLog = presenceLog(bRoom);
  await eventually(() => memberIds(aRoom).length === 3, () => `a to see 3 members (has ${memberIds(aRoom)})`);

  const pausedAt = Date.now();
  await control('/node/pause', { node: 'b' });
  let resumed = false;
  t.after(async () => {
    if (!resumed) await control('/node/resume', { node: 'b' });
  });
  await eventually(() => aLog.count('removed', bob.id) === 1, 'bob (only on b) to leave a\'s list', DOWN_WITHIN_MS + 2000);
  const declaredAfter = Date.now() - pausedAt;
  assert.ok(declaredAfter <= DOWN_WITHIN_MS, `b declared down ${declaredAfter} ms after the pause (node timeout ${env.nodeTimeoutMs} ms)`);
  assert.deepEqual(memberIds(aRoom), [carol.id, watcher.id].sort(), 'carol stays: she has a tab on a');
  await sleep(1000);
  await control('/node/resume', { node: 'b' });
  resumed = true;

  await eventually(() => aLog.count('added', bob.id) === 2, 'bob back on a once b is heard again', 20_000);
  await sleep(env.heartbeatMs * 4); // more heartbeats and digests: nothing more may happen
  const barriers = [next(aRoom, 'barrier'), next(bRoom, 'barrier')];
  await backend('a').trigger(room, 'barrier', {});
  await Promise.all(barriers);

  assert.equal(aLog.count('added', bob.id), 2, 'bob added once after the pause (and once before)');
  assert.equal(aLog.count('removed', bob.id), 1, 'bob removed once');
  assert.equal(aLog.count('removed', carol.id), 0, 'carol never left');
  assert.equal(aLog.count('added', carol.id), 1, 'carol added when she came, never again');
  assert.deepEqual(bLog.removed, [], 'b was the one paused: it declared no one down');
  const expected = [bob.id, carol.id, watcher.id].sort();
  assert.deepEqual(memberIds(aRoom), expected, 'a\'s client');
  assert.deepEqual(memberIds(bRoom), expected, 'b\'s client');
  assert.deepEqual(await usersOn('a', room), expected, 'node a, no ghost');
  assert.deepEqual(await usersOn('b', room), expected, 'node b, no ghost');
});

test(`[${env.broker}] a node stopped cleanly (SIGTERM) takes its members away at once, each once`, async (t) => {
  const room = `presence-${uid('stop')}`;
  const [watcher, bob, carol] = ['watcher', 'bob', 'carol'].map((n) => member(uid(n)));
  const watcherOnA = await connect(t, 'a', signedAs(watcher));
  const aRoom = watcherOnA.subscribe(room);
  await subscribed(aRoom);
  const carolOnA = await connect(t, 'a', signedAs(carol));
  await subscribed(carolOnA.subscribe(room));
  const onB = [await connect(t, 'b', signedAs(bob)), await connect(t, 'b', signedAs(bob)), await connect(t, 'b', signedAs(carol))];
  await Promise.all(onB.map((p) => subscribed(p.subscribe(room))));
  await eventually(() => memberIds(aRoom).length === 3, () => `a to see 3 members (has ${memberIds(aRoom)})`);
  const aLog = presenceLog(aRoom);

  const stoppedAt = Date.now();
  const stopping = control('/node/stop', { node: 'b' });
  t.after(() => control('/node/start', { node: 'b' }));
  await eventually(() => aLog.count('removed', bob.id) === 1, 'bob (only on b) to leave a\'s list', 15_000);
  const removedAfter = Date.now() - stoppedAt;
  await stopping;
  for (const p of onB) p.disconnect(); // they would reconnect to b once it is back
  console.log(`[${env.broker}] clean stop: bob removed on a ${removedAfter} ms after SIGTERM`);
  assert.ok(removedAfter < env.nodeTimeoutMs / 2, `bob removed ${removedAfter} ms after SIGTERM: a clean stop needs no node timeout`);
  await sleep(env.nodeTimeoutMs); // a whole timeout more: nothing more may happen
  const barrier = next(aRoom, 'barrier');
  await backend('a').trigger(room, 'barrier', {});
  await barrier;
  assert.deepEqual(aLog.removed, [bob.id], 'bob removed once, carol (a tab on a) never');
  assert.deepEqual(aLog.added, []);
  assert.deepEqual(await usersOn('a', room), [carol.id, watcher.id].sort());
});

test(`[${env.broker}] a node killed (SIGKILL) loses its members on the other node within the node timeout, once`, async (t) => {
  const room = `presence-${uid('kill')}`;
  const [watcher, watcher2, bob, carol] = ['watcher', 'watcher2', 'bob', 'carol'].map((n) => member(uid(n)));
  const watchers = [await connect(t, 'a', signedAs(watcher)), await connect(t, 'a', signedAs(watcher2))];
  const aRooms = watchers.map((p) => p.subscribe(room));
  await Promise.all(aRooms.map((r) => subscribed(r)));
  const aLogs = aRooms.map((r) => presenceLog(r));
  const carolOnA = await connect(t, 'a', signedAs(carol));
  await subscribed(carolOnA.subscribe(room));
  const onB = [await connect(t, 'b', signedAs(bob)), await connect(t, 'b', signedAs(bob)), await connect(t, 'b', signedAs(carol))];
  await Promise.all(onB.map((p) => subscribed(p.subscribe(room))));
  await eventually(() => aRooms.every((r) => memberIds(r).length === 4), 'a\'s clients to see 4 members');

  const killedAt = Date.now();
  await control('/node/kill', { node: 'b' });
  await Promise.all(aLogs.map((log, i) => eventually(() => log.count('removed', bob.id) === 1,
    `bob to leave the list of a's client ${i + 1}`, DOWN_WITHIN_MS + 2000)));
  const removedAfter = Date.now() - killedAt;
  assert.ok(removedAfter <= DOWN_WITHIN_MS, `bob removed ${removedAfter} ms after the kill (node timeout ${env.nodeTimeoutMs} ms)`);
  for (const p of onB) p.disconnect(); // they would reconnect to b once it is back
  await sleep(env.nodeTimeoutMs); // another timeout: nothing more may happen
  const barriers = aRooms.map((r) => next(r, 'barrier'));
  await backend('a').trigger(room, 'barrier', {});
  await Promise.all(barriers);
  for (const [i, log] of aLogs.entries()) {
    assert.deepEqual(log.removed, [bob.id], `a's client ${i + 1}: bob removed exactly once, carol (a tab on a) never`);
  }
  const expected = [carol.id, watcher.id, watcher2.id].sort();
  assert.deepEqual(await usersOn('a', room), expected, 'node a');
  assert.deepEqual(memberIds(aRooms[0]), expected);
  console.log(`[${env.broker}] kill: bob removed on a ${removedAfter} ms after SIGKILL (node timeout ${env.nodeTimeoutMs} ms)`);

  await control('/node/start', { node: 'b' }); // a restarted node joins again and sees the cluster's members
  const late = await connect(t, 'b', signedAs(bob));
  const lateRoom = late.subscribe(room);
  await subscribed(lateRoom);
  await eventually(() => JSON.stringify(memberIds(lateRoom)) === JSON.stringify([bob.id, ...expected].sort()),
    () => `the restarted b to know a's members (has ${memberIds(lateRoom)})`);
  await eventually(() => aLogs[0].count('added', bob.id) === 2, 'a to see bob again, through the restarted b');
});
