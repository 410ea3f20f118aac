/** The sliding-window replay filter for transport counters (window 8128, as the kernel and wireguard-go). */
package net.weft.crypto.replay;
