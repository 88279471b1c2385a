// The local llama.cpp server (scripts/llm-server.sh) for tests and benchmarks: started on a
// free port and stopped by whoever started it, plus a recorder in front of it that keeps
// every request and answer, so a test can check what went over the wire (max_tokens, the
// answer's finish_reason and token count) without the app exposing it.
'use strict';
const { execFile } = require('node:child_process');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

const SCRIPT = path.join(__dirname, 'llm-server.sh');

function run(args) {
  return new Promise((resolve, reject) =>
    // The server outlives no test run or bench that started it, even one killed before its teardown.
    execFile(
      'bash',
      [SCRIPT, ...args],
      { maxBuffer: 1 << 20, env: { ...process.env, LLM_SERVER_OWNER_PID: String(process.pid) } },
      (err, stdout, stderr) => (err ? reject(new Error(`llm-server.sh ${args.join(' ')} failed:\n${stderr}`)) : resolve(stdout)),
    ),
  );
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Installs what is missing (once per checkout: xllamacpp and the 98 MB model), starts the
 * server on a free port and resolves once it answers: { url (OPENAI_BASE_URL), model
 * (LLM_MODEL), stop() }. stop() ends only this server.
 */
async function startLocalLlm(opts = {}) {
  const port = opts.port ?? (await freePort());
  const extra = opts.model ? ['--model', opts.model] : [];
  const env = Object.fromEntries(
    [...(await run(['up', '--port', String(port), ...extra])).matchAll(/^export (\w+)='(.*)'$/gm)].map((m) => [m[1], m[2]]),
  );
  return { url: env.OPENAI_BASE_URL, model: env.LLM_MODEL, port, stop: () => run(['down', '--port', String(port)]) };
}

/**
 * An HTTP recorder in front of an OpenAI-compatible `baseUrl`: point the app at its `url`;
 * `exchanges` holds { request, status, response, ms } for each call (bodies parsed as JSON).
 */
function recordLlm(baseUrl) {
  const target = new URL(baseUrl);
  const exchanges = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const started = performance.now();
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url.replace(/^\/v1/, target.pathname),
          headers: req.headers,
        },
        (answer) => {
          const back = [];
          answer.on('data', (c) => back.push(c));
          answer.on('end', () => {
            const text = Buffer.concat(back);
            exchanges.push({ request: parse(body), status: answer.statusCode, response: parse(text), ms: performance.now() - started });
            res.writeHead(answer.statusCode, answer.headers);
            res.end(text);
          });
        },
      );
      upstream.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      // The app gave up (its own deadline): give up upstream too.
      res.on('close', () => upstream.destroy());
      upstream.end(body);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/v1`,
        exchanges,
        close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
      }),
    ),
  );
}

function parse(buf) {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    return buf.toString('utf8');
  }
}

module.exports = { startLocalLlm, recordLlm };
