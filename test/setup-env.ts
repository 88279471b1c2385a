// Defaults for every test process; scripts/test.sh exports the real service URLs.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
process.env.MONGODB_URI ??= 'mongodb://127.0.0.1:27027/influencer';
process.env.REDIS_URL ??= 'redis://127.0.0.1:6389';
