import { stubbedAppSuite } from './brief-fixtures';

describe('POST /generate_brief: a server without json_schema output (HTTP stub, real Redis)', () => {
  // One attempt and a circuit that opens on the first upstream failure: a refusal of
  // json_schema that counted as either would fail the brief, or the next one.
  const suite = stubbedAppSuite({ LLM_MAX_ATTEMPTS: '1', BRIEF_BREAKER_THRESHOLD: '1', BRIEF_BREAKER_COOLDOWN_MS: '60000' });

  it('switches to json_object within the same attempt, remembers it, and does not count the refusal as a failure', async () => {
    suite.stub.script(['no-json-schema', 'no-json-schema']);
    const first = await suite.post().expect(200);
    expect(first.body.meta.model).toBe('stub-model');
    expect(suite.stub.requests.map((r) => (r.response_format as { type: string }).type)).toEqual(['json_schema', 'json_object']);

    // The next brief goes straight to json_object; the circuit (threshold 1) is still closed.
    await suite.post().expect(200);
    expect(suite.stub.calls).toBe(3);
    expect((suite.stub.requests[2].response_format as { type: string }).type).toBe('json_object');
  });
});
