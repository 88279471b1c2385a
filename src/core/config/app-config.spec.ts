import { validateEnvironment } from './app-config';

describe('TRUST_PROXY', () => {
  const trust = (value?: string) => validateEnvironment(value === undefined ? {} : { TRUST_PROXY: value }).TRUST_PROXY;

  it('is the loopback range unless set', () => {
    expect(trust()).toEqual(['loopback']);
  });

  it("takes Express's syntax: a hop count, or a list of addresses, CIDR ranges and named ranges", () => {
    expect(trust('2')).toBe(2);
    expect(trust('0')).toBe(0);
    expect(trust('10.0.0.0/8, 192.168.1.7,loopback')).toEqual(['10.0.0.0/8', '192.168.1.7', 'loopback']);
    expect(trust('uniquelocal,fd00::/8')).toEqual(['uniquelocal', 'fd00::/8']);
  });

  it.each([['true'], ['everyone'], [''], [' '], ['10.0.0.0/33'], ['10.0.0.1,'], ['-1'], ['1.5']])(
    'refuses %p at start-up, naming the setting',
    (value) => {
      expect(() => trust(value)).toThrow(/TRUST_PROXY must be a hop count/);
    },
  );
});
