/** Injection token of the app's own ioredis client (see RedisModule). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
