// Socket.IO 4.8 behind the thinnest adapter the load generator needs (benchmark use only):
// a client emits "subscribe" with a room name, joins it and hears "subscribed";
// POST /apps/<id>/events with a Pusher-style body {"name","channel"|"channels","data"} emits
// data to the room(s). Socket.IO has no HTTP API of its own; the Pusher signature is not checked.
// Usage: NODE_PATH=.work/node_modules node socketio-server.js [port]
'use strict';
const http = require('http');
const { Server } = require('socket.io');

const port = Number(process.argv[2] || 6002);
const MAX_BODY = 1 << 20;

const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url.startsWith('/apps/')) {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > MAX_BODY) req.destroy();
    });
    req.on('end', () => {
      let event;
      try {
        event = JSON.parse(body);
      } catch (e) {
        res.writeHead(400).end('{"error":"bad JSON"}');
        return;
      }
      const rooms = event.channels || [event.channel];
      for (const room of rooms) io.to(room).emit(event.name, event.data);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
    return;
  }
  if (req.url === '/health') {
    res.writeHead(200).end('ok');
    return;
  }
  res.writeHead(404).end();
});

// WebSocket only, as the load generator speaks it; no per-message deflate (Pusher servers send plain frames too)
const io = new Server(server, { transports: ['websocket'], serveClient: false, perMessageDeflate: false });
io.on('connection', (socket) => {
  socket.on('subscribe', (room) => {
    socket.join(String(room));
    socket.emit('subscribed', String(room));
  });
});

server.listen(port, '127.0.0.1', 511, () => console.log(`socket.io adapter on 127.0.0.1:${port}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
