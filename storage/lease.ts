/**
 * A claim on a piece of durable work (an inbox event, an outbox message): who holds it and
 * until when. A holder renews its leases while the work waits in its memory; when a holder
 * dies, its leases run out and any instance's sweeper takes the work over.
 */
export interface Lease {
  /** The instance holding the work (`ConversationCore`'s instance id). */
  owner: string;
  until: Date;
}
