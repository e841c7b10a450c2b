import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsObject,
  IsOptional,
  IsString,
  isUUID,
  IsUUID,
  maxLength,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { isJsonObject, preCheckBody } from '../../common/http/pre-checked-body';
import { Trim } from '../../common/http/validators';
import { AttendanceStatus } from '../../common/program/attendance-status.enum';

const MAX_MARKS = 60;
const MAX_NOTE = 500;

export class AttendanceMarkDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'enrollmentId must be a UUID' })
  enrollmentId: string;

  @ApiProperty({ enum: AttendanceStatus })
  @IsEnum(AttendanceStatus, { message: `status must be one of: ${Object.values(AttendanceStatus).join(', ')}` })
  status: AttendanceStatus;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(MAX_NOTE)
  note?: string;
}

export class MarkAttendanceDto {
  @ApiProperty({ type: [AttendanceMarkDto], description: 'The whole roster; sending the same body again changes nothing' })
  @IsArray()
  @ArrayMinSize(1, { message: 'marks must hold at least one mark' })
  @ArrayMaxSize(MAX_MARKS)
  @ArrayUnique((mark: AttendanceMarkDto | null | undefined) => mark?.enrollmentId, {
    message: 'marks must not mark the same enrollmentId twice',
  })
  @IsObject({ each: true, message: 'each mark must be an object' })
  @ValidateNested({ each: true })
  @Type(() => AttendanceMarkDto)
  marks: AttendanceMarkDto[];
}

const MARK_FIELDS = new Set(['enrollmentId', 'status', 'note']);
/** Each status by its text, so a checked string is read back as the enum's own member. */
const STATUSES = new Map<unknown, AttendanceStatus>(Object.values(AttendanceStatus).map((status) => [status, status]));

/**
 * The roster save's body checked by hand: the MarkAttendanceDto the global pipe would make of a body
 * its decorators accept (the note trimmed), or `undefined` for any body it might refuse, which then
 * takes the decorators' pass and gets their messages. It uses their own tests (isUUID, maxLength)
 * where they are not plain comparisons. mark-attendance.dto.spec.ts proves it against the pass.
 */
export function checkMarkAttendance(body: unknown): MarkAttendanceDto | undefined {
  if (!isJsonObject(body)) return undefined;
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'marks') return undefined;
  const marks = body.marks;
  if (!Array.isArray(marks) || marks.length < 1 || marks.length > MAX_MARKS) return undefined;
  const seen = new Set<string>();
  const checked: AttendanceMarkDto[] = [];
  for (const mark of marks as unknown[]) {
    if (!isJsonObject(mark)) return undefined;
    for (const key of Object.keys(mark)) if (!MARK_FIELDS.has(key)) return undefined;
    const { enrollmentId, status, note } = mark;
    if (typeof enrollmentId !== 'string' || !isUUID(enrollmentId, 'all') || seen.has(enrollmentId)) return undefined;
    seen.add(enrollmentId);
    const known = typeof status === 'string' ? STATUSES.get(status) : undefined;
    if (known === undefined) return undefined;
    const dto = new AttendanceMarkDto();
    dto.enrollmentId = enrollmentId;
    dto.status = known;
    if ('note' in mark) {
      // IsOptional lets null through as it is, as the pass does.
      if (note === null) dto.note = note as unknown as undefined;
      else if (typeof note !== 'string' || !maxLength(note.trim(), MAX_NOTE)) return undefined;
      else dto.note = note.trim();
    }
    checked.push(dto);
  }
  const dto = new MarkAttendanceDto();
  dto.marks = checked;
  return dto;
}

preCheckBody(MarkAttendanceDto, checkMarkAttendance);
