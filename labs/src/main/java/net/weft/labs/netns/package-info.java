/**
 * The pieces every namespace lab is made of, JDK only: {@link net.weft.labs.netns.Shell} runs commands with a
 * transcript and owns the background processes it started, {@link net.weft.labs.netns.Namespace} is one network
 * namespace a lab created, {@link net.weft.labs.netns.Poll} waits for a condition with a deadline. Used by the
 * WireGuard daemon labs ({@code src/test/.../labs/wg}) and the mesh lab ({@link net.weft.labs.mesh}).
 */
package net.weft.labs.netns;
