import { Global, Module } from '@nestjs/common';
import { AccessService } from './access.service';

/** Global: every feature checks access through it, and it imports no feature module. */
@Global()
@Module({
  providers: [AccessService],
  exports: [AccessService],
})
export class AccessModule {}
