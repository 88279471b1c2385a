import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AppConfig } from '../config/app-config';
import { DatabaseIndexes } from './database-indexes';
import { Transactions } from './transactions';

@Global()
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        uri: config.MONGODB_URI,
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
  providers: [Transactions, DatabaseIndexes],
  exports: [Transactions, DatabaseIndexes],
})
export class DatabaseModule {}
