import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The man ordered to the program. Matched on name + date of birth when a new order arrives. */
@Entity('participants')
@Index('participants_identity_idx', ['lastNameKey', 'firstNameKey', 'dateOfBirth'])
export class Participant {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 100 })
  firstName: string;

  @Column({ type: 'varchar', length: 100 })
  lastName: string;

  /** Lower-cased, trimmed names for matching; written by the service. */
  @Column({ type: 'varchar', length: 100 })
  firstNameKey: string;

  @Column({ type: 'varchar', length: 100 })
  lastNameKey: string;

  @Column({ type: 'date' })
  dateOfBirth: string;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  phone: string | null;

  @Column({ type: 'varchar', length: 40, default: 'en' })
  language: string;

  /** He asked for no reminders or letters from the program. */
  @Column({ type: 'boolean', default: false })
  messagesOptOut: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
