/**
 * Small durable values that must survive restarts and change atomically, such as Zalo's
 * rotating token pair. The interface is declared with the channel contracts, where the
 * adapters receive it; this module is its home on the storage side.
 */
export type { SecretStore } from '../bots/core/types.ts';
