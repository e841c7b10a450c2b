import { EntityManager } from 'typeorm';
import { Enrollment } from './enrollment.entity';

/** Ends his open enrollment on `on` because the referral became `status` (completed, terminated, closed). */
export async function endOpenEnrollments(manager: EntityManager, referralId: string, on: string, status: string): Promise<void> {
  await manager
    .createQueryBuilder()
    .update(Enrollment)
    .set({ endDate: on, endReason: `referral ${status}` })
    .where('referral_id = :referralId AND end_date IS NULL', { referralId })
    .execute();
}
