#!/usr/bin/env node
/**
 * A local SMTP sink with a web inbox, for the demo: accepts every message on 127.0.0.1:1025,
 * stores each as var/mail/<timestamp>-<id>.eml and lists them on http://127.0.0.1:8025.
 * Nothing is ever relayed. Plain JavaScript so it runs without a build.
 *
 * Environment: MAIL_SINK_SMTP_PORT (1025), MAIL_SINK_HTTP_PORT (8025), MAIL_SINK_DIR (var/mail).
 */
'use strict';

const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { SMTPServer } = require('smtp-server');

const HOST = '127.0.0.1';
const SMTP_PORT = Number(process.env.MAIL_SINK_SMTP_PORT || 1025);
const HTTP_PORT = Number(process.env.MAIL_SINK_HTTP_PORT || 8025);
const MAIL_DIR = path.resolve(process.env.MAIL_SINK_DIR || path.join(__dirname, '..', 'var', 'mail'));
const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
const FILE_NAME = /^[0-9]{13}-[a-f0-9]{12}\.eml$/;

fs.mkdirSync(MAIL_DIR, { recursive: true });

// ---- SMTP ------------------------------------------------------------------------------------

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  banner: 'Throughline demo mail sink (nothing is relayed)',
  size: MAX_MESSAGE_BYTES,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      if (stream.sizeExceeded) {
        const error = new Error('Message exceeds the size limit');
        error.responseCode = 552;
        return callback(error);
      }
      const name = `${Date.now()}-${randomBytes(6).toString('hex')}.eml`;
      // Record the envelope too: Bcc recipients appear nowhere else.
      const envelope =
        `X-Sink-Envelope-From: ${session.envelope.mailFrom ? session.envelope.mailFrom.address : ''}\r\n` +
        `X-Sink-Envelope-To: ${session.envelope.rcptTo.map((rcpt) => rcpt.address).join(', ')}\r\n`;
      fs.writeFile(path.join(MAIL_DIR, name), Buffer.concat([Buffer.from(envelope), ...chunks]), (error) => {
        if (error) {
          console.error(`mail-sink: could not store a message: ${error.message}`);
          const failure = new Error('Could not store the message');
          failure.responseCode = 451;
          return callback(failure);
        }
        callback(null, `Stored as ${name}`);
      });
    });
  },
});
smtp.on('error', (error) => console.error(`mail-sink: SMTP error: ${error.message}`));

// ---- Reading stored messages -----------------------------------------------------------------

/** Decodes RFC 2047 encoded-words (=?UTF-8?B?...?= and =?UTF-8?Q?...?=) as nodemailer writes them. */
function decodeWords(value) {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (word, charset, encoding, text) => {
      try {
        const bytes =
          encoding.toUpperCase() === 'B'
            ? Buffer.from(text, 'base64')
            : Buffer.from(
                text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))),
                'latin1',
              );
        return new TextDecoder(charset.toLowerCase()).decode(bytes);
      } catch {
        return word;
      }
    });
}

/** The header block of a raw message as { lower-case name: first value }, folded lines joined. */
function parseHeaders(raw) {
  const end = raw.search(/\r?\n\r?\n/);
  const block = (end === -1 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const headers = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!(name in headers)) headers[name] = decodeWords(line.slice(colon + 1).trim());
  }
  return headers;
}

function listMessages() {
  return fs
    .readdirSync(MAIL_DIR)
    .filter((name) => FILE_NAME.test(name))
    .sort()
    .reverse()
    .map((file) => {
      // Only the head is needed for the list; attachments can be large.
      const handle = fs.openSync(path.join(MAIL_DIR, file), 'r');
      const head = Buffer.alloc(16 * 1024);
      const length = fs.readSync(handle, head, 0, head.length, 0);
      fs.closeSync(handle);
      const headers = parseHeaders(head.subarray(0, length).toString('utf8'));
      return {
        file,
        subject: headers.subject || '(no subject)',
        from: headers.from || headers['x-sink-envelope-from'] || '',
        to: headers.to || headers['x-sink-envelope-to'] || '',
        date: headers.date || new Date(Number(file.slice(0, 13))).toUTCString(),
        messageId: headers['message-id'] || '',
      };
    });
}

// ---- Web inbox -------------------------------------------------------------------------------

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function inboxPage(messages) {
  const rows = messages
    .map(
      (m) => `<tr>
        <td><a href="/messages/${encodeURIComponent(m.file)}">${escapeHtml(m.subject)}</a></td>
        <td>${escapeHtml(m.to)}</td>
        <td>${escapeHtml(m.from)}</td>
        <td>${escapeHtml(m.date)}</td>
      </tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="10">
<title>Mail sink (${messages.length})</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
  th { background: #f4f4f4; }
  .empty { color: #777; }
</style></head>
<body>
<h1>Mail sink</h1>
<p>Every message the app sent to SMTP 127.0.0.1:${SMTP_PORT}; nothing is relayed. Stored in <code>${escapeHtml(MAIL_DIR)}</code>. Refreshes every 10 s.</p>
${
  messages.length
    ? `<table><thead><tr><th>Subject</th><th>To</th><th>From</th><th>Date</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p class="empty">No messages yet.</p>'
}
</body></html>`;
}

const web = http.createServer((req, res) => {
  const url = new URL(req.url || '/', `http://${HOST}:${HTTP_PORT}`);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  try {
    if (url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(inboxPage(listMessages()));
      return;
    }
    if (url.pathname === '/api/messages') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(listMessages()));
      return;
    }
    const match = /^\/messages\/([^/]+)$/.exec(url.pathname);
    const file = match ? decodeURIComponent(match[1]) : '';
    if (FILE_NAME.test(file) && fs.existsSync(path.join(MAIL_DIR, file))) {
      res.writeHead(200, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Disposition': `inline; filename="${file}"`,
        'X-Content-Type-Options': 'nosniff',
      });
      fs.createReadStream(path.join(MAIL_DIR, file)).pipe(res);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
  } catch (error) {
    res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`Error: ${error.message}\n`);
  }
});

// ---- Start and stop --------------------------------------------------------------------------

function fail(what, error) {
  console.error(`mail-sink: cannot listen for ${what}: ${error.message}`);
  process.exit(1);
}

smtp.server.once('error', (error) => fail(`SMTP on ${HOST}:${SMTP_PORT}`, error));
web.once('error', (error) => fail(`HTTP on ${HOST}:${HTTP_PORT}`, error));

smtp.listen(SMTP_PORT, HOST, () => {
  web.listen(HTTP_PORT, HOST, () => {
    console.log(`mail-sink: SMTP on ${HOST}:${SMTP_PORT}, inbox on http://${HOST}:${HTTP_PORT}, storing in ${MAIL_DIR}`);
  });
});

function stop() {
  web.close();
  smtp.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
