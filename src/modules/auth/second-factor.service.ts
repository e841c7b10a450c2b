import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { FieldCipher } from '../../config/field-cipher';
import { ConflictError, UnprocessableError } from '../../common/errors/domain-error';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { Role } from '../../common/auth/role.enum';
import { RecoveryCode, SecondFactor } from './second-factor.entity';
import {
  hashRecoveryCode,
  looksLikeRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUri,
  qrDataUrl,
  totpStep,
} from './second-factor-codes';
import { SecondFactorRepository } from './second-factor.repository';

export interface Enrolment {
  /** Base32, for typing into the app by hand when the camera will not do. */
  secret: string;
  otpauthUri: string;
  /** The QR code of otpauthUri, an SVG data URL. */
  qrCode: string;
}

export type FactorCheck = { ok: true; method: 'totp' | 'recovery_code'; recoveryCodesLeft: number } | { ok: false };

const sealContext = (userId: string) => `second_factor:${userId}`;

/**
 * The TOTP second factor (RFC 6238) and its recovery codes. The secret is sealed at rest with the
 * field cipher (FIELD_ENCRYPTION_KEY); it counts only once confirmed by a right code; a code is
 * accepted once (its time step is remembered); recovery codes are keyed hashes, each used once.
 */
@Injectable()
export class SecondFactorService {
  private readonly codeKey: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly factors: SecondFactorRepository,
  ) {
    this.codeKey = createHmac('sha256', config.jwtSecret).update('throughline:recovery-codes').digest();
  }

  /** Whether the role must have a second factor (SECOND_FACTOR_ROLES). */
  requiredFor(role: Role): boolean {
    return this.config.secondFactorRoles.includes(role);
  }

  async isEnrolled(userId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return this.factors.isEnrolled(manager, userId);
  }

  async status(
    userId: string,
    role: Role,
  ): Promise<{ enrolled: boolean; required: boolean; recoveryCodesLeft: number; enrolledAt: Date | null }> {
    const factor = await this.factors.confirmed(this.dataSource, userId);
    return {
      enrolled: Boolean(factor),
      required: this.requiredFor(role),
      recoveryCodesLeft: factor?.left ?? 0,
      enrolledAt: factor?.confirmed_at ?? null,
    };
  }

  /**
   * A new secret to scan (or the one already waiting for its first code, so a page shown twice
   * shows the same QR code). Refused once a factor is confirmed: an admin resets it first.
   */
  async startEnrolment(user: { id: string; email: string }): Promise<Enrolment> {
    return this.dataSource.transaction(async (manager) => {
      const existing = await manager.findOne(SecondFactor, { where: { userId: user.id }, lock: { mode: 'pessimistic_write' } });
      if (existing?.confirmedAt) {
        throw new ConflictError('SECOND_FACTOR_ENROLLED', 'A second factor is already set up; an admin can reset it if the phone is lost');
      }
      let secret: string;
      if (existing) {
        secret = this.cipher.open<string>(existing, sealContext(user.id));
      } else {
        secret = newTotpSecret();
        const box = this.cipher.seal(secret, sealContext(user.id));
        await manager.save(manager.create(SecondFactor, { userId: user.id, ...box, confirmedAt: null, lastStep: null }));
      }
      // Audited: showing the secret is handing out a key, even before it is confirmed.
      await this.audit.record(
        { action: 'auth.second_factor_started', recordType: 'user', recordId: user.id, details: { newSecret: !existing } },
        manager,
      );
      const uri = otpauthUri(secret, user.email);
      return { secret, otpauthUri: uri, qrCode: qrDataUrl(uri) };
    });
  }

  /** The first right code confirms the factor; the ten recovery codes are made now and shown once. */
  async confirmEnrolment(userId: string, code: string): Promise<{ recoveryCodes: string[] }> {
    return this.dataSource.transaction(async (manager) => {
      const factor = await manager.findOne(SecondFactor, { where: { userId }, lock: { mode: 'pessimistic_write' } });
      if (!factor) throw wrongCode('Start setting up the second factor first');
      if (factor.confirmedAt) throw new ConflictError('SECOND_FACTOR_ENROLLED', 'The second factor is already set up');
      const step = totpStep(this.cipher.open<string>(factor, sealContext(userId)), code.trim());
      if (step === null) throw wrongCode('That code is not right: type the 6 digits the app shows now');
      await manager.update(SecondFactor, { userId }, { confirmedAt: new Date(), lastStep: String(step) });
      const recoveryCodes = newRecoveryCodes();
      await manager.delete(RecoveryCode, { userId });
      await manager.save(
        recoveryCodes.map((recovery) =>
          manager.create(RecoveryCode, { userId, codeHash: hashRecoveryCode(this.codeKey, recovery), usedAt: null }),
        ),
      );
      await this.audit.record({ action: 'auth.second_factor_enrolled', recordType: 'user', recordId: userId }, manager);
      return { recoveryCodes };
    });
  }

  /**
   * A code from the app (each accepted once: a step not later than the last one used is refused)
   * or one of the recovery codes (spent). Counting failures is the caller's (the sign-in lock).
   */
  async check(userId: string, code: string): Promise<FactorCheck> {
    const typed = code.trim();
    return this.dataSource.transaction(async (manager) => {
      const factor = await manager.findOne(SecondFactor, { where: { userId }, lock: { mode: 'pessimistic_write' } });
      if (!factor?.confirmedAt) return { ok: false };
      if (/^\d{6}$/.test(typed.replace(/\s+/g, ''))) {
        const step = totpStep(this.cipher.open<string>(factor, sealContext(userId)), typed.replace(/\s+/g, ''));
        if (step === null || (factor.lastStep !== null && step <= Number(factor.lastStep))) return { ok: false };
        await manager.update(SecondFactor, { userId }, { lastStep: String(step) });
        return { ok: true, method: 'totp', recoveryCodesLeft: await this.codesLeft(manager, userId) };
      }
      if (!looksLikeRecoveryCode(typed)) return { ok: false };
      if (!(await this.factors.spendRecoveryCode(manager, userId, hashRecoveryCode(this.codeKey, typed)))) return { ok: false };
      const left = await this.codesLeft(manager, userId);
      await this.audit.record(
        {
          action: 'auth.recovery_code_used',
          recordType: 'user',
          recordId: userId,
          actorUserId: userId,
          details: { recoveryCodesLeft: left },
        },
        manager,
      );
      return { ok: true, method: 'recovery_code', recoveryCodesLeft: left };
    });
  }

  /** Inside the caller's transaction: the factor and its recovery codes are gone; he enrols again. */
  async remove(manager: EntityManager, userId: string): Promise<boolean> {
    return this.factors.remove(manager, userId);
  }

  private async codesLeft(manager: EntityManager, userId: string): Promise<number> {
    return this.factors.codesLeft(manager, userId);
  }
}

function wrongCode(message: string): UnprocessableError {
  return new UnprocessableError('SECOND_FACTOR_CODE_WRONG', message, { fields: { code: [message] } });
}
