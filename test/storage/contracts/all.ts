import { conversationStoreContract } from './conversation.contract.ts';
import { escalationStoreContract } from './escalation.contract.ts';
import { exampleStoreContract } from './example.contract.ts';
import { faqStoreContract } from './faq.contract.ts';
import { inboxStoreContract } from './inbox.contract.ts';
import { knowledgeStoreContract } from './knowledge.contract.ts';
import { outboxStoreContract } from './outbox.contract.ts';
import { reportStoreContract } from './report.contract.ts';
import { reviewStoreContract } from './review.contract.ts';
import { synonymStoreContract } from './synonym.contract.ts';
import { secretStoreContract } from './secret.contract.ts';
import { staffStoresContract } from './staff.contract.ts';
import { webchatStoreContract } from './webchat.contract.ts';
import type { BackendFactory } from './backend.ts';

/** Registers every store contract for one backend (call inside a `describe`). */
export function storeContracts(factory: BackendFactory): void {
  knowledgeStoreContract(factory);
  inboxStoreContract(factory);
  outboxStoreContract(factory);
  conversationStoreContract(factory);
  escalationStoreContract(factory);
  secretStoreContract(factory);
  webchatStoreContract(factory);
  staffStoresContract(factory);
  faqStoreContract(factory);
  reportStoreContract(factory);
  exampleStoreContract(factory);
  reviewStoreContract(factory);
  synonymStoreContract(factory);
}
