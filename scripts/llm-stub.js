#!/usr/bin/env node
// A local OpenAI-compatible chat-completions server for tests and manual runs.
//   npm run llm:stub -- --port 4010 [--latency 200]
//   then: OPENAI_API_KEY=stub OPENAI_BASE_URL=http://127.0.0.1:4010/v1 npm start
// Tests script its answers: stub.script(['429', '500', 'ok', 'timeout', 'bad-json', 'wrong-shape', 'truncated']),
// plus '429:<seconds>' (that Retry-After), 'slow:<ms>' (a good answer after that long),
// 'length' (an answer cut at max_tokens), 'no-disclosure' / 'buried-disclosure' (a caption
// without #ad, or with it after the cut) and 'no-json-schema' (a server without structured
// outputs: 400 for a json_schema response_format, a good answer otherwise).
// inFlight / maxInFlight count requests the stub has received and not yet answered.
'use strict';
const http = require('node:http');

const GOOD = {
  caption: 'Meet the serum that does the glow for you. #ad',
  hook_ideas: ['POV: your skin finally behaves', 'I tried it for 7 days', 'The 20-second routine'],
  hashtags: ['#skincare', '#glowup', '#ad'],
  cta: 'Tap the link for 20% off',
  tone: 'Upbeat and candid',
};

/** A caption longer than the 100 characters before which the disclosure must come. */
const BURIED =
  'Meet the serum that does the glow for you: thirty seconds in the morning, no filter needed, and your skin finally behaves all day';

function startLlmStub({ port = 0, latencyMs = 0 } = {}) {
  const state = { calls: 0, queue: [], latencyMs, requests: [], inFlight: 0, maxInFlight: 0 };
  const reply = (res, status, body, headers = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const completion = (content) => ({
    id: 'chatcmpl-stub',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: 'stub-model',
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
  });
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) return reply(res, 404, { error: { message: 'not found' } });
      state.calls++;
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      // 'close' also fires when the client gives up on an answer that never comes.
      res.on('close', () => state.inFlight--);
      try {
        state.requests.push(JSON.parse(body));
      } catch {
        /* recorded as-is below */
      }
      const [mode, arg] = (state.queue.length ? state.queue.shift() : 'ok').split(':');
      const send = () => {
        switch (mode) {
          case 'ok':
            return reply(res, 200, completion(JSON.stringify(GOOD)));
          case '429':
            return reply(res, 429, { error: { message: 'rate limited' } }, { 'Retry-After': arg ?? '0' });
          case '500':
            return reply(res, 500, { error: { message: 'boom' } });
          case '401':
            return reply(res, 401, { error: { message: 'bad key' } });
          case 'bad-json':
            return reply(res, 200, completion('this is not json'));
          case 'length': // what a server answers when max_tokens ran out mid-string
            return reply(res, 200, {
              ...completion(JSON.stringify(GOOD).slice(0, 40)),
              choices: [{ index: 0, finish_reason: 'length', message: { role: 'assistant', content: JSON.stringify(GOOD).slice(0, 40) } }],
            });
          case 'no-disclosure': // a writer that leaves the disclosure out of the caption
            return reply(res, 200, completion(JSON.stringify({ ...GOOD, caption: 'Meet the serum that does the glow for you.' })));
          case 'buried-disclosure': // ... or puts it after the platform's "more" cut
            return reply(res, 200, completion(JSON.stringify({ ...GOOD, caption: `${BURIED} #skincare #ad` })));
          case 'wrong-shape':
            return reply(res, 200, completion(JSON.stringify({ caption: 'x', hashtags: ['nohash'] })));
          case 'truncated':
            res.writeHead(200, { 'Content-Type': 'application/json' });
            return res.end('{"id":"chatcmpl-stub","choices":[{"mess');
          case 'no-json-schema': {
            // What llama.cpp builds from before structured outputs answered (Ollama and vLLM word it alike).
            const type = state.requests.at(-1)?.response_format?.type;
            if (type === 'json_schema')
              return reply(res, 400, {
                error: { message: `response_format type must be one of "text" or "json_object", but got: ${type}` },
              });
            return reply(res, 200, completion(JSON.stringify(GOOD)));
          }
          case 'slow':
            return setTimeout(() => reply(res, 200, completion(JSON.stringify(GOOD))), Number(arg));
          case 'timeout':
            return; // never answers; the client's timeout fires
          default:
            return reply(res, 500, { error: { message: `unknown stub mode ${mode}` } });
        }
      };
      if (state.latencyMs > 0 && mode !== 'timeout') setTimeout(send, state.latencyMs);
      else send();
    });
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address();
      resolve({
        url: `http://127.0.0.1:${actual}/v1`,
        get calls() {
          return state.calls;
        },
        get requests() {
          return state.requests;
        },
        get inFlight() {
          return state.inFlight;
        },
        get maxInFlight() {
          return state.maxInFlight;
        },
        script(modes) {
          state.queue.push(...modes);
        },
        reset() {
          state.calls = 0;
          state.queue = [];
          state.requests = [];
          state.maxInFlight = state.inFlight;
        },
        setLatency(ms) {
          state.latencyMs = ms;
        },
        close() {
          server.closeAllConnections?.();
          return new Promise((r) => server.close(() => r()));
        },
      });
    });
  });
}

module.exports = { startLlmStub, GOOD };

if (require.main === module) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : dflt;
  };
  startLlmStub({ port: arg('port', 4010), latencyMs: arg('latency', 0) }).then((s) =>
    console.log(`LLM stub on ${s.url} (OPENAI_BASE_URL)`),
  );
}
