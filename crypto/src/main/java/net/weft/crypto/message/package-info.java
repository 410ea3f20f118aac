/**
 * The four WireGuard messages and their exact layouts (whitepaper section 5.4): initiation (148
 * bytes), response (92), cookie reply (64) and transport (16-byte header, payload padded to 16,
 * 16-byte tag). Messages are read and written in place in caller-supplied buffers; classification
 * rejects a wrong length, an unknown type or non-zero reserved bytes by returning
 * {@link net.weft.crypto.message.Messages#INVALID}, never by throwing.
 */
package net.weft.crypto.message;
