// Text made safe for HTML and SVG (docs/contract.md#security-and-durability): every title, line
// name and incident title in a report is user-written, so it goes into the document as text, in
// element content and in quoted attribute values alike. Pure.

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// C0/C1 controls other than tab and line breaks are not allowed in HTML or XML text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

export function escapeHtml(text: string): string {
  return text.replace(CONTROLS, '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
