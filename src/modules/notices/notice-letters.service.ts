import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { extname, join } from 'node:path';
import { Piscina } from 'piscina';
import { AppConfig } from '../../config/app-config';
import { renderNoticeLetter } from './letter-pdf';
import { NoticeContent } from './notice-content';

/**
 * Draws notices' PDF letters on threads of their own (LETTER_THREADS), so that a worker on a small
 * server draws on one core while its main thread reads, writes, queues and mails on another: a
 * letter is ~6 ms of CPU, more than all the rest of a notice's work in this process. The threads
 * start with the first letter; one that dies is replaced by the pool and its letter fails like a
 * letter that threw, leaving the notice pending for the relay to take again. With 0 threads the
 * letter is drawn on the main thread. Either way the bytes are the same (test/notices/letter-threads).
 */
@Injectable()
export class NoticeLetters implements OnModuleDestroy {
  private pool: Piscina<NoticeContent, Uint8Array> | null = null;

  constructor(private readonly config: AppConfig) {}

  async draw(content: NoticeContent): Promise<Buffer> {
    if (this.config.letterThreads === 0) return renderNoticeLetter(content);
    const bytes = await this.threads().run(content);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Letters the threads have drawn, and the threads alive: for the tests that hold this to its word. */
  threadFigures(): { drawn: number; threads: number } {
    return { drawn: this.pool?.completed ?? 0, threads: this.pool?.threads.length ?? 0 };
  }

  private threads(): Piscina<NoticeContent, Uint8Array> {
    if (!this.pool) {
      // Compiled, the thread's file is JavaScript beside this one; run from source (the demo's
      // watch mode, the tests' worker processes) it is TypeScript, compiled as it loads.
      const extension = extname(__filename);
      this.pool = new Piscina({
        filename: join(__dirname, `letter-thread${extension}`),
        // A thread is ~40 MB (pdfkit, the parsed font, the words' shapes), started with the first
        // letter and kept for the process's life: minThreads threads never idle out.
        minThreads: this.config.letterThreads,
        maxThreads: this.config.letterThreads,
        execArgv: extension === '.ts' ? ['--require', 'ts-node/register/transpile-only'] : [],
      });
    }
    return this.pool;
  }

  async onModuleDestroy(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
  }
}
