import type { ChannelName } from '../domain/channel.ts';

/**
 * A citizen's question labelled with the unit that answers it: made when a citizen picks an
 * option of a clarifying question ("Có phải bạn hỏi về: …"). Labels for recalibrating
 * confidence and training ranking on the agency's own wording.
 */
export interface LabelledExample {
  id: number;
  question: string;
  /** Citation id of the unit the citizen chose. */
  unitId: string;
  channel: ChannelName;
  /** Where the label came from; `clarify:<turnId>` for a clarify choice. One example per source. */
  sourceKey: string;
  createdAt: string;
}

export type NewLabelledExample = Omit<LabelledExample, 'id' | 'createdAt'>;

export interface LabelledExampleStore {
  /** Stores the example once per `sourceKey`: a second call returns the first with `created: false`. */
  record(example: NewLabelledExample, at: Date): Promise<{ example: LabelledExample; created: boolean }>;
  /** Examples with id > `after`, oldest first, at most `limit`. */
  list(options?: { after?: number; limit?: number }): Promise<LabelledExample[]>;
}
