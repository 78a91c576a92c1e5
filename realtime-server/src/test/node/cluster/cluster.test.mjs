// Two nodes, one cluster: whatever node a client or a backend talks to, it is as if there were one
// server. Run by ClusterIT once per broker (Redis, RabbitMQ, NATS).
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  Inbox, eventually, next, subscribed, uid,
} from '../helpers.mjs';
import {
  apiGet, backend, connect, echo, env, member, memberIds, presenceLog, signIn, signedAs, sleep,
} from './cluster-helpers.mjs';

const byName = (x, y) => x.name.localeCompare(y.name);

// After a 4009 close (terminate_connections) pusher-js closes a socket the server already closed, and
// the WebSocket library under it arms a 30 s close timer that nothing clears: once every test here is
// done and reported, end the process instead of waiting for it.
test.after(() => setTimeout(() => process.exit(), 1000).unref());

test(`[${env.broker}] events published through node b's HTTP API reach pusher-js subscribers on node a, in order`, async (t) => {
  const news = uid('news');
  const secret = `private-${uid('secret')}`;
  const onA = await connect(t, 'a', signedAs(member(uid('reader'))));
  const newsGot = new Inbox('news on a');
  const secretGot = new Inbox('private on a');
  const newsChannel = onA.subscribe(news);
  const secretChannel = onA.subscribe(secret);
  newsChannel.bind('headline', newsGot.push);
  secretChannel.bind('memo', secretGot.push);
  await Promise.all([subscribed(newsChannel), subscribed(secretChannel)]);

  // published as soon as the subscriptions succeeded: the broker subscription must already be in place
  const sdk = backend('b');
  for (let n = 1; n <= 20; n += 1) {
    await sdk.trigger(news, 'headline', { n });
  }
  await sdk.trigger([news, secret], 'memo', { both: true });
  await sdk.trigger(secret, 'memo', { n: 1 });
  await newsGot.nth(20);
  assert.deepEqual(newsGot.items.map((d) => d.n), Array.from({ length: 20 }, (_, i) => i + 1), 'each once, in order');
  assert.deepEqual(await secretGot.nth(2), { n: 1 });
  assert.deepEqual(secretGot.items, [{ both: true }, { n: 1 }]);
});

test(`[${env.broker}] presence across nodes: here, joining and leaving once per user, tabs on both nodes`, async (t) => {
  const room = uid('room');
  const [watcher, carol, dave] = [member(uid('watcher')), member(uid('carol')), member(uid('dave'))];
  const onA = await echo(t, 'a', watcher);
  const here = new Inbox('watcher here');
  const joining = new Inbox('watcher joining');
  const leaving = new Inbox('watcher leaving');
  const barrier = new Inbox('watcher barrier');
  onA.join(room).here(here.push).joining(joining.push).leaving(leaving.push).listen('.barrier', barrier.push);
  assert.deepEqual(await here.first(), [watcher.info]);

  // carol: one tab on b, then a second one on a
  const carolOnB = await echo(t, 'b', carol);
  const carolHere = new Inbox('carol on b here');
  const carolJoining = new Inbox('carol on b joining');
  carolOnB.join(room).here(carolHere.push).joining(carolJoining.push);
  // Presence across nodes is eventually consistent: b's roster lists the entries b has heard of, and
  // an entry of a that is still on its way through the broker reaches carol right after as member_added.
  const roster = await carolHere.first();
  const seen = roster.some((m) => m.name === watcher.info.name) ? roster : [...roster, await carolJoining.first()];
  assert.deepEqual(seen.sort(byName), [watcher.info, carol.info].sort(byName),
    'a client of b sees the member on a (in its roster, or as member_added right after)');
  assert.deepEqual(await joining.first(), carol.info);
  const carolOnA = await echo(t, 'a', carol);
  await subscribed(carolOnA.join(room).subscription);
  const daveOnB = await echo(t, 'b', dave);
  const daveHere = new Inbox('dave on b here');
  daveOnB.join(room).here(daveHere.push);
  assert.deepEqual((await daveHere.first()).sort(byName), [watcher.info, carol.info, dave.info].sort(byName),
    'carol is listed once although she has a tab on each node');
  assert.deepEqual(await joining.nth(2), dave.info);

  const channelName = `presence-${room}`;
  const sdk = backend('b');
  await sdk.trigger(channelName, 'barrier', { n: 1 });
  await barrier.nth(1);
  assert.deepEqual(joining.items, [carol.info, dave.info], 'no second member_added for carol');

  carolOnB.leave(room); // carol keeps her tab on a
  await eventually(async () => (await apiGet('a', `/channels/${channelName}`, { info: 'subscription_count' })).subscription_count === 3,
    'node a to count 3 subscriptions after carol left on b');
  await sdk.trigger(channelName, 'barrier', { n: 2 });
  await barrier.nth(2);
  assert.deepEqual(leaving.items, [], 'carol is still present through her tab on a');

  carolOnA.leave(room);
  assert.deepEqual(await leaving.first(), carol.info);
  daveOnB.leave(room);
  assert.deepEqual(await leaving.nth(2), dave.info);
  await sdk.trigger(channelName, 'barrier', { n: 3 });
  await barrier.nth(3);
  assert.deepEqual(leaving.items, [carol.info, dave.info], 'each left once');
  assert.deepEqual(memberIds(onA.connector.pusher.channel(channelName)), [watcher.id]);
  for (const node of ['a', 'b']) {
    assert.deepEqual((await apiGet(node, `/channels/${channelName}/users`)).users, [{ id: watcher.id }], `users on ${node}`);
  }
});

test(`[${env.broker}] a member who disconnects from b leaves a's presence list once`, async (t) => {
  const channelName = `presence-${uid('drop')}`;
  const [watcher, erin] = [member(uid('watcher')), member(uid('erin'))];
  const onA = await connect(t, 'a', signedAs(watcher));
  const watched = onA.subscribe(channelName);
  await subscribed(watched);
  const log = presenceLog(watched);
  const onB = await connect(t, 'b', signedAs(erin));
  await subscribed(onB.subscribe(channelName));
  await eventually(() => log.count('added', erin.id) === 1, 'erin added on a');
  onB.disconnect();
  await eventually(() => log.count('removed', erin.id) === 1, 'erin removed on a');
  const barrier = next(watched, 'barrier');
  await backend('b').trigger(channelName, 'barrier', {});
  await barrier;
  assert.deepEqual(log.added, [erin.id], 'added once');
  assert.deepEqual(log.removed, [erin.id], 'removed once');
  assert.deepEqual(memberIds(watched), [watcher.id]);
});

test(`[${env.broker}] sendToUser through node a reaches every tab of a user signed in on node b`, async (t) => {
  const [userId, otherId] = [uid('frank'), uid('grace')];
  const tabs = [await connect(t, 'b', signedAs(member(userId))), await connect(t, 'b', signedAs(member(userId))),
    await connect(t, 'a', signedAs(member(userId)))];
  const other = await connect(t, 'b', signedAs(member(otherId)));
  await Promise.all([...tabs.map((p) => signIn(p, userId)), signIn(other, otherId)]);
  const got = tabs.map((p, i) => {
    const inbox = new Inbox(`tab ${i + 1}`);
    p.user.bind('invoice.paid', inbox.push);
    return inbox;
  });
  const otherGot = new Inbox('other user');
  other.user.bind('invoice.paid', otherGot.push);

  await backend('a').sendToUser(userId, 'invoice.paid', { amount: 12 });
  for (const inbox of got) {
    assert.deepEqual(await inbox.first(), { amount: 12 });
  }
  await backend('a').sendToUser(otherId, 'invoice.paid', { amount: 1 });
  assert.deepEqual(await otherGot.first(), { amount: 1 });
  await sleep(100);
  assert.deepEqual(got.map((i) => i.items.length), [1, 1, 1], 'each tab once');
  assert.deepEqual(otherGot.items, [{ amount: 1 }], 'nothing meant for frank');
});

test(`[${env.broker}] a client event (whisper) sent on node a reaches node b and is not echoed`, async (t) => {
  const name = uid('chat');
  const [alice, bob] = [member(uid('alice')), member(uid('bob'))];
  const onA = await echo(t, 'a', alice);
  const onB = await echo(t, 'b', bob);
  const aFrames = new Inbox('client frames on a');
  onA.connector.pusher.connection.bind('message', (m) => {
    if (m.event.startsWith('client-')) aFrames.push(m);
  });
  const typingOnB = new Inbox('typing on b');
  const acksOnA = new Inbox('acks on a');
  const aChannel = onA.private(name).listenForWhisper('ack', acksOnA.push);
  const bChannel = onB.private(name).listenForWhisper('typing', typingOnB.push);
  await Promise.all([subscribed(aChannel.subscription), subscribed(bChannel.subscription)]);
  // both nodes must know of the other's subscriber before a client event can cross
  await eventually(async () => (await apiGet('a', `/channels/private-${name}`, { info: 'subscription_count' })).subscription_count === 2,
    'node a to count both subscribers');

  aChannel.whisper('typing', { text: 'hel' });
  assert.deepEqual(await typingOnB.first(), { text: 'hel' });
  bChannel.whisper('ack', { seen: true });
  assert.deepEqual(await acksOnA.first(), { seen: true });
  assert.deepEqual(aFrames.items.map((m) => m.event), ['client-ack'], 'a never got its own client-typing back');
});

test(`[${env.broker}] terminate_connections sent to node a closes the user's sockets on node b, and only theirs`, async (t) => {
  const [victim, bystander] = [uid('victim'), uid('bystander')];
  const victims = [await connect(t, 'b', signedAs(member(victim))), await connect(t, 'b', signedAs(member(victim))),
    await connect(t, 'a', signedAs(member(victim)))];
  const other = await connect(t, 'b', signedAs(member(bystander)));
  await Promise.all([...victims.map((p) => signIn(p, victim)), signIn(other, bystander)]);
  const closed = victims.map((p, i) => next(p.connection, 'disconnected', `victim connection ${i + 1} to close`));
  const codes = victims.map((p) => next(p.connection, 'error', 'the 4009 close'));

  const response = await backend('a').terminateUserConnections(victim);
  assert.equal(response.status, 200);
  await Promise.all(closed);
  for (const error of await Promise.all(codes)) {
    assert.equal(error.data.code, 4009);
  }
  const still = next(other.user, 'still.here');
  await backend('a').sendToUser(bystander, 'still.here', {});
  await still;
  assert.equal(other.connection.state, 'connected');
});

test(`[${env.broker}] channel info asked of either node counts the subscribers of both`, async (t) => {
  const prefix = uid('info');
  const name = `${prefix}-public`;
  const room = `presence-${prefix}-room`;
  const [u1, u2] = [member(uid('u1')), member(uid('u2'))];
  const clients = [await connect(t, 'a', signedAs(u1)), await connect(t, 'a', signedAs(u1)), await connect(t, 'b', signedAs(u2))];
  await Promise.all(clients.map((p) => subscribed(p.subscribe(name))));
  await Promise.all(clients.map((p) => subscribed(p.subscribe(room))));

  for (const node of ['a', 'b']) {
    await eventually(async () => {
      const info = await apiGet(node, `/channels/${name}`, { info: 'subscription_count' });
      return info.occupied === true && info.subscription_count === 3;
    }, `node ${node} to count 3 subscriptions of ${name}`);
    // users travel as presence deltas at once, subscription counts every 50 ms: wait for both
    await eventually(async () => {
      const info = await apiGet(node, `/channels/${room}`, { info: 'user_count,subscription_count' });
      return info.occupied === true && info.user_count === 2 && info.subscription_count === 3;
    }, `node ${node} to count 2 users and 3 subscriptions in ${room}`);
    const listed = await apiGet(node, '/channels', { filter_by_prefix: `presence-${prefix}`, info: 'user_count' });
    assert.deepEqual(listed.channels, { [room]: { user_count: 2 } }, `channel list on ${node}`);
    const users = await apiGet(node, `/channels/${room}/users`);
    assert.deepEqual(users.users.map((u) => u.id).sort(), [u1.id, u2.id].sort(), `users on ${node}`);
  }

  clients[2].disconnect(); // the only subscriber on b
  for (const node of ['a', 'b']) {
    await eventually(async () => (await apiGet(node, `/channels/${name}`, { info: 'subscription_count' })).subscription_count === 2,
      `node ${node} to count 2 subscriptions after b's client left`);
  }
  clients[0].disconnect();
  clients[1].disconnect();
  for (const node of ['a', 'b']) {
    await eventually(async () => (await apiGet(node, `/channels/${name}`)).occupied === false, `${name} vacated on ${node}`);
    await eventually(async () => !(room in (await apiGet(node, '/channels', { filter_by_prefix: 'presence-' })).channels),
      `${room} out of node ${node}'s list`);
  }
});
