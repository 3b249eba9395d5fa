/**
 * Small durable values that must survive restarts and change atomically, such as Zalo's
 * rotating token pair. The port is declared by the conversation core (bots/core/ports.ts),
 * where the adapters receive it; this module is its home on the storage side.
 */
export type { SecretStore } from '../bots/core/ports.ts';
