/**
 * A letter thread's task (run by NoticeLetters' pool): one notice's content in, its PDF letter out.
 * The thread parses the font and keeps its words' shapes once, as the main thread would.
 */
import { renderNoticeLetter } from './letter-pdf';
import { NoticeContent } from './notice-content';

export default function drawLetter(content: NoticeContent): Promise<Uint8Array> {
  return renderNoticeLetter(content);
}
