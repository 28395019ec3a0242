import type { InstanceConfig } from '../instances/instance.entity';
import { extractCompleteParagraphs } from './reply-splitter';
import type { ReplySender } from './reply-sender.service';

/**
 * Streaming mode: complete paragraphs are sent as they arrive instead of at the end. Sends are
 * chained so parts keep their order; a failed send stops the stream's sends and is rethrown
 * when the reply is delivered.
 */
export class StreamedReply {
  private buffer = '';
  private readonly sent: string[] = [];
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;
  lastStatusCode?: number;

  constructor(
    private readonly replies: ReplySender,
    private readonly instance: InstanceConfig,
    private readonly chatId: string,
    private readonly traceId: string,
  ) {}

  readonly push = (delta: string): void => {
    this.buffer += delta;
    const { paragraphs, rest } = extractCompleteParagraphs(this.buffer);
    this.buffer = rest;
    // Media links go as files once the reply is complete, after its text.
    for (const paragraph of paragraphs) this.enqueue(this.replies.mediaLinksOf(this.instance, paragraph).text.trim());
  };

  /**
   * Waits for the paragraphs already on their way and returns what is still to send. The final
   * text (without its media links) wins when it extends what was streamed (an output model may
   * rewrite the end).
   */
  async unsentAfter(finalText: string): Promise<string> {
    await this.chain;
    if (this.failure) throw this.failure;
    const finalParagraphs = finalText.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
    const extendsStreamed = this.sent.every((paragraph, i) => finalParagraphs[i] === paragraph);
    return extendsStreamed ? finalParagraphs.slice(this.sent.length).join('\n\n') : this.replies.mediaLinksOf(this.instance, this.buffer).text.trim();
  }

  private enqueue(paragraph: string): void {
    if (!paragraph) return;
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      try {
        const result = await this.replies.sendPart(this.instance, this.chatId, paragraph, this.traceId);
        this.lastStatusCode = result.statusCode;
        this.sent.push(paragraph);
      } catch (err) {
        this.failure = err;
      }
    });
  }
}
