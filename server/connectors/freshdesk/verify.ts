// Freshdesk signs nothing (research 3.2): the automation rule's webhook sends our shared secret
// in a custom `X-Webhook-Secret` header (server/connectors/secret-header.ts).
export { SECRET_HEADER, verifySharedSecret as verifyFreshdeskSecret } from '../secret-header.js';
