// The example app's page in headless Chromium (Debian's, driven by playwright-core): Alice and Bob, each in
// a browser of their own, sign in through the page's form and watch each other live: Alice posts and Bob
// sees it without reload; Bob likes it and Alice sees the count change; Bob closes his page and Alice sees
// him leave the online list. Once over WebSocket and once with window.WebSocket removed (pusher-js falls
// back to the app's HTTP transports). Alice's page is on SOCIAL_URL_ALICE, Bob's on SOCIAL_URL_BOB: the
// same app, or two app instances linked by a broker. Screenshots go to SCREENSHOTS.
// Needs Chromium (CHROMIUM_PATH, default /usr/bin/chromium): fails without it when CI is set, skips otherwise.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const ALICE_URL = process.env.SOCIAL_URL_ALICE;
const BOB_URL = process.env.SOCIAL_URL_BOB || ALICE_URL;
const SCREENSHOTS = process.env.SCREENSHOTS || join(tmpdir(), 'social-screenshots');
const LABEL = process.env.SOCIAL_LABEL || 'single';
const WAIT_MS = Number(process.env.SOCIAL_WAIT_MS || 30000);
/** Debian's Chromium, found as `which chromium` finds it (never a browser download). */
function whichChromium() {
  try {
    return execSync('command -v chromium', { shell: '/bin/sh' }).toString().trim();
  } catch (e) {
    return '';
  }
}
const CHROMIUM = process.env.CHROMIUM_PATH || whichChromium() || '/usr/bin/chromium';

const missing = existsSync(CHROMIUM) ? null : `Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH, or apt-get install chromium)`;
if (missing && process.env.CI) {
  test('Chromium is installed for the browser tests', () => assert.fail(`${missing}; CI is set, so this fails`));
}
const skip = !missing ? false : `${missing}; skipped because CI is not set`;
assert.ok(ALICE_URL, 'SOCIAL_URL_ALICE names the app under test');

const browsers = {};
const dirs = [];

/** A browser of its own (its own profile folder) for one user, as two people on two machines. */
async function launch() {
  const dir = mkdtempSync(join(tmpdir(), 'social-chromium-'));
  dirs.push(dir);
  // Playwright refuses --user-data-dir in launch() args: a persistent context takes the folder instead.
  return chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1100, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

before(async () => {
  if (missing) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  browsers.alice = await launch();
  browsers.bob = await launch();
});

after(async () => {
  await browsers.alice?.close();
  await browsers.bob?.close();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

async function userId(base, username) {
  const answer = await fetch(`${base}/api/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }),
  });
  assert.equal(answer.status, 200, `login of ${username}`);
  return (await answer.json()).user.id;
}

/** Opens the page for `username` in their browser and signs in through the form; returns the page and its log. */
async function signIn(t, username, base, withoutWebSocket) {
  const page = await browsers[username].newPage();
  const log = [];
  page.on('console', (m) => log.push(`console.${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`page error: ${e.message}`));
  if (withoutWebSocket) {
    // as behind a proxy that blocks WebSocket: pusher-js finds none and falls back to HTTP
    await page.addInitScript(() => { delete window.WebSocket; window.WebSocket = undefined; });
  }
  const response = await page.goto(`${base}/`);
  assert.equal(response.status(), 200, `${username}: the page loads`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  try {
    await page.locator('#connection[data-state="connected"]').waitFor({ timeout: WAIT_MS });
  } catch (e) {
    assert.fail(`${username}'s page did not connect: ${plain(e)}\nbrowser log:\n  ${log.join('\n  ')}`);
  }
  return { page, log };
}

/** Playwright's message without its terminal colours (node's JUnit report must stay valid XML). */
const plain = (e) => String(e?.message ?? e).replace(/\u001b\[[0-9;]*m/g, '');

/** Waits for `locator` (in `state`), failing with `what` and both browsers' logs. */
async function expectTo(locator, what, logs, state = 'visible') {
  try {
    await locator.waitFor({ state, timeout: WAIT_MS });
  } catch (e) {
    assert.fail(`${what}: ${plain(e)}${logs()}`);
  }
}

/** Waits until `page`'s presence-online-users membership does (or does not) hold user `id`. */
async function expectPresence(page, id, present, what, logs) {
  await page.waitForFunction(([userId, wanted]) => {
    const members = window.social.echo.connector.channels['presence-online-users']?.subscription?.members;
    return Boolean(members && members.get(String(userId))) === wanted;
  }, [id, present], { timeout: WAIT_MS }).catch((e) => assert.fail(`${what}: ${plain(e)}${logs()}`));
}

const transportOf = (page) => page.evaluate(() => window.social.echo.connector.pusher.connection.connection.transport.name);

for (const mode of ['websocket', 'http-fallback']) {
  const withoutWebSocket = mode === 'http-fallback';
  test(`${mode}: Alice posts and Bob sees it; Bob likes and Alice sees the count; Bob leaves and Alice sees him go`,
    { skip }, async (t) => {
      const [aliceId, bobId] = [await userId(ALICE_URL, 'alice'), await userId(BOB_URL, 'bob')];
      const alice = await signIn(t, 'alice', ALICE_URL, withoutWebSocket);
      const bob = await signIn(t, 'bob', BOB_URL, withoutWebSocket);
      t.after(() => alice.page.close());
      const logs = () => `\nalice's browser:\n  ${alice.log.join('\n  ')}\nbob's browser:\n  ${bob.log.join('\n  ')}`;

      for (const page of [alice.page, bob.page]) {
        const transport = await transportOf(page);
        if (withoutWebSocket) {
          assert.equal(await page.evaluate(() => typeof window.WebSocket), 'undefined');
          assert.ok(['xhr_streaming', 'xhr_polling'].includes(transport), `an HTTP fallback, not ${transport}`);
        } else {
          assert.equal(transport, 'ws');
        }
      }
      // each sees the other online (presence here / joining)
      await expectTo(alice.page.locator(`#online-users li[data-user-id="${bobId}"]`), 'Bob in Alice\'s online list', logs);
      await expectTo(bob.page.locator(`#online-users li[data-user-id="${aliceId}"]`), 'Alice in Bob\'s online list', logs);
      // and as members of the presence channel itself (across nodes when the pages are on two)
      await expectPresence(alice.page, bobId, true, 'Bob a member of presence-online-users on Alice\'s page', logs);
      await expectPresence(bob.page, aliceId, true, 'Alice a member of presence-online-users on Bob\'s page', logs);

      // Alice posts; Bob (who follows her) sees it without a reload
      const text = `Hello from Alice over ${mode} (${LABEL}) ${Date.now()}`;
      await alice.page.getByLabel("What's happening?").fill(text);
      await alice.page.getByRole('button', { name: 'Post' }).click();
      const alicePost = alice.page.locator('li.post', { hasText: text });
      await expectTo(alicePost, 'Alice\'s post on her own page', logs);
      const postId = await alicePost.getAttribute('data-post-id');
      const bobPost = bob.page.locator(`li.post[data-post-id="${postId}"]`);
      await expectTo(bobPost, `Alice's post ${postId} on Bob's page`, logs);
      assert.equal(await bob.page.evaluate(() => performance.getEntriesByType('navigation').length), 1, 'no reload');
      assert.match(await bobPost.textContent(), /Hello from Alice/);

      // Bob likes it; Alice's page shows the new count (once her page holds private-post.{id})
      await alice.page.waitForFunction((id) => window.social.echo.connector.channels[`private-post.${id}`]?.subscription?.subscribed,
        postId, { timeout: WAIT_MS }).catch((e) => assert.fail(`Alice's page never held private-post.${postId}: ${plain(e)}${logs()}`));
      await bobPost.getByRole('button', { name: /Like/ }).click();
      await expectTo(alice.page.locator(`li.post[data-post-id="${postId}"] .likes-count`, { hasText: /^1$/ }),
        `1 like on post ${postId} on Alice's page`, logs);
      await alice.page.screenshot({ path: join(SCREENSHOTS, `${LABEL}-${mode}-alice.png`), fullPage: true });
      await bob.page.screenshot({ path: join(SCREENSHOTS, `${LABEL}-${mode}-bob.png`), fullPage: true });

      // Bob closes his page; Alice sees him leave the online list
      await bob.page.close({ runBeforeUnload: true });
      await expectTo(alice.page.locator(`#online-users li[data-user-id="${bobId}"]`),
        'Bob gone from Alice\'s online list after he closed his page', logs, 'detached');
      await expectPresence(alice.page, bobId, false, 'Bob no longer a member of presence-online-users on Alice\'s page', logs);
      await alice.page.screenshot({ path: join(SCREENSHOTS, `${LABEL}-${mode}-alice-after-bob-left.png`), fullPage: true });
    });
}
