/**
 * The dashboard in a real browser: Debian's headless Chromium, driven by Playwright for Java, against a coordinator
 * and real node agents in a {@link net.weft.labs.mesh.MeshLab}. Root only, like every lab.
 */
package net.weft.labs.dashboard;
