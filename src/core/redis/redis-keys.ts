import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

/** `prefix:part:part…`: the one way a Redis key is spelled, so that no key escapes the prefix. */
export function redisKey(prefix: string, ...parts: Array<string | number>): string {
  return [prefix, ...parts].join(':');
}

/**
 * Every Redis key of the app, on QUEUE_PREFIX (Bull's queues use the same prefix): two
 * deployments sharing one Redis with different prefixes share no key at all.
 */
@Injectable()
export class RedisKeys {
  readonly prefix: string;

  constructor(config: AppConfig) {
    this.prefix = config.QUEUE_PREFIX;
  }

  key(...parts: Array<string | number>): string {
    return redisKey(this.prefix, ...parts);
  }
}
