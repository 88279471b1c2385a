import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { EnvironmentVariables } from '../config/environment';
import { Transactions } from './transactions';

@Global()
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) => ({
        uri: config.get('MONGODB_URI', { infer: true }),
        // Answer 503 quickly when the database is away rather than hanging requests.
        serverSelectionTimeoutMS: 5000,
        socketTimeoutMS: 60_000,
        maxPoolSize: 20,
        autoIndex: true,
        // Don't buffer commands while disconnected: fail fast and let callers say 503.
        bufferCommands: false,
      }),
    }),
  ],
  providers: [Transactions],
  exports: [Transactions],
})
export class DatabaseModule {}
