import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { NotFoundError } from '../../common/errors/domain-error';
import { Page } from '../../common/http/pagination.dto';
import { AuditService } from '../audit/audit.service';
import { Role } from '../../common/auth/role.enum';
import { FieldCipher } from '../../config/field-cipher';
import { AccessService } from '../access/access.service';
import { CreateProtectedPartyDto, UpdateProtectedPartyDto } from './protected-party.dto';
import { NotificationWish, ProtectedParty } from './protected-party.entity';
import { AdvocateReferralView, ProtectedPartyDetails, ProtectedPartyReceipt, ProtectedPartyView } from './protected-party.view';

const DETAIL_FIELDS = ['name', 'relationship', 'phone', 'email', 'address', 'safetyNotes', 'preferredChannel'] as const;

/** The sealed data is bound to the record: a blob moved onto another row does not open. */
export const partyContext = (id: string, referralId: string) => `protected_party:${id}:${referralId}`;

/**
 * Protected-party (victim/partner) records: sealed on write, opened only for those
 * the access rules (protected-party.read) let read. Audit entries name the fields touched, never their values.
 */
@Injectable()
export class ProtectedPartiesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  async list(user: SignedInUser, referralId: string): Promise<ProtectedPartyView[]> {
    await this.access.requireAccess(user, 'protected-party.read', [referralId]);
    const parties = await this.sealedQuery()
      .where('party.referralId = :referralId', { referralId })
      .orderBy('party.createdAt', 'ASC')
      .getMany();
    await this.audit.record({
      action: 'protected_party.read',
      recordType: 'referral',
      recordId: referralId,
      details: { protectedPartyIds: parties.map((party) => party.id) },
    });
    return parties.map((party) => this.view(party));
  }

  /** One party, for the advocate's edit form; audited as a read like the list. */
  async one(user: SignedInUser, id: string): Promise<ProtectedPartyView> {
    const party = await this.sealedQuery().where('party.id = :id', { id }).getOne();
    if (!party) throw new NotFoundError('protected_party');
    await this.access.requireAccess(user, 'protected-party.read', [party.referralId]).catch(() => {
      throw new NotFoundError('protected_party');
    });
    await this.audit.record({ action: 'protected_party.read', recordType: 'protected_party', recordId: id });
    return this.view(party);
  }

  async create(
    user: SignedInUser,
    referralId: string,
    input: CreateProtectedPartyDto,
  ): Promise<ProtectedPartyView | ProtectedPartyReceipt> {
    const { party, adminAccess } = await this.dataSource.transaction(async (manager) => {
      // An admin may enter what he may not read back: the policy says which. Reading covers entering.
      const adminAccess =
        user.role === Role.Admin && (await this.access.allowedIds(user, 'protected-party.read', [referralId], { manager })).length > 0;
      if (!adminAccess) await this.access.requireAccess(user, 'protected-party.enter', [referralId], { manager });
      const id = randomUUID();
      const sealed = this.cipher.seal(detailsOf(input), partyContext(id, referralId));
      const saved = await manager.save(
        manager.create(ProtectedParty, {
          id,
          referralId,
          notificationWish: input.notificationWish,
          noProgramContact: input.noProgramContact ?? false,
          ...sealed,
          createdById: user.id,
          updatedById: user.id,
        }),
      );
      await this.audit.record(
        {
          action: 'protected_party.create',
          recordType: 'protected_party',
          recordId: id,
          details: { referralId, fields: filledFields(input) },
        },
        manager,
      );
      return { party: saved, adminAccess };
    });
    // An admin without read access gets proof it was saved, not what he typed back.
    if (user.role === Role.Admin && !adminAccess) {
      return { id: party.id, referralId, createdAt: party.createdAt, detailsVisible: false };
    }
    return this.view(party);
  }

  async update(user: SignedInUser, id: string, input: UpdateProtectedPartyDto): Promise<ProtectedPartyView> {
    return this.dataSource.transaction(async (manager) => {
      const party = await this.sealedQuery(manager).where('party.id = :id', { id }).setLock('pessimistic_write').getOne();
      if (!party) throw new NotFoundError('protected_party');
      await this.access.requireAccess(user, 'protected-party.write', [party.referralId], { manager }).catch(() => {
        throw new NotFoundError('protected_party');
      });
      const before = this.cipher.open<ProtectedPartyDetails>(party, partyContext(party.id, party.referralId));
      const after: ProtectedPartyDetails = { ...before };
      const changed: string[] = [];
      for (const field of DETAIL_FIELDS) {
        if (input[field] === undefined || input[field] === before[field]) continue;
        (after as unknown as Record<string, unknown>)[field] = input[field] ?? null;
        changed.push(field);
      }
      if (input.notificationWish !== undefined && input.notificationWish !== party.notificationWish) {
        party.notificationWish = input.notificationWish;
        changed.push('notificationWish');
      }
      if (input.noProgramContact !== undefined && input.noProgramContact !== party.noProgramContact) {
        party.noProgramContact = input.noProgramContact;
        changed.push('noProgramContact');
      }
      if (changed.length > 0) {
        Object.assign(party, this.cipher.seal(after, partyContext(party.id, party.referralId)), { updatedById: user.id });
        await manager.save(party);
        await this.audit.record(
          { action: 'protected_party.update', recordType: 'protected_party', recordId: id, details: { fields: changed } },
          manager,
        );
      }
      return this.view(party);
    });
  }

  /** One referral as the advocate sees it, by id (any referral: she may need to add the first party). */
  async advocateReferral(referralId: string): Promise<AdvocateReferralView> {
    const { items } = await this.advocateReferrals(1, 0, { referralId });
    if (!items[0]) throw new NotFoundError('referral');
    return items[0];
  }

  /** The advocate's list: referrals with protected parties, newest status change first; or those matching a case number or id. */
  async advocateReferrals(
    limit: number,
    offset: number,
    match: { caseNumber?: string; referralId?: string } = {},
  ): Promise<Page<AdvocateReferralView>> {
    const params: unknown[] = [limit, offset];
    let filter = 'EXISTS (SELECT 1 FROM protected_parties pp WHERE pp.referral_id = r.id)';
    if (match.caseNumber) {
      params.push(match.caseNumber);
      filter = `r.case_number = $${params.length}`;
    } else if (match.referralId) {
      params.push(match.referralId);
      filter = `r.id = $${params.length}`;
    }
    type Row = {
      id: string;
      case_number: string;
      participant_name: string;
      status: AdvocateReferralView['status'];
      status_changed_at: AdvocateReferralView['statusChangedAt'];
      complete_by: AdvocateReferralView['completeBy'];
      protected_parties: number;
      pending_notifications: number;
      total: number;
    };
    const rows = await this.dataSource.query<Row[]>(
      `SELECT r.id, r.case_number, pa.first_name || ' ' || pa.last_name AS participant_name, r.status, r.status_changed_at, r.complete_by::text AS complete_by,
              (SELECT count(*)::int FROM protected_parties pp WHERE pp.referral_id = r.id) AS protected_parties,
              (SELECT count(*)::int FROM victim_notifications vn WHERE vn.referral_id = r.id AND vn.status IN ('pending', 'failed', 'sending')) AS pending_notifications,
              count(*) OVER ()::int AS total
         FROM referrals r JOIN participants pa ON pa.id = r.participant_id
        WHERE ${filter}
        ORDER BY r.status_changed_at DESC, r.id
        LIMIT $1 OFFSET $2`,
      params,
    );
    const items: AdvocateReferralView[] = rows.map((row) => ({
      id: row.id,
      caseNumber: row.case_number,
      participantName: row.participant_name,
      status: row.status,
      statusChangedAt: row.status_changed_at,
      completeBy: row.complete_by,
      protectedParties: row.protected_parties,
      pendingNotifications: row.pending_notifications,
    }));
    await this.audit.record({
      action: 'advocate.referrals_read',
      recordType: 'referral',
      details: { referralIds: items.map((item) => item.id) },
    });
    return { items, total: rows.at(0)?.total ?? 0 };
  }

  private sealedQuery(manager = this.dataSource.manager) {
    return manager.createQueryBuilder(ProtectedParty, 'party').addSelect(['party.wrappedKey', 'party.ciphertext']);
  }

  private view(party: ProtectedParty): ProtectedPartyView {
    const details = this.cipher.open<ProtectedPartyDetails>(party, partyContext(party.id, party.referralId));
    return {
      id: party.id,
      referralId: party.referralId,
      ...details,
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- an entity built here has no column default until it is inserted
      notificationWish: party.notificationWish ?? NotificationWish.NotAsked,
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- an entity built here has no column default until it is inserted
      noProgramContact: party.noProgramContact ?? false,
      createdAt: party.createdAt,
      updatedAt: party.updatedAt,
    };
  }
}

function detailsOf(input: CreateProtectedPartyDto): ProtectedPartyDetails {
  return {
    name: input.name,
    relationship: input.relationship,
    phone: input.phone ?? null,
    email: input.email ?? null,
    address: input.address ?? null,
    safetyNotes: input.safetyNotes ?? null,
    preferredChannel: input.preferredChannel,
  };
}

function filledFields(input: CreateProtectedPartyDto): string[] {
  return [...DETAIL_FIELDS, 'notificationWish', 'noProgramContact'].filter(
    (field) => (input as unknown as Record<string, unknown>)[field] != null,
  );
}
