import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A day the program is closed (or, with `closed` false, a listed holiday the program decided to
 * stay open on: kept so the yearly seeding does not put it back). Business days and the weekly
 * schedule read this table; it is the one calendar.
 */
@Entity('program_holidays')
export class ProgramHoliday {
  @PrimaryColumn({ type: 'date' })
  date: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** `federal`, `state:MN` …, or `program` for a day the admin added. */
  @Column({ type: 'varchar', length: 20 })
  source: string;

  @Column({ type: 'boolean', default: true })
  closed: boolean;

  @Column({ type: 'uuid', nullable: true })
  updatedById: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
