/**
 * Issue 7's Helm chart ({@code helm/weft}) and Grafana dashboard ({@code helm/grafana}), checked without a
 * cluster or a {@code helm} binary: {@link net.weft.labs.helm.Chart} lints and renders the chart through
 * helm-java (the Helm library, native, in this JVM) against {@link net.weft.labs.helm.FakeKubeApi}, a
 * loopback stand-in for the API server the chart's {@code lookup} asks. {@link net.weft.labs.helm.HelmChartTest}
 * renders the defaults and every option, round-trips the network spec into topology's parser and checks that
 * no manifest carries a secret; {@link net.weft.labs.helm.ValuesDocumentationTest} keeps values.yaml and the
 * chart's README in step; {@link net.weft.labs.helm.GrafanaDashboardTest} checks the dashboard's queries against
 * the metrics Weft serves.
 */
package net.weft.labs.helm;
