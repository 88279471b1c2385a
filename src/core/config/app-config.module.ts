import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';
import { AppConfig, validateEnvironment } from './app-config';

/** @nestjs/config's namespace for the settings: validated once, when the app is built. */
const appConfig = registerAs('app', () => validateEnvironment(process.env));

/**
 * The validated settings, injectable everywhere by their class, AppConfig, with full types
 * (@nestjs/config's typed-namespace pattern, its ConfigType under a class token).
 */
@Global()
@Module({})
export class AppConfigModule {
  /** Reads process.env when the app is built, not at import time, so tests can boot apps with other settings. */
  static forRoot(): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [appConfig] })],
      providers: [{ provide: AppConfig, inject: [appConfig.KEY], useFactory: (settings: AppConfig) => settings }],
      exports: [AppConfig],
    };
  }
}
