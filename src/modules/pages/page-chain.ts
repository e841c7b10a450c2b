import { VIOLATION_KINDS } from '../../common/program/compliance-event-kind.enum';
import { NoticeView } from '../notices/notice.view';
import { ResponseView } from '../responses/response.view';

export interface ChainLink {
  eventId: string;
  eventKind: string;
  eventKey: string;
  eventOccurredOn: string;
  notices: NoticeView[];
  responses: ResponseView[];
  /** A violation: probation and the court are expected to respond (other events are for information). */
  expectsResponse: boolean;
  /** A violation nobody has recorded a standing response to yet. */
  unanswered: boolean;
}

/**
 * A man's chain, event by event: the crossing, the notices it sent (and their acknowledgement),
 * then what probation and the court did. Newest event first, each event's responses oldest first
 * so a correction reads after what it corrects.
 */
export function buildChain(notices: NoticeView[], responses: ResponseView[]): ChainLink[] {
  const links = new Map<string, ChainLink>();
  for (const notice of notices) {
    let link = links.get(notice.eventId);
    if (!link) {
      const expectsResponse = (VIOLATION_KINDS as readonly string[]).includes(notice.eventKind);
      link = {
        eventId: notice.eventId,
        eventKind: notice.eventKind,
        eventKey: notice.eventKey,
        eventOccurredOn: notice.eventOccurredOn,
        notices: [],
        responses: [],
        expectsResponse,
        unanswered: expectsResponse,
      };
      links.set(notice.eventId, link);
    }
    link.notices.push(notice);
  }
  for (const response of [...responses].reverse()) links.get(response.eventId)?.responses.push(response);
  for (const link of links.values()) link.unanswered = link.expectsResponse && !link.responses.some((response) => !response.supersededById);
  return [...links.values()];
}
