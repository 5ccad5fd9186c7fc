// imapflow behind a module of our own, imported dynamically by mailbox.poller.ts: the bundle
// (scripts/bundle.mjs) then requires the package only when this module is first imported.
// A dynamic import() of the package itself would stay a native ESM import in the CommonJS
// bundle, which does not honour NODE_PATH (the process tests run the bundle from elsewhere).
export { ImapFlow } from 'imapflow';
