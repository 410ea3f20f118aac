/** Micrometer metrics of a device and the Prometheus endpoint on a loopback port. */
package net.weft.node.metrics;
