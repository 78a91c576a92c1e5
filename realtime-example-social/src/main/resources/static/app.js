// The example app's page: plain JavaScript on stock laravel-echo + pusher-js (loaded from /vendor).
// Everything live arrives over one connection: presence-online-users (here / joining / leaving and
// user.status), private-user.timeline.{me} (post.published) and private-post.{id} (post.liked).
'use strict';

const $ = (id) => document.getElementById(id);
const social = { token: null, user: null, echo: null, posts: new Map(), online: new Map() };
window.social = social; // for the curious in devtools, and for the browser tests

async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (social.token) headers.Authorization = `Bearer ${social.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(data.error || `${response.status} ${response.statusText}`);
    error.status = response.status;
    throw error;
  }
  return data;
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (k === 'text') node.textContent = v;
    else if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  children.forEach((c) => node.append(c));
  return node;
}

function timeText(iso) {
  const date = new Date(iso);
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

// --- signing in ---------------------------------------------------------------------------------

async function login(event) {
  event.preventDefault();
  $('login-error').textContent = '';
  try {
    const answer = await api('/api/login', { method: 'POST', body: { username: $('username').value, password: $('password').value } });
    sessionStorage.setItem('social.session', JSON.stringify(answer));
    await start(answer);
  } catch (e) {
    $('login-error').textContent = e.status === 401 ? 'Wrong username or password.' : `Could not sign in: ${e.message}`;
  }
}

function logout() {
  sessionStorage.removeItem('social.session');
  social.echo?.disconnect();
  location.reload();
}

async function start({ token, user }) {
  social.token = token;
  social.user = user;
  $('login').hidden = true;
  $('app').hidden = false;
  $('me').hidden = false;
  $('me-name').textContent = `${user.name} (@${user.username})`;
  $('me-avatar').src = `/avatars/${user.username}.svg`;
  await connect();
  await Promise.all([loadTimeline(), loadOnlineUsers()]);
  $('timeline-heading').focus();
}

// --- the connection ----------------------------------------------------------------------------

async function connect() {
  const config = await api('/api/config');
  const EchoClass = window.Echo.default || window.Echo;
  social.echo = new EchoClass({
    broadcaster: 'pusher',
    key: config.key,
    cluster: '',
    wsHost: config.wsHost,
    wsPort: config.wsPort,
    wssPort: config.wsPort,
    forceTLS: config.forceTLS,
    // where WebSocket is blocked pusher-js falls back to the app's HTTP transports under httpPath
    httpHost: config.wsHost,
    httpPort: config.wsPort,
    httpsPort: config.wsPort,
    httpPath: config.httpPath,
    enabledTransports: config.enabledTransports,
    disableStats: true,
    authEndpoint: config.authEndpoint,
    auth: { headers: { Authorization: `Bearer ${social.token}` } },
  });
  const connection = social.echo.connector.pusher.connection;
  const labels = {
    initialized: 'Connecting…', connecting: 'Connecting…', connected: 'Live', unavailable: 'Reconnecting…',
    failed: 'Realtime unavailable', disconnected: 'Disconnected',
  };
  const show = (state) => {
    $('connection').dataset.state = state;
    const via = state === 'connected' ? ` (${connection.connection?.transport?.name === 'ws' ? 'WebSocket' : 'HTTP fallback'})` : '';
    $('connection').textContent = (labels[state] || state) + via;
  };
  show(connection.state);
  connection.bind('state_change', ({ current }) => show(current));

  social.echo.join('online-users')
    .here((members) => members.forEach((m) => addOnline(m)))
    .joining((m) => addOnline(m))
    .leaving((m) => removeOnline(m.id))
    .listen('.user.status', (e) => statusChanged(e))
    .error((e) => console.warn('online-users refused', e));
  social.echo.private(`user.timeline.${social.user.id}`)
    .listen('.post.published', (e) => addPost(e.post, true))
    .error((e) => console.warn('timeline channel refused', e));
}

// --- online users ------------------------------------------------------------------------------

async function loadOnlineUsers() {
  try {
    const { data } = await api('/api/realtime/online-users');
    data.forEach((u) => addOnline(u));
    $('online-note').textContent = '';
  } catch (e) {
    // presence still lists who has the page open
    $('online-note').textContent = e.status === 403 ? 'Your account may not list online users.' : `Cannot list online users: ${e.message}`;
  }
}

function addOnline(user) {
  const id = String(user.id);
  if (social.online.has(id)) return;
  const item = el('li', { 'data-user-id': id, 'data-status': 'online' },
    el('img', { class: 'avatar', src: user.avatar, alt: '', width: 32, height: 32 }),
    el('span', { class: 'name', text: user.name }),
    el('span', { class: 'dot', 'aria-hidden': 'true' }),
    el('span', { class: 'visually-status muted', text: 'online' }));
  social.online.set(id, item);
  $('online-users').append(item);
  $('online-count').textContent = social.online.size;
}

function removeOnline(id) {
  const item = social.online.get(String(id));
  if (!item) return;
  item.remove();
  social.online.delete(String(id));
  $('online-count').textContent = social.online.size;
}

function statusChanged({ user_id: id, status }) {
  if (status === 'offline') {
    removeOnline(id);
    return;
  }
  const item = social.online.get(String(id));
  if (item) {
    item.dataset.status = status;
    item.querySelector('.visually-status').textContent = status;
  } else {
    loadOnlineUsers();
  }
}

async function setStatus() {
  try {
    await api('/api/realtime/status', { method: 'POST', body: { status: $('status').value } });
  } catch (e) {
    alert(`Could not change the status: ${e.message}`);
  }
}

// --- the timeline ------------------------------------------------------------------------------

async function loadTimeline() {
  try {
    const { posts } = await api('/api/realtime/timeline?per_page=30&page=1');
    posts.data.slice().reverse().forEach((p) => addPost(p, false));
    $('timeline-note').textContent = posts.data.length ? '' : 'No posts in the last two hours yet.';
  } catch (e) {
    $('timeline-note').textContent = e.status === 403 ? 'Your account may not view the timeline.' : `Cannot load the timeline: ${e.message}`;
  }
}

function addPost(post, fresh) {
  if (social.posts.has(post.id)) return;
  const likes = el('button', { type: 'button', class: 'like', 'aria-pressed': String(post.is_liked) });
  const item = el('li', { class: fresh ? 'post new' : 'post', 'data-post-id': post.id },
    el('img', { class: 'avatar', src: `/avatars/${post.user.username}.svg`, alt: '', width: 40, height: 40 }),
    el('article', { 'aria-label': `Post by ${post.user.name}` },
      el('header', {},
        el('strong', { text: post.user.name }),
        post.user.verified ? el('span', { class: 'verified', text: '✔ verified' }) : '',
        el('span', { class: 'handle', text: `@${post.user.username}` }),
        el('time', { datetime: post.created_at, text: timeText(post.created_at) })),
      el('p', { text: post.content }),
      likes));
  const entry = { item, likes, liked: post.is_liked, count: post.likes_count };
  social.posts.set(post.id, entry);
  renderLikes(entry);
  likes.addEventListener('click', () => toggleLike(post.id));
  $('posts').prepend(item);
  $('timeline-note').textContent = '';
  social.echo.private(`post.${post.id}`).listen('.post.liked', (e) => {
    entry.count = e.likes_count;
    renderLikes(entry);
  });
}

function renderLikes(entry) {
  entry.likes.setAttribute('aria-pressed', String(entry.liked));
  entry.likes.innerHTML = '';
  entry.likes.append(entry.liked ? '♥ Liked' : '♡ Like', ' ', el('span', { class: 'likes-count', text: String(entry.count) }));
  entry.likes.setAttribute('aria-label', `${entry.liked ? 'Unlike' : 'Like'} (${entry.count} likes)`);
}

async function toggleLike(id) {
  const entry = social.posts.get(id);
  try {
    const answer = await api(`/api/posts/${id}/like`, { method: entry.liked ? 'DELETE' : 'POST' });
    entry.liked = answer.is_liked;
    entry.count = answer.likes_count;
    renderLikes(entry);
  } catch (e) {
    alert(`Could not like the post: ${e.message}`);
  }
}

async function publish(event) {
  event.preventDefault();
  $('compose-error').textContent = '';
  try {
    const { post } = await api('/api/posts', { method: 'POST', body: { content: $('content').value } });
    addPost(post, true);
    $('content').value = '';
    updateRemaining();
  } catch (e) {
    $('compose-error').textContent = e.message;
  }
}

function updateRemaining() {
  $('remaining').textContent = `${280 - [...$('content').value].length} characters left`;
}

// --- wiring ------------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  $('compose').addEventListener('submit', publish);
  $('content').addEventListener('input', updateRemaining);
  $('status').addEventListener('change', setStatus);
  // leaving the page leaves presence at once, whatever the transport (an HTTP session would otherwise
  // wait for its timeout)
  window.addEventListener('pagehide', () => social.echo?.disconnect());
  const saved = sessionStorage.getItem('social.session');
  if (saved) start(JSON.parse(saved)).catch(() => logout());
});
