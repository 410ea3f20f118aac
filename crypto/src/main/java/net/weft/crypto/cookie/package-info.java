/**
 * mac1, mac2 and cookies (whitepaper section 5.4.4 and 5.4.7): the responder's
 * {@link net.weft.crypto.cookie.CookieChecker} verifies macs and answers with cookie replies; the
 * initiator's {@link net.weft.crypto.cookie.CookieGenerator} adds macs and keeps the last cookie.
 * Whether the device is "under load" is the node's decision; this package only offers the checks.
 */
package net.weft.crypto.cookie;
