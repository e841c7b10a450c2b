import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum AgencyKind {
  Court = 'court',
  Probation = 'probation',
  Program = 'program',
  Advocacy = 'advocacy',
}

@Entity('agencies')
export class Agency {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'enum', enum: AgencyKind, enumName: 'agency_kind' })
  kind: AgencyKind;

  /** Where courts and probation receive compliance notices. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  noticeEmail: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
