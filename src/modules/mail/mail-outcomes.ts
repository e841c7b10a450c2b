import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MailKind, MailStatus } from './mail-kind';

export interface MailOutcome {
  mailId: string;
  refId: string;
  status: MailStatus;
  /** The server's answer, with the recipient's address taken out. */
  lastResponse: string | null;
}

type OutcomeListener = (manager: EntityManager, outcome: MailOutcome) => Promise<void>;

/**
 * Where a feature hears what became of its mails, inside the transaction that records it, so a
 * victim notification reads "sent" exactly when its mail does. Features register; the mail
 * module never imports them.
 */
@Injectable()
export class MailOutcomes {
  private readonly listeners = new Map<MailKind, OutcomeListener>();

  on(kind: MailKind, listener: OutcomeListener): void {
    if (this.listeners.has(kind)) throw new Error(`Mail outcomes of kind ${kind} already have a listener`);
    this.listeners.set(kind, listener);
  }

  async tell(manager: EntityManager, kind: MailKind, outcome: MailOutcome): Promise<void> {
    await this.listeners.get(kind)?.(manager, outcome);
  }
}
