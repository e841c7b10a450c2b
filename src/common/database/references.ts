import { Column, ForeignKey } from 'typeorm';

export interface ReferenceOptions {
  /** What deleting the named row does to this one: refused while it stands, or taken with it. */
  onDelete?: 'RESTRICT' | 'CASCADE';
  nullable?: boolean;
}

/**
 * A uuid column naming a row of another table, with the foreign key the migrations made. The table
 * is named, not its entity: the constraint is the database's promise, and a feature that only keeps
 * the id (an event's referral, an enrollment's group) need not import the module that owns the row.
 * Use a relation instead where the row is loaded with it.
 */
export function References(table: string, { onDelete = 'RESTRICT', nullable = false }: ReferenceOptions = {}): PropertyDecorator {
  const column = Column({ type: 'uuid', nullable });
  const foreignKey = ForeignKey(table, { onDelete });
  return (target, propertyName) => {
    column(target, propertyName);
    foreignKey(target, propertyName);
  };
}
