import { Column, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/user.entity';

/**
 * One of a user's sign-in records (an account link, a session, a recovery code): it names its
 * user and goes when he is deleted, since it opens nothing without him. Only the columns; each
 * table declares its own indexes.
 */
export abstract class SignInRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;
}
