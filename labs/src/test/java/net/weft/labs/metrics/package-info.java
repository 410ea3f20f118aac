/**
 * Issue 7's metrics documentation, checked: {@link net.weft.labs.metrics.DocumentedMetrics} reads the README's
 * metric tables, {@link net.weft.labs.metrics.Exposition} a Prometheus scrape, and
 * {@link net.weft.labs.metrics.MetricsDocumentationLabTest} compares them against a real coordinator and real
 * agents in network namespaces (root); {@link net.weft.labs.metrics.MetricsDocumentationTest} checks the tables'
 * naming rules and the comparison itself without root.
 */
package net.weft.labs.metrics;
